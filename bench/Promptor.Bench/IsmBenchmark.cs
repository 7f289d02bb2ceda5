using System.Globalization;
using Promptor.Genomics.Interpretation;
using Promptor.Genomics.Models;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Bench;

/// <summary>
/// <c>ism</c>: in-silico mutagenesis of one 1 kb promoter (3,000 single mutants) for all 34
/// treatments of the yeast task with the default <see cref="CondPromoter"/> (random weights: the
/// cost does not depend on them). Times the windowed path at several batch sizes, the plain
/// full-length batched path once, and the stages of one forward pass over 3,000 mutants.
/// Options: <c>--batch N</c> (repeatable), <c>--parallel N</c> (batches in flight, repeatable; default
/// 1, 0 = one per core), <c>--iterations N</c> (default 5), <c>--no-full</c>, <c>--no-stages</c> (skip the
/// stage table, which times the model's own layers — the path of models the ISM engine does not
/// take), <c>--attention</c> (only the attention kernel at the ISM's sizes),
/// <c>--profile</c> (also the per-op table of the encoder and cross-attention over 3,000 mutants,
/// and the allocation and garbage-collection cost of one ISM).
/// </summary>
public static class IsmBenchmark
{
    /// <summary>Runs the benchmark and prints one table.</summary>
    public static int Run(string[] args)
    {
        var batches = new List<int>();
        var inFlight = new List<int>();
        int iterations = 5;
        bool full = true, profile = false, stages = true, attention = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--batch": batches.Add(int.Parse(args[++i], CultureInfo.InvariantCulture)); break;
                case "--iterations": iterations = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--no-full": full = false; break;
                case "--no-stages": stages = false; break;
                case "--attention": attention = true; break;
                case "--profile": profile = true; break;
                case "--parallel": inFlight.Add(int.Parse(args[++i], CultureInfo.InvariantCulture)); break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; options: --batch N, --parallel N, --iterations N, --no-full, --no-stages, --attention, --profile");
                    return 2;
            }
        }
        if (attention)
        {
            AttentionKernel(iterations);
            return 0;
        }
        if (batches.Count == 0)
        {
            batches.AddRange([64, 128, 256]);
        }
        if (inFlight.Count == 0)
        {
            inFlight.Add(1);
        }
        var options = new CondPromoterOptions { TreatmentCount = 34 };
        var rng = new Generator(0);
        var model = new CondPromoter(options, rng);
        model.Eval();
        var x = new Tensor(new Shape(options.SequenceLength, 4));
        for (int i = 0; i < options.SequenceLength; i++)
        {
            x.Data[i * 4 + rng.NextInt(4)] = 1f;
        }
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"ISM of one {options.SequenceLength} bp promoter, {3 * options.SequenceLength} mutants, {options.TreatmentCount} treatments, default CondPromoter ({model.ParameterCount:N0} parameters), {Environment.ProcessorCount} cores"));
        Console.WriteLine();
        Console.WriteLine("| path | batch | median s | min-max s | mutants/s | CPU s per run |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (int parallel in inFlight)
        {
            foreach (int batch in batches)
            {
                var (timing, cpu) = TimeWithCpu(() => InSilicoMutagenesis.Run(model, x, batch, parallel), 1, iterations);
                // InSilicoMutagenesis.Run: the ISM engine when the model fits it, else the windowed convolutions.
                string path = parallel == 1 ? "InSilicoMutagenesis.Run" : parallel == 0 ? "InSilicoMutagenesis.Run, one batch per core in flight" : string.Create(CultureInfo.InvariantCulture, $"InSilicoMutagenesis.Run, {parallel} batches in flight");
                Console.WriteLine(Row(path, batch, timing, 3 * options.SequenceLength, cpu));
            }
        }
        if (full)
        {
            var (timing, cpu) = TimeWithCpu(() => InSilicoMutagenesis.Run(model.Forward, x, 128), 0, 1);
            Console.WriteLine(Row("full-length mutants", 128, timing, 3 * options.SequenceLength, cpu));
        }
        if (stages)
        {
            Console.WriteLine();
            Stages(model, options, iterations);
        }
        if (profile)
        {
            Console.WriteLine();
            Profile(model, options);
        }
        Console.WriteLine(string.Create(inv, $"peak RSS {BenchHarness.PeakRssMib():F0} MiB"));
        return 0;
    }

    private static string Row(string path, int batch, BenchHarness.Timing t, int mutants, double cpu) => string.Create(CultureInfo.InvariantCulture,
        $"| {path} | {batch} | {t.Median:F2} | {t.Min:F2}-{t.Max:F2} | {mutants / t.Median:F0} | {cpu:F2} |");

    private static Tensor RandomOneHot(Generator rng, int batch, int length)
    {
        var x = new Tensor(new Shape(batch, length, 4));
        for (int i = 0; i < batch * length; i++)
        {
            x.Data[i * 4 + rng.NextInt(4)] = 1f;
        }
        return x;
    }

    /// <summary>
    /// Wall times, and this process's CPU time per run (warm-up included): on a machine shared with
    /// other work the CPU time still measures the work done; on an idle 2-core machine the wall time
    /// approaches it divided by 2.
    /// </summary>
    private static (BenchHarness.Timing Timing, double CpuSeconds) TimeWithCpu(Action step, int warmup, int iterations)
    {
        var process = System.Diagnostics.Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        var timing = BenchHarness.Time(step, warmup, iterations);
        process.Refresh();
        return (timing, (process.TotalProcessorTime - before).TotalSeconds / (warmup + iterations));
    }

    /// <summary>Time of each stage for 3,000 mutants in batches of 128: windowed convolutions, positions + encoder, cross-attention + head.</summary>
    private static void Stages(CondPromoter model, CondPromoterOptions options, int iterations)
    {
        const int batch = 128;
        int mutants = 3 * options.SequenceLength, chunks = (mutants + batch - 1) / batch;
        var rng = new Generator(1);
        var window = RandomOneHot(rng, batch, 144);
        Tensor features, memory;
        using (Tape.NoGrad())
        {
            features = model.Convolve(RandomOneHot(rng, batch, options.SequenceLength));  // (128, C, T')
            memory = model.EncodeFeatures(features);                                        // (128, T', d)
        }
        void Repeat(Action step)
        {
            using (Tape.NoGrad())
            {
                for (int c = 0; c < chunks; c++)
                {
                    step();
                }
            }
        }
        var conv = TimeWithCpu(() => Repeat(() => model.Convolve(window)), 1, iterations);
        var encoder = TimeWithCpu(() => Repeat(() => model.EncodeFeatures(features)), 1, iterations);
        var cross = TimeWithCpu(() => Repeat(() => model.ForwardEncoded(memory, needWeights: false)), 1, iterations);
        Console.WriteLine("| stage (3,000 mutants, batches of 128) | median s | CPU s |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| convolutions on 144 bp windows | {conv.Timing.Median:F2} | {conv.CpuSeconds:F2} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| positions + self-attention blocks (T' = {options.EncodedLength}) | {encoder.Timing.Median:F2} | {encoder.CpuSeconds:F2} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| cross-attention + head ({options.TreatmentCount} queries) | {cross.Timing.Median:F2} | {cross.CpuSeconds:F2} |"));
    }

    /// <summary>
    /// The self-attention kernel alone, as one ISM runs it: 48 calls (2 blocks × 24 batches) on packed
    /// <c>(128, 62, 3·128)</c> projections, 8 heads of 16, on one thread; and the cross-attention's
    /// 24 calls with 34 shared queries.
    /// </summary>
    private static void AttentionKernel(int iterations)
    {
        const int batch = 128, t = 62, d = 128, heads = 8, width = 16, treatments = 34;
        var rng = new Generator(3);
        var qkv = new float[batch * t * 3 * d];
        for (int i = 0; i < qkv.Length; i++)
        {
            qkv[i] = (float)rng.NextNormal();
        }
        var queries = qkv.AsSpan(0, treatments * d).ToArray();
        var output = new float[batch * t * d];
        void Self() => Promptor.Tensors.Kernels.InferenceKernels.Attention(
            qkv, Promptor.Tensors.Kernels.AttentionLayout.Interleaved(0, t, 3 * d, width),
            qkv, Promptor.Tensors.Kernels.AttentionLayout.Interleaved(d, t, 3 * d, width),
            qkv, Promptor.Tensors.Kernels.AttentionLayout.Interleaved(2 * d, t, 3 * d, width),
            output, Promptor.Tensors.Kernels.AttentionLayout.Interleaved(0, t, d, width), batch, heads, t, t, width, 0.25f);
        void Cross() => Promptor.Tensors.Kernels.InferenceKernels.Attention(
            queries, new Promptor.Tensors.Kernels.AttentionLayout(0, 0, width, d),
            qkv, Promptor.Tensors.Kernels.AttentionLayout.Interleaved(0, t, 3 * d, width),
            qkv, Promptor.Tensors.Kernels.AttentionLayout.Interleaved(d, t, 3 * d, width),
            output, Promptor.Tensors.Kernels.AttentionLayout.Interleaved(0, treatments, d, width), batch, heads, treatments, t, width, 0.25f);
        using (Promptor.Tensors.Kernels.Gemm.LimitThreads(1))
        {
            var self = TimeWithCpu(() => { for (int i = 0; i < 48; i++) { Self(); } }, 1, iterations);
            var cross = TimeWithCpu(() => { for (int i = 0; i < 24; i++) { Cross(); } }, 1, iterations);
            double flops = 48.0 * batch * heads * t * t * width * 4;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"self-attention kernel, 48 calls (128 × 8 heads, 62 × 62, D 16), one thread: {self.Timing.Median:F3} s, {self.CpuSeconds:F3} CPU-s ({flops / self.CpuSeconds / 1e9:F1} GFLOP per CPU-s); cross-attention, 24 calls (34 queries): {cross.Timing.Median:F3} s, {cross.CpuSeconds:F3} CPU-s"));
        }
    }

    /// <summary>
    /// The per-op forward time of the ISM's attention stages (positions, self-attention blocks,
    /// cross-attention and head) over 3,000 mutants in batches of 128. <see cref="OpProfiler"/> sees
    /// only recorded ops, so these forwards run with gradient recording on (the parameters require
    /// grad) and no backward pass; the kernels are the ones the no-grad path runs. Then the bytes
    /// allocated, collections and GC pause time of one windowed ISM.
    /// </summary>
    private static void Profile(CondPromoter model, CondPromoterOptions options)
    {
        const int batch = 128;
        int mutants = 3 * options.SequenceLength, chunks = (mutants + batch - 1) / batch;
        var rng = new Generator(2);
        Tensor features;
        using (Tape.NoGrad())
        {
            features = model.Convolve(RandomOneHot(rng, batch, options.SequenceLength));  // (128, C, T')
        }
        void Forward()
        {
            OpProfiler.Mark();
            var memory = model.EncodeFeatures(features);
            model.ForwardEncoded(memory, needWeights: false);
        }
        Forward();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        OpProfiler.Start();
        for (int c = 0; c < chunks; c++)
        {
            Forward();
        }
        var table = OpProfiler.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per-op forward time, positions + encoder + cross-attention + head, {chunks} batches of {batch} (recording on): {clock.Elapsed.TotalSeconds:F2} s"));
        Console.Write(table.ToTable());

        var x = RandomOneHot(rng, 1, options.SequenceLength);
        InSilicoMutagenesis.Run(model, x, batch);
        long bytes = GC.GetTotalAllocatedBytes(precise: true);
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        var pause = GC.GetTotalPauseDuration();
        var wall = System.Diagnostics.Stopwatch.StartNew();
        InSilicoMutagenesis.Run(model, x, batch);
        wall.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one windowed ISM: {wall.Elapsed.TotalSeconds:F2} s, allocated {(GC.GetTotalAllocatedBytes(precise: true) - bytes) / (1024.0 * 1024.0):F0} MiB, collections gen0/1/2 {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2}, GC pause {(GC.GetTotalPauseDuration() - pause).TotalSeconds:F2} s"));
    }
}
