using System.Globalization;
using Promptor.Genomics.Models.Gpt;
using Promptor.Nn.Optim;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Bench;

/// <summary>
/// <c>gpt_train</c> and <c>gpt_infer</c> of <c>torch_models.py</c>: the same TinyGPT (vocab 64,
/// context 128, d = 128, 4 heads, 4 pre-LN blocks, MLP 4×, learned positions, dropout 0.1 on
/// embeddings, attention weights and residual branches, untied head), B = 64 sequences of 128
/// tokens, next-token cross-entropy and Adam (lr 1e-3) for training; the same analytic FLOP count
/// (<c>gpt_forward_flops</c>). Plus <c>gpt_sample</c>: 128 new tokens for 16 one-token prompts,
/// with and without the KV cache, and the speed-up. Each benchmark runs in its own process.
/// </summary>
public static class GptBenchmark
{
    private const int Vocab = 64, Context = 128, Batch = 64;

    private static readonly Dictionary<string, (int Warmup, int Iterations)> Benchmarks = new()
    {
        ["gpt_train"] = (3, 15),
        ["gpt_infer"] = (3, 25),
        ["gpt_sample"] = (1, 3),
    };

    /// <summary>Runs all (isolated) and prints a table, or one with <c>--only NAME</c>.</summary>
    public static int Run(string[] args) => BenchHarness.RunSuite("gpt", args, BenchHarness.ModelHeader, Benchmarks.Keys, RunOne);

    /// <summary>The reference model's options (TinyGPT's defaults).</summary>
    public static GptOptions ReferenceOptions => new()
    {
        VocabSize = Vocab,
        ContextLength = Context,
        ModelDim = 128,
        Heads = 4,
        Blocks = 4,
        Dropout = 0.1f,
    };

    private static string RunOne(string name)
    {
        var (warmup, iterations) = Benchmarks[name];
        var rng = new Generator(0);
        var model = new Gpt(ReferenceOptions, rng);
        if (name == "gpt_sample")
        {
            return Sample(model, rng, warmup, iterations);
        }
        var idx = Enumerable.Range(0, Batch * (Context + 1)).Select(_ => rng.NextInt(Vocab)).ToArray();
        var x = new int[Batch * Context];
        var targets = new int[Batch * Context];
        for (int b = 0; b < Batch; b++)
        {
            Array.Copy(idx, b * (Context + 1), x, b * Context, Context);
            Array.Copy(idx, b * (Context + 1) + 1, targets, b * Context, Context);
        }
        double forward = ForwardFlops();
        Action step;
        double flops;
        if (name == "gpt_train")
        {
            model.Train();
            var optimizer = new Adam(model.Parameters(), learningRate: 1e-3);
            step = () =>
            {
                optimizer.ZeroGrad();
                var loss = model.Forward(x, Batch).Reshape(-1, Vocab).CrossEntropy(targets);
                loss.Backward();
                optimizer.Step();
            };
            flops = 3 * forward * Batch;
        }
        else
        {
            model.Eval();
            step = () =>
            {
                using (Tape.NoGrad())
                {
                    model.Forward(x, Batch);
                }
            };
            flops = forward * Batch;
        }
        var timing = BenchHarness.Time(step, warmup, iterations);
        return BenchHarness.ModelRow(name, Batch, model.ParameterCount, timing, flops);
    }

    private static string Sample(Gpt model, Generator rng, int warmup, int iterations)
    {
        const int batch = 16, newTokens = 128;
        var prompts = Enumerable.Range(0, batch).Select(_ => new[] { rng.NextInt(Vocab) }).ToArray();
        var options = new SamplingOptions { MaxNewTokens = newTokens };
        var cached = new GptSampler(model, options);
        var uncached = new GptSampler(model, options with { UseKvCache = false });
        // A cached run is 128 short steps: three more warm-up runs and three times the timed runs
        // (a fifth of one uncached run in all) let it reach the JIT's optimised code and a stable median.
        var withCache = BenchHarness.Time(() => cached.Generate(prompts, new Generator(1)), warmup + 3, 3 * iterations);
        var withoutCache = BenchHarness.Time(() => uncached.Generate(prompts, new Generator(1)), warmup, iterations);
        double tokens = batch * newTokens;
        return string.Create(CultureInfo.InvariantCulture,
            $"gpt_sample: B={batch}, {newTokens} new tokens: KV cache {withCache.Median * 1e3:F1} ms ({tokens / withCache.Median:F0} tokens/s, min-max {withCache.Min * 1e3:F1}-{withCache.Max * 1e3:F1}), " +
            $"no cache {withoutCache.Median * 1e3:F1} ms ({tokens / withoutCache.Median:F0} tokens/s, min-max {withoutCache.Min * 1e3:F1}-{withoutCache.Max * 1e3:F1}), " +
            $"speed-up {withoutCache.Median / withCache.Median:F1}x, peak RSS {BenchHarness.PeakRssMib():F0} MiB");
    }

    /// <summary>Matmul FLOPs per sample (2·MACs), forward only — <c>gpt_forward_flops</c> of the reference script.</summary>
    private static double ForwardFlops(int t = Context, int d = 128, int blocks = 4, int vocab = Vocab)
    {
        double perBlock = (double)t * (2 * 3 * d * d + 2 * d * d + 2 * 2 * d * 4 * d) + 2 * (2.0 * t * t * d);
        return blocks * perBlock + 2.0 * t * d * vocab;
    }
}
