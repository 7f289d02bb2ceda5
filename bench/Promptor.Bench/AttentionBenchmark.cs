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
        if (args.Length == 1 && args[0] == "--tiles")
        {
            return Tiles();
        }
        if (args.Length == 2 && args[0] == "--kernel")
        {
            return Kernel(args[1]);
        }
        return BenchHarness.RunSuite("attention", args, "| benchmark | batch | T | median ms/iter | min-max ms | tokens/s | achieved GFLOP/s (analytic) | peak RSS MiB |", Shapes.Keys, RunOne);
    }

    /// <summary>
    /// The fused attention op alone on the packed projection of one shape: the fastest of 15
    /// forward and of 15 backward passes (the minimum is robust to other load on the machine).
    /// </summary>
    private static int Kernel(string name)
    {
        var (batch, length, _, _) = Shapes[name];
        const int d = 256, heads = 8;
        var rng = new Generator(0);
        var packed = Tensor.RandomNormal(rng, new Shape(batch, length, 3 * d));
        packed.RequiresGrad = true;
        var gradOut = Tensor.RandomNormal(rng, new Shape(batch, length, d));
        double bestForward = double.MaxValue, bestBackward = double.MaxValue, cpuForward = double.MaxValue, cpuBackward = double.MaxValue;
        var process = System.Diagnostics.Process.GetCurrentProcess();
        for (int i = 0; i < 15; i++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var o = Ops.PackedSelfAttention(packed, heads);
            bestForward = Math.Min(bestForward, clock.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpuForward = Math.Min(cpuForward, (process.TotalProcessorTime - cpu).TotalMilliseconds);
            cpu = process.TotalProcessorTime;
            clock.Restart();
            o.Backward(gradOut);
            bestBackward = Math.Min(bestBackward, clock.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpuBackward = Math.Min(cpuBackward, (process.TotalProcessorTime - cpu).TotalMilliseconds);
            packed.ZeroGrad();
        }
        double flops = 2.0 * 2 * batch * (double)length * length * d;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name} fused attention: forward {bestForward:F1} ms ({flops / bestForward / 1e6:F0} GFLOP/s; CPU {cpuForward:F1} ms), backward {bestBackward:F1} ms ({2.5 * flops / bestBackward / 1e6:F0} GFLOP/s; CPU {cpuBackward:F1} ms)"));
        return 0;
    }

    /// <summary>Single-thread rates of the tile pieces: the 64 × 64 × 32 score product and the softmax row step.</summary>
    private static unsafe int Tiles()
    {
        var a = new float[64 * 32];
        var b = new float[32 * 64];
        var c = new float[64 * 64];
        new Generator(1).FillNormal(a, 0, 1);
        new Generator(2).FillNormal(b, 0, 1);
        Console.WriteLine($"Vector512 accelerated: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, AVX-512F: {System.Runtime.Intrinsics.X86.Avx512F.IsSupported}");
        fixed (float* pa = a, pb = b, pc = c)
        {
            for (int round = 0; round < 3; round++)
            {
                const int reps = 20000;
                var clock = System.Diagnostics.Stopwatch.StartNew();
                for (int i = 0; i < reps; i++)
                {
                    Promptor.Tensors.Kernels.AttentionTileKernels.Product(64, 64, 32, 1f, pa, 32, 1, pb, 64, pc, 64, accumulate: false);
                }
                double product = clock.Elapsed.TotalSeconds;
                clock.Restart();
                for (int i = 0; i < reps; i++)
                {
                    Promptor.Tensors.Kernels.AttentionTileKernels.Product(64, 32, 64, 1f, pc, 64, 1, pb, 32, pa, 32, accumulate: true);
                }
                double productPv = clock.Elapsed.TotalSeconds;
                clock.Restart();
                float m = 0, l = 0;
                for (int i = 0; i < reps; i++)
                {
                    for (int r = 0; r < 64; r++)
                    {
                        m = -1e30f;
                        l = 0;
                        Promptor.Tensors.Kernels.AttentionTileKernels.OnlineSoftmaxRow(pc + r * 64, 64, ref m, ref l);
                    }
                }
                double softmax = clock.Elapsed.TotalSeconds;
                double flops = 2.0 * 64 * 64 * 32 * reps;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"S=QKᵀ 64×64×32: {flops / product / 1e9:F1} GFLOP/s; O+=PV 64×32×64: {flops / productPv / 1e9:F1} GFLOP/s; softmax rows: {product * 1e9 / reps:F0} ns vs {softmax * 1e9 / reps:F0} ns per 64×64 tile"));
            }
        }
        return 0;
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
