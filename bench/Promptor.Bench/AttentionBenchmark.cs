using System.Globalization;
using Promptor.Nn.Attention;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Bench;

/// <summary>
/// The attention micro-benchmark of PERFORMANCE.md: multi-head self-attention (d = 256, 8 heads)
/// forward + backward, B = 32, T = 512 and B = 8, T = 2048, timed like
/// <c>torch_models.py</c> (warm-up, then the median of timed iterations) with the same analytic
/// FLOP count, each shape in its own process for its peak RSS.
/// </summary>
public static class AttentionBenchmark
{
    private static readonly Dictionary<string, (int Batch, int Length, int Warmup, int Iterations)> Shapes = new()
    {
        ["mha_512"] = (32, 512, 2, 7),
        ["mha_2048"] = (8, 2048, 2, 5),
    };

    /// <summary>Runs all shapes (isolated) and prints a table, or one shape with <c>--only NAME</c>.</summary>
    public static int Run(string[] args)
    {
        if (args.Length == 2 && args[0] == "--profile")
        {
            return Profile(args[1]);
        }
        return BenchHarness.RunSuite("attention", args, "| benchmark | batch | T | median ms/iter | min-max ms | tokens/s | achieved GFLOP/s (analytic) | peak RSS MiB |", Shapes.Keys, RunOne);
    }

    /// <summary>Per-op time of three fwd+bwd steps of one shape (after the warm-up), as <see cref="OpProfiler"/> sees it.</summary>
    private static int Profile(string name)
    {
        var (step, _) = Build(name);
        var (_, _, warmup, _) = Shapes[name];
        for (int i = 0; i < warmup; i++)
        {
            step();
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        OpProfiler.Start();
        for (int i = 0; i < 3; i++)
        {
            OpProfiler.Mark();
            step();
        }
        var profile = OpProfiler.Stop();
        cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# {name}: {clock.Elapsed.TotalMilliseconds / 3:F1} ms/step, {cpu.TotalMilliseconds / 3:F1} ms CPU time/step (all threads), peak RSS {BenchHarness.PeakRssMib():F0} MiB"));
        Console.Write(profile.ToTable());
        return 0;
    }

    private static (Action Step, double Flops) Build(string name)
    {
        var (batch, length, _, _) = Shapes[name];
        const int d = 256, heads = 8;
        var rng = new Generator(0);
        var mha = new MultiHeadAttention(new MultiHeadAttentionOptions { EmbedDim = d, Heads = heads }, rng);
        var x = Tensor.RandomNormal(rng, new Shape(batch, length, d));
        x.RequiresGrad = true;
        var gradOut = Tensor.RandomNormal(rng, new Shape(batch, length, d));
        void Step()
        {
            var y = mha.Forward(x);
            y.Backward(gradOut);
            x.ZeroGrad();
            mha.ZeroGrad();
        }
        return (Step, 3.0 * batch * (length * 4.0 * 2 * d * d + 2.0 * 2 * length * (double)length * d));
    }

    private static string RunOne(string name)
    {
        var (batch, length, warmup, iterations) = Shapes[name];
        var (step, flops) = Build(name);
        var timing = BenchHarness.Time(step, warmup, iterations);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {batch} | {length} | {timing.Median * 1e3:F1} | {timing.Min * 1e3:F1}-{timing.Max * 1e3:F1} | {batch * length / timing.Median:F0} | {flops / timing.Median / 1e9:F1} | {BenchHarness.PeakRssMib():F0} |");
    }
}
