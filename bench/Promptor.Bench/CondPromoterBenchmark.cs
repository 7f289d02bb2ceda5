using System.Globalization;
using Promptor.Genomics.Models;
using Promptor.Nn.Optim;
using Promptor.Nn.Positional;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Bench;

/// <summary>
/// <c>cp_train</c> and <c>cp_infer</c> of <c>torch_models.py</c>: the same CondPromoter (conv 4→128
/// width 15 and 128→128 width 9 with biases, each ReLU + max-pool 4, sinusoidal positions, two
/// post-LN encoder blocks d=128, 8 heads, MLP 4×, dropout 0.1, one treatment query per sample
/// through 8-head cross-attention, LayerNorm, MLP head), B = 64, L = 1000, 16 treatments, MSE and
/// Adam (lr 1e-3) for training; the same analytic FLOP count; each in its own process.
/// </summary>
public static class CondPromoterBenchmark
{
    private static readonly Dictionary<string, (int Warmup, int Iterations)> Benchmarks = new()
    {
        ["cp_train"] = (3, 15),
        ["cp_infer"] = (3, 25),
    };

    /// <summary>Runs both (isolated) and prints a table, or one with <c>--only NAME</c>.</summary>
    public static int Run(string[] args) => BenchHarness.RunSuite("condpromoter", args, BenchHarness.ModelHeader, Benchmarks.Keys, RunOne);

    /// <summary>The reference model's options.</summary>
    public static CondPromoterOptions ReferenceOptions => new()
    {
        TreatmentCount = 16,
        SequenceLength = 1000,
        Convolutions = [new(128, 15, 1, 4), new(128, 9, 1, 4)],
        BatchNorm = false,
        AttendedBatchNorm = false,
        ModelDim = 128,
        Positions = PositionalEncodingKind.Sinusoidal,
        SelfAttentionBlocks = 2,
        SelfAttentionHeads = 8,
        CrossAttentionHeads = 8,
        Dropout = 0.1f,
        AttentionDropout = 0.1f,
        HeadHidden = 128,
    };

    private static string RunOne(string name)
    {
        const int batch = 64, length = 1000;
        var (warmup, iterations) = Benchmarks[name];
        var rng = new Generator(0);
        var model = new CondPromoter(ReferenceOptions, rng);
        var seq = new Tensor(new Shape(batch, length, 4));
        for (int i = 0; i < batch * length; i++)
        {
            seq.Data[i * 4 + rng.NextInt(4)] = 1f;
        }
        var ids = Enumerable.Range(0, batch).Select(_ => rng.NextInt(16)).ToArray();
        var target = Tensor.RandomNormal(rng, new Shape(batch));
        double forward = ForwardFlops();
        Action step;
        double flops;
        if (name == "cp_train")
        {
            model.Train();
            var optimizer = new Adam(model.Parameters(), learningRate: 1e-3);
            step = () =>
            {
                optimizer.ZeroGrad();
                var loss = model.ForwardSelected(seq, ids).MseLoss(target);
                loss.Backward();
                optimizer.Step();
            };
            flops = 3 * forward * batch;
        }
        else
        {
            model.Eval();
            step = () =>
            {
                using (Tape.NoGrad())
                {
                    model.ForwardSelected(seq, ids);
                }
            };
            flops = forward * batch;
        }
        var timing = BenchHarness.Time(step, warmup, iterations);
        return BenchHarness.ModelRow(name, batch, model.ParameterCount, timing, flops);
    }

    /// <summary>Matmul/conv FLOPs per sample (2·MACs), forward only — <c>cp_forward_flops</c> of the reference script.</summary>
    private static double ForwardFlops(int l = 1000, int d = 128, int k1 = 15, int k2 = 9, int blocks = 2)
    {
        double t1 = l, t2 = l / 4, t = l / 16;
        double conv = 2 * t1 * d * 4 * k1 + 2 * t2 * d * d * k2;
        double perBlock = t * (2 * 3 * d * d + 2 * d * d + 2 * 2 * d * 4 * d) + 2 * (2 * t * t * d);
        double cross = 2 * t * 2 * d * d + 2 * 2 * d * d + 2 * 2 * t * d;
        double head = 2 * d * d + 2 * d;
        return conv + blocks * perBlock + cross + head;
    }
}
