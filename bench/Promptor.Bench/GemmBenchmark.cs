using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Promptor.Tensors.Kernels;
using Promptor.Tensors.Native;

namespace Promptor.Bench;

/// <summary>
/// GFLOP/s of <see cref="Gemm"/> on the managed and OpenBLAS backends, 1 and 2 threads, measured
/// side by side per shape: warm-up, then the median of timed samples. Options:
/// <c>--quick</c> (shorter timing), <c>--only square|linear|attention</c>,
/// <c>--threads 1,2</c>, <c>--managed-only</c>, <c>--cpu-time</c>, block-size overrides <c>--kc/--mc/--nc N</c> and
/// <c>--scheme partitioned|sharedslices</c>, <c>--parts-per-thread N</c> (how one product is spread over threads) for tuning.
/// </summary>
internal static class GemmBenchmark
{
    private sealed record Case(string Group, int M, int N, int K, bool TransA, bool TransB, int Batch)
    {
        public string Shape => Batch > 1 ? $"{M}×{N}×{K} ×{Batch}" : $"{M}×{N}×{K}";

        public string Op => $"{(TransA ? 'T' : 'N')}{(TransB ? 'T' : 'N')}";

        public double Flops => 2.0 * M * N * K * Batch;
    }

    private static readonly Case[] Cases =
    [
        new("square", 512, 512, 512, false, false, 1),
        new("square", 1024, 1024, 1024, false, false, 1),
        new("square", 2048, 2048, 2048, false, false, 1),
        new("linear", 4096, 256, 256, false, false, 1),
        new("linear", 4096, 256, 256, false, true, 1),
        new("linear", 4096, 1024, 256, false, false, 1),
        new("linear", 4096, 256, 1024, false, false, 1),
        new("linear", 8192, 512, 512, false, false, 1),
        new("linear", 8192, 512, 512, true, false, 1),
        new("attention", 64, 64, 16, false, true, 1),
        new("attention", 128, 128, 32, false, true, 1),
        new("attention", 512, 512, 32, false, true, 1),
        new("attention", 64, 64, 16, false, true, 256),
        new("attention", 128, 128, 32, false, true, 256),
        new("attention", 512, 512, 32, false, true, 64),
    ];

    // Tuning aid on a shared machine: time by process CPU seconds (÷ threads) instead of the wall
    // clock, so being descheduled does not count. Spinning worker threads inflate it, so it is
    // only fair for the managed backend; the table of record uses the wall clock.
    private static bool _cpuTime;

    public static int Run(string[] args)
    {
        double duration = 1.0;
        bool openBlas = Gemm.IsOpenBlasAvailable;
        string? only = null;
        int[] threads = [1, 2];
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": duration = 0.3; break;
                case "--cpu-time": _cpuTime = true; break;
                case "--managed-only": openBlas = false; break;
                case "--only": only = args[++i]; break;
                case "--threads": threads = Array.ConvertAll(args[++i].Split(','), int.Parse); break;
                case "--kc": GemmManaged.Kc = int.Parse(args[++i]); break;
                case "--mc": GemmManaged.Mc = int.Parse(args[++i]); break;
                case "--nc": GemmManaged.Nc = int.Parse(args[++i]); break;
                case "--scheme": GemmManaged.Scheme = Enum.Parse<GemmManaged.ParallelScheme>(args[++i], ignoreCase: true); break;
                case "--parts-per-thread": GemmManaged.PartsPerThread = int.Parse(args[++i]); break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 1;
            }
        }

        Console.WriteLine($"managed kernel: {GemmManaged.BestKernel}, KC={GemmManaged.Kc} MC={GemmManaged.Mc} NC={GemmManaged.Nc}; " +
            $"OpenBLAS: {(openBlas ? Blas.CoreName ?? "available" : "not found")}; cores: {Environment.ProcessorCount}");
        if (openBlas && Blas.CoreName is { } core && core is not ("SkylakeX" or "Cooperlake" or "SapphireRapids"))
        {
            // OpenBLAS 0.3.21 does not recognise every AVX-512 CPU and then falls back to old kernels.
            Console.WriteLine($"warning: OpenBLAS runs its {core} kernels; OPENBLAS_CORETYPE=SkylakeX selects its AVX-512 ones.");
        }

        // The machine is shared: a register-only FMA loop shows how much of it this run had.
        Console.WriteLine($"FMA peak right now (register-only loop): 1 thread {FmaPeak(1):F0}, " +
            $"{Environment.ProcessorCount} threads {FmaPeak(Environment.ProcessorCount):F0} GFLOP/s; " +
            $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine();
        Console.WriteLine("| shape m×n×k | op | threads | managed GFLOP/s | OpenBLAS GFLOP/s | managed / OpenBLAS |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var random = new Random(1);
        foreach (Case shape in Cases)
        {
            if (only is not null && shape.Group != only)
            {
                continue;
            }

            int strideA = shape.M * shape.K, strideB = shape.K * shape.N, strideC = shape.M * shape.N;
            float[] a = Fill(random, strideA * shape.Batch);
            float[] b = Fill(random, strideB * shape.Batch);
            float[] c = new float[strideC * shape.Batch];
            int lda = shape.TransA ? shape.M : shape.K, ldb = shape.TransB ? shape.K : shape.N;
            void Product()
            {
                if (shape.Batch == 1)
                {
                    Gemm.Multiply(shape.TransA, shape.TransB, shape.M, shape.N, shape.K, 1f, a, lda, b, ldb, 0f, c, shape.N);
                }
                else
                {
                    Gemm.MultiplyBatched(shape.TransA, shape.TransB, shape.M, shape.N, shape.K, 1f,
                        a, strideA, b, strideB, 0f, c, strideC, shape.Batch);
                }
            }

            foreach (int t in threads)
            {
                Gemm.MaxThreads = t;
                GemmBackend[] backends = openBlas ? [GemmBackend.Managed, GemmBackend.OpenBlas] : [GemmBackend.Managed];
                double[] seconds = Median(Product, backends, duration);
                double managed = shape.Flops / seconds[0] / 1e9;
                string blas = openBlas ? (shape.Flops / seconds[1] / 1e9).ToString("F0") : "–";
                string ratio = openBlas ? (seconds[1] / seconds[0]).ToString("P0") : "–";
                Console.WriteLine($"| {shape.Shape} | {shape.Op} | {t} | {managed:F0} | {blas} | {ratio} |");
            }
        }

        Gemm.Backend = GemmBackend.Auto;
        Gemm.MaxThreads = Environment.ProcessorCount;
        return 0;
    }

    /// <summary>
    /// Median seconds per call on each backend. The backends take turns in rounds of about a
    /// fifth of the budget each, so a noisy neighbour slows both alike and their ratio stays
    /// meaningful; calls are grouped so one timed sample lasts at least 2 ms. Each turn starts
    /// after <see cref="SettleMilliseconds"/> of sleep: OpenBLAS's pthread workers spin for about
    /// 2²⁸ cycles (~0.1 s) after every call before they sleep, and a turn that started at once
    /// would share its cores with them (sample-by-sample alternation measured the managed
    /// two-thread products 25–50 % slower than managed-only runs did).
    /// </summary>
    private static double[] Median(Action run, GemmBackend[] backends, double duration)
    {
        int[] reps = new int[backends.Length];
        for (int b = 0; b < backends.Length; b++)
        {
            Gemm.Backend = backends[b];
            run();
            long start = Stopwatch.GetTimestamp();
            run();
            double once = Math.Max(Stopwatch.GetElapsedTime(start).TotalSeconds, 1e-7);
            reps[b] = Math.Max(1, (int)Math.Ceiling(0.002 / once));
            start = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(start).TotalSeconds < 0.1 * duration)
            {
                run();
            }
        }

        var samples = new List<double>[backends.Length];
        for (int b = 0; b < backends.Length; b++)
        {
            samples[b] = [];
        }

        const int Rounds = 5;
        for (int round = 0; round < Rounds || samples.Any(list => list.Count < 7); round++)
        {
            for (int b = 0; b < backends.Length; b++)
            {
                Gemm.Backend = backends[b];
                if (backends.Length > 1)
                {
                    Thread.Sleep(SettleMilliseconds);
                }

                var turn = Stopwatch.StartNew();
                do
                {
                    samples[b].Add(Sample(run, reps[b]));
                }
                while (turn.Elapsed.TotalSeconds < duration / Rounds && samples[b].Count < 500);
            }
        }

        return Array.ConvertAll(samples, s =>
        {
            s.Sort();
            return s[s.Count / 2];
        });
    }

    /// <summary>Pause before each backend's turn so the other backend's idle workers stop spinning.</summary>
    private const int SettleMilliseconds = 250;

    /// <summary>Seconds per call of one timed group of <paramref name="reps"/> calls (CPU seconds per thread with <c>--cpu-time</c>).</summary>
    private static double Sample(Action run, int reps)
    {

        long start = Stopwatch.GetTimestamp();
        TimeSpan cpuStart = _cpuTime ? Process.GetCurrentProcess().TotalProcessorTime : default;
        for (int r = 0; r < reps; r++)
        {
            run();
        }

        double elapsed = _cpuTime
            ? (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds / Gemm.MaxThreads
            : Stopwatch.GetElapsedTime(start).TotalSeconds;
        return elapsed / reps;
    }

    /// <summary>GFLOP/s of 16 independent FMA chains per thread (the float32 throughput ceiling), over about 0.3 s.</summary>
    private static double FmaPeak(int threads)
    {
        const long Iterations = 20_000_000;
        var sink = new float[threads];
        long start = Stopwatch.GetTimestamp();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => sink[t] = FmaChains(Iterations));
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        int lanes = Vector512.IsHardwareAccelerated ? 16 : Vector256<float>.Count;
        return 2.0 * 16 * lanes * Iterations * threads / seconds / 1e9;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float FmaChains(long iterations)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            return 0f;
        }

        Vector512<float> x = Vector512.Create(1.0001f), y = Vector512.Create(0.9999f);
        Vector512<float> c0 = x, c1 = x, c2 = x, c3 = x, c4 = x, c5 = x, c6 = x, c7 = x;
        Vector512<float> c8 = x, c9 = x, c10 = x, c11 = x, c12 = x, c13 = x, c14 = x, c15 = x;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, y, x); c1 = Vector512.FusedMultiplyAdd(c1, y, x);
            c2 = Vector512.FusedMultiplyAdd(c2, y, x); c3 = Vector512.FusedMultiplyAdd(c3, y, x);
            c4 = Vector512.FusedMultiplyAdd(c4, y, x); c5 = Vector512.FusedMultiplyAdd(c5, y, x);
            c6 = Vector512.FusedMultiplyAdd(c6, y, x); c7 = Vector512.FusedMultiplyAdd(c7, y, x);
            c8 = Vector512.FusedMultiplyAdd(c8, y, x); c9 = Vector512.FusedMultiplyAdd(c9, y, x);
            c10 = Vector512.FusedMultiplyAdd(c10, y, x); c11 = Vector512.FusedMultiplyAdd(c11, y, x);
            c12 = Vector512.FusedMultiplyAdd(c12, y, x); c13 = Vector512.FusedMultiplyAdd(c13, y, x);
            c14 = Vector512.FusedMultiplyAdd(c14, y, x); c15 = Vector512.FusedMultiplyAdd(c15, y, x);
        }

        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15);
    }

    private static float[] Fill(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }
}
