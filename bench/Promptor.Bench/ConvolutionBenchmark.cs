using System.Diagnostics;
using Promptor.Tensors;
using Promptor.Tensors.Kernels;

namespace Promptor.Bench;

/// <summary>
/// The kernel choices behind CondPromoter's convolutions, linear layers and attention, each measured
/// with and without itself in alternation (one call of each side per round, so both see the same
/// host): Winograd F(3, 3) window products for the second layer (B=64, 128 → 128 channels, 250
/// positions, K = 9, pool 4), table look-ups for the one-hot first layer (4 → 128, 1000 positions,
/// K = 15), the GEMM reading a non-transposed A in place against packing it, and the lane-layout
/// training attention for 16-wide heads (8 heads over 62 positions, read from a packed QKV
/// projection, with and without weight dropout 0.1) against the general tile kernels.
/// </summary>
public static class ConvolutionBenchmark
{
    /// <summary>Prints one markdown row per case: median ms without and with the choice, and the ratio.</summary>
    public static int Run(string[] args)
    {
        int rounds = args.Length > 0 && int.TryParse(args[0], out int r) ? r : 30;
        var rng = new Generator(0);
        const int batch = 64, pool = 4, channels = 128;

        var second = new Conv1dGeometry(batch, channels, 250, channels, 9, 1, 1, 4, 4);
        var x2 = Filled(rng, batch * 250 * channels);
        var w2 = Filled(rng, channels * channels * 9);
        var b2 = Filled(rng, channels);
        int lo2 = second.LOut / pool;
        var y2 = new float[batch * lo2 * channels];
        var argmax2 = new int[y2.Length];
        var dy2 = Filled(rng, y2.Length);
        var dx2 = new float[x2.Length];
        var dw2 = new float[w2.Length];
        var db2 = new float[channels];

        var first = new Conv1dGeometry(batch, 4, 1000, channels, 15, 1, 1, 7, 7);
        var x1 = new float[batch * 1000 * 4];
        for (int i = 0; i < batch * 1000; i++)
        {
            x1[i * 4 + rng.NextInt(4)] = 1f;
        }
        var w1 = Filled(rng, channels * 4 * 15);
        var b1 = Filled(rng, channels);
        var y1 = new float[batch * (first.LOut / pool) * channels];
        var argmax1 = new int[y1.Length];
        var dy1 = Filled(rng, y1.Length);
        var dw1 = new float[w1.Length];
        var db1 = new float[channels];
        Conv1dWindowKernels.ForwardPoolReluRecorded(x1, w1, b1, y1, argmax1, first, pool);

        var windows = Filled(rng, (batch * 258 + 8) * channels);
        var arranged = Filled(rng, 9 * channels * channels);
        var product = new float[batch * 258 * channels];
        var rows = Filled(rng, 3968 * 512);
        var weight = Filled(rng, 512 * 512);
        var output = new float[3968 * 512];

        const int heads = 8, positions = 62, width = channels / heads;
        var packed = Filled(rng, batch * positions * 3 * channels);
        var packedGradient = new float[packed.Length];
        var attended = new float[batch * positions * channels];
        var attendedGradient = Filled(rng, attended.Length);
        var logSumExp = new float[batch * heads * positions];
        var attention = new AttentionDims(batch, heads, positions, positions, width, width);
        var (ql, kl, vl) = (AttentionLayout.Interleaved(0, positions, 3 * channels, width), AttentionLayout.Interleaved(channels, positions, 3 * channels, width),
            AttentionLayout.Interleaved(2 * channels, positions, 3 * channels, width));
        var ol = AttentionLayout.Interleaved(0, positions, channels, width);
        float attentionScale = 1f / MathF.Sqrt(width);
        void AttentionForward(AttentionDropout? dropout) => AttentionKernels.ForwardStrided(packed, ql, packed, kl, packed, vl, attended, ol, logSumExp,
            attention, AttentionMaskSpec.None, attentionScale, dropout);
        void AttentionBackward(AttentionDropout? dropout) => AttentionKernels.BackwardStrided(packed, ql, packed, kl, packed, vl, attended, ol, logSumExp,
            attendedGradient, packedGradient, packedGradient, packedGradient, attention, AttentionMaskSpec.None, attentionScale, dropout);
        var weightDropout = new AttentionDropout(0.1f, 12345UL);
        // Cross-attention: one treatment query per gene over the 62 positions, keys and values from one projection.
        var query = Filled(rng, batch * channels);
        var queryGradient = new float[query.Length];
        var keysValues = Filled(rng, batch * positions * 2 * channels);
        var keysValuesGradient = new float[keysValues.Length];
        var crossOutput = new float[batch * channels];
        var crossGradient = Filled(rng, crossOutput.Length);
        var crossLogSumExp = new float[batch * heads];
        var cross = new AttentionDims(batch, heads, 1, positions, width, width);
        var (cq, ck, cv) = (AttentionLayout.Interleaved(0, 1, channels, width), AttentionLayout.Interleaved(0, positions, 2 * channels, width),
            AttentionLayout.Interleaved(channels, positions, 2 * channels, width));
        void CrossStep()
        {
            AttentionKernels.ForwardStrided(query, cq, keysValues, ck, keysValues, cv, crossOutput, cq, crossLogSumExp, cross, AttentionMaskSpec.None,
                attentionScale, weightDropout);
            AttentionKernels.BackwardStrided(query, cq, keysValues, ck, keysValues, cv, crossOutput, cq, crossLogSumExp, crossGradient,
                queryGradient, keysValuesGradient, keysValuesGradient, cross, AttentionMaskSpec.None, attentionScale, weightDropout);
        }

        var cases = new (string Name, Action<bool> Switch, Action Step)[]
        {
            ("2nd conv, inference forward (pool + ReLU): Winograd", on => WinogradWindowKernels.Enabled = on,
                () => Conv1dWindowKernels.ForwardPoolRelu(x2, w2, b2, y2, second, pool)),
            ("2nd conv, training forward (records argmax): Winograd", on => WinogradWindowKernels.Enabled = on,
                () => Conv1dWindowKernels.ForwardPoolReluRecorded(x2, w2, b2, y2, argmax2, second, pool)),
            ("2nd conv, backward (dx, dW, db): Winograd", on => WinogradWindowKernels.Enabled = on,
                () => Conv1dWindowKernels.BackwardPoolRelu(dy2, y2, argmax2, x2, w2, dx2, dw2, db2, second, pool)),
            ("1st conv, inference forward, one-hot input: look-ups", on => Conv1dOneHotKernels.Enabled = on,
                () => Conv1dWindowKernels.ForwardPoolRelu(x1, w1, b1, y1, first, pool)),
            ("1st conv, training forward, one-hot input: look-ups", on => Conv1dOneHotKernels.Enabled = on,
                () => Conv1dWindowKernels.ForwardPoolReluRecorded(x1, w1, b1, y1, argmax1, first, pool)),
            ("1st conv, backward (dW, db), one-hot input: look-ups", on => Conv1dOneHotKernels.Enabled = on,
                () => Conv1dWindowKernels.BackwardPoolRelu(dy1, y1, argmax1, x1, w1, null, dw1, db1, first, pool)),
            ("window GEMM 16,504×128×1,152: A read in place", on => GemmManaged.ReadRowsInPlace = on,
                () => Gemm.MultiplyOverlapping(false, false, batch * 258 - 8, channels, 9 * channels, 1f, windows, channels, arranged, channels, 0f, product, channels)),
            ("GEMM 3,968×128×512 (A·Bᵀ): A read in place", on => GemmManaged.ReadRowsInPlace = on,
                () => Gemm.Multiply(false, true, 3968, 128, 512, 1f, rows, 512, weight, 512, 0f, output, 128)),
            ("self-attention forward, 64 × 8 heads × 62 × 16: lane layout", on => AttentionNarrowTrainingKernels.Enabled = on, () => AttentionForward(null)),
            ("self-attention backward (dQ, dK, dV): lane layout", on => AttentionNarrowTrainingKernels.Enabled = on, () => AttentionBackward(null)),
            ("self-attention forward, weight dropout 0.1: lane layout", on => AttentionNarrowTrainingKernels.Enabled = on, () => AttentionForward(weightDropout)),
            ("self-attention backward, weight dropout 0.1: lane layout", on => AttentionNarrowTrainingKernels.Enabled = on, () => AttentionBackward(weightDropout)),
            ("cross-attention, 1 query × 62 keys, forward and backward, dropout: lane layout", on => AttentionNarrowTrainingKernels.Enabled = on, CrossStep),
        };

        Console.WriteLine($"Kernel choices, each without | with itself in alternation, {rounds} rounds (median ms)");
        Console.WriteLine();
        Console.WriteLine("| case | without, ms | with, ms | speed-up |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (name, toggle, step) in cases)
        {
            var times = new[] { new List<double>(), new List<double>() };
            try
            {
                for (int round = -2; round < rounds; round++)
                {
                    for (int side = 0; side < 2; side++)
                    {
                        toggle(side == 1);
                        var watch = Stopwatch.StartNew();
                        step();
                        if (round >= 0)
                        {
                            times[side].Add(watch.Elapsed.TotalMilliseconds);
                        }
                    }
                }
            }
            finally
            {
                toggle(true);
            }
            double without = Median(times[0]), with = Median(times[1]);
            Console.WriteLine($"| {name} | {without:F2} | {with:F2} | {without / with:F2}× |");
        }
        return 0;
    }

    private static float[] Filled(Generator rng, int length)
    {
        var values = new float[length];
        rng.FillNormal(values);
        return values;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
