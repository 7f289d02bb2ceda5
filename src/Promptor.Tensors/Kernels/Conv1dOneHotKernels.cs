using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Promptor.Tensors.Kernels;

/// <summary>
/// The first convolution of a DNA model, on one-hot input, as table look-ups: when input row
/// <c>x[t]</c> is the unit vector of base <c>c</c>, its contribution to output t − k is the weight
/// column <c>W[·, c, k]</c>, so each output position is the sum of K looked-up columns (K vector
/// adds per 16 channels) instead of a product over K·Cin inputs, three quarters of them zero. Rows
/// that are not one-hot (N as 0.25 each, soft-masked probabilities, padding) take the dense sum
/// over their Cin values. Pooling and ReLU are applied as each pooled position is finished, as in
/// <see cref="Conv1dWindowKernels.ForwardPoolRelu"/>, whose results these equal up to the order
/// of the additions.
/// </summary>
/// <remarks>Channels-last x <c>(N, L, Cin)</c>, weight <c>(Cout, Cin, K)</c>, y <c>(N, ⌊Lo/pool⌋, Cout)</c>; stride 1, dilation 1.</remarks>
internal static class Conv1dOneHotKernels
{
    /// <summary>Widest input this path takes: DNA (4) and its relatives with an extra symbol or two.</summary>
    public const int MaxInputChannels = 8;

    /// <summary>Code of a padding row (contributes nothing).</summary>
    private const int Padding = -2;

    /// <summary>Code of a row that is not one-hot (dense sum over its channels).</summary>
    private const int Dense = -1;

    /// <summary>Whether the window kernels take this path where it applies (a switch for benchmarks; on by default).</summary>
    internal static bool Enabled = true;

    /// <summary>Whether the look-up path applies: a window convolution with few input channels and whole vectors of output channels.</summary>
    public static bool Supports(in Conv1dGeometry g)
        => Enabled && Vector512.IsHardwareAccelerated && Conv1dWindowKernels.Supports(g)
           && g.Cin <= MaxInputChannels && g.Cout % Vector512<float>.Count == 0;

    /// <summary>
    /// y = relu(maxpool(conv(x) + bias)) over windows of <paramref name="pool"/> positions every
    /// <paramref name="pool"/>; with <paramref name="argmax"/>, also the winning position of each
    /// window (0 … pool − 1, the first on ties, NaN wins), as
    /// <see cref="Conv1dWindowKernels.ForwardPoolReluRecorded"/>.
    /// </summary>
    public static void ForwardPoolRelu(float[] x, float[] weight, float[]? bias, float[] y, int[]? argmax, Conv1dGeometry g, int pool)
    {
        int k = g.K, cin = g.Cin, cout = g.Cout, lo = g.LOut / pool, padded = g.PadLeft + g.L + g.PadRight;
        // Weight (Cout, Cin, K) → table (K, Cin, Cout): the column of tap t and base c is contiguous.
        float[] table = ArrayPool<float>.Shared.Rent(k * cin * cout);
        try
        {
            for (int co = 0; co < cout; co++)
            {
                for (int ci = 0; ci < cin; ci++)
                {
                    for (int t = 0; t < k; t++)
                    {
                        table[(t * cin + ci) * cout + co] = weight[(co * cin + ci) * k + t];
                    }
                }
            }
            var geometry = g;
            Conv1dKernels.ForSamples(g.N, lo * pool * cout, n =>
            {
                int[] codes = ArrayPool<int>.Shared.Rent(padded);
                try
                {
                    Encode(x, n, codes, geometry);
                    for (int block = 0; block < cout; block += BlockWidth)
                    {
                        int width = Math.Min(BlockWidth, cout - block);
                        if (width == BlockWidth)
                        {
                            PoolBlock(x, n, codes, table, bias, y, argmax, geometry, pool, block);
                        }
                        else
                        {
                            for (int c = block; c < block + width; c += Vector512<float>.Count)
                            {
                                PoolVector(x, n, codes, table, bias, y, argmax, geometry, pool, c);
                            }
                        }
                    }
                }
                finally
                {
                    ArrayPool<int>.Shared.Return(codes);
                }
            });
        }
        finally
        {
            ArrayPool<float>.Shared.Return(table);
        }
    }

    /// <summary>Output channels kept in registers at once: 8 vectors of 16.</summary>
    private const int BlockWidth = 8 * 16;

    /// <summary>
    /// Codes of sample n's padded rows: the base of a one-hot row, <see cref="Dense"/> for any other
    /// row, <see cref="Padding"/> outside the sequence.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Encode(float[] x, int n, int[] codes, in Conv1dGeometry g)
    {
        int cin = g.Cin, padded = g.PadLeft + g.L + g.PadRight;
        for (int p = 0; p < padded; p++)
        {
            int position = p - g.PadLeft;
            if (position < 0 || position >= g.L)
            {
                codes[p] = Padding;
                continue;
            }
            int row = (n * g.L + position) * cin, hot = Dense, ones = 0;
            bool clean = true;
            for (int c = 0; c < cin; c++)
            {
                float v = x[row + c];
                if (v == 1f)
                {
                    hot = c;
                    ones++;
                }
                else if (v != 0f)
                {
                    clean = false;
                }
            }
            codes[p] = clean && ones == 1 ? hot : Dense;
        }
    }

    /// <summary>One block of 128 output channels of sample n, every pooled position, 8 accumulators in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PoolBlock(float[] x, int n, int[] codes, float[] table, float[]? bias, float[] y, int[]? argmax,
        in Conv1dGeometry g, int pool, int block)
    {
        int k = g.K, cin = g.Cin, cout = g.Cout, lo = g.LOut / pool;
        int tapStride = cin * cout;
        fixed (float* tableBase = table, xBase = x, yBase = y)
        fixed (int* codeBase = codes)
        {
            float* columns = tableBase + block;
            for (int q = 0; q < lo; q++)
            {
                Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default;
                Vector512<float> b4 = default, b5 = default, b6 = default, b7 = default;
                Vector512<int> w0 = default, w1 = default, w2 = default, w3 = default;
                Vector512<int> w4 = default, w5 = default, w6 = default, w7 = default;
                for (int i = 0; i < pool; i++)
                {
                    int t = q * pool + i;
                    Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                    Vector512<float> a4 = default, a5 = default, a6 = default, a7 = default;
                    for (int tap = 0; tap < k; tap++)
                    {
                        int code = codeBase[t + tap];
                        if (code >= 0)
                        {
                            float* column = columns + tap * tapStride + code * cout;
                            a0 += Vector512.Load(column);
                            a1 += Vector512.Load(column + 16);
                            a2 += Vector512.Load(column + 32);
                            a3 += Vector512.Load(column + 48);
                            a4 += Vector512.Load(column + 64);
                            a5 += Vector512.Load(column + 80);
                            a6 += Vector512.Load(column + 96);
                            a7 += Vector512.Load(column + 112);
                        }
                        else if (code == Dense)
                        {
                            float* row = xBase + ((long)n * g.L + t + tap - g.PadLeft) * cin;
                            for (int c = 0; c < cin; c++)
                            {
                                var v = Vector512.Create(row[c]);
                                float* column = columns + tap * tapStride + c * cout;
                                a0 = Vector512.FusedMultiplyAdd(v, Vector512.Load(column), a0);
                                a1 = Vector512.FusedMultiplyAdd(v, Vector512.Load(column + 16), a1);
                                a2 = Vector512.FusedMultiplyAdd(v, Vector512.Load(column + 32), a2);
                                a3 = Vector512.FusedMultiplyAdd(v, Vector512.Load(column + 48), a3);
                                a4 = Vector512.FusedMultiplyAdd(v, Vector512.Load(column + 64), a4);
                                a5 = Vector512.FusedMultiplyAdd(v, Vector512.Load(column + 80), a5);
                                a6 = Vector512.FusedMultiplyAdd(v, Vector512.Load(column + 96), a6);
                                a7 = Vector512.FusedMultiplyAdd(v, Vector512.Load(column + 112), a7);
                            }
                        }
                    }
                    if (i == 0)
                    {
                        (b0, b1, b2, b3, b4, b5, b6, b7) = (a0, a1, a2, a3, a4, a5, a6, a7);
                        continue;
                    }
                    var index = Vector512.Create(i);
                    Keep(a0, ref b0, ref w0, index);
                    Keep(a1, ref b1, ref w1, index);
                    Keep(a2, ref b2, ref w2, index);
                    Keep(a3, ref b3, ref w3, index);
                    Keep(a4, ref b4, ref w4, index);
                    Keep(a5, ref b5, ref w5, index);
                    Keep(a6, ref b6, ref w6, index);
                    Keep(a7, ref b7, ref w7, index);
                }
                long output = ((long)n * lo + q) * cout + block;
                Finish(b0, w0, bias, block, yBase + output, argmax, output);
                Finish(b1, w1, bias, block + 16, yBase + output + 16, argmax, output + 16);
                Finish(b2, w2, bias, block + 32, yBase + output + 32, argmax, output + 32);
                Finish(b3, w3, bias, block + 48, yBase + output + 48, argmax, output + 48);
                Finish(b4, w4, bias, block + 64, yBase + output + 64, argmax, output + 64);
                Finish(b5, w5, bias, block + 80, yBase + output + 80, argmax, output + 80);
                Finish(b6, w6, bias, block + 96, yBase + output + 96, argmax, output + 96);
                Finish(b7, w7, bias, block + 112, yBase + output + 112, argmax, output + 112);
            }
        }
    }

    /// <summary>One vector of 16 output channels starting at <paramref name="channel"/>: the remainder after whole blocks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PoolVector(float[] x, int n, int[] codes, float[] table, float[]? bias, float[] y, int[]? argmax,
        in Conv1dGeometry g, int pool, int channel)
    {
        int k = g.K, cin = g.Cin, cout = g.Cout, lo = g.LOut / pool;
        fixed (float* tableBase = table, xBase = x, yBase = y)
        {
            for (int q = 0; q < lo; q++)
            {
                Vector512<float> best = default;
                Vector512<int> winner = default;
                for (int i = 0; i < pool; i++)
                {
                    int t = q * pool + i;
                    Vector512<float> sum = default;
                    for (int tap = 0; tap < k; tap++)
                    {
                        int code = codes[t + tap];
                        float* columns = tableBase + (long)tap * cin * cout + channel;
                        if (code >= 0)
                        {
                            sum += Vector512.Load(columns + code * cout);
                        }
                        else if (code == Dense)
                        {
                            float* row = xBase + ((long)n * g.L + t + tap - g.PadLeft) * cin;
                            for (int c = 0; c < cin; c++)
                            {
                                sum = Vector512.FusedMultiplyAdd(Vector512.Create(row[c]), Vector512.Load(columns + c * cout), sum);
                            }
                        }
                    }
                    if (i == 0)
                    {
                        best = sum;
                    }
                    else
                    {
                        Keep(sum, ref best, ref winner, Vector512.Create(i));
                    }
                }
                long output = ((long)n * lo + q) * cout + channel;
                Finish(best, winner, bias, channel, yBase + output, argmax, output);
            }
        }
    }

    /// <summary>Keeps the larger of <paramref name="candidate"/> and <paramref name="best"/> per lane (a NaN candidate wins over a number; the earlier wins ties).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Keep(Vector512<float> candidate, ref Vector512<float> best, ref Vector512<int> winner, Vector512<int> index)
    {
        var better = Vector512.GreaterThan(candidate, best)
            | Vector512.AndNot(Vector512.Equals(best, best), Vector512.Equals(candidate, candidate));
        best = Vector512.ConditionalSelect(better, candidate, best);
        winner = Vector512.ConditionalSelect(better.AsInt32(), index, winner);
    }

    /// <summary>Stores relu(max + bias) and, when recording, the winning positions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Finish(Vector512<float> max, Vector512<int> winner, float[]? bias, int channel, float* y, int[]? argmax, long output)
    {
        if (bias is not null)
        {
            max += Vector512.Create(bias.AsSpan(channel, 16));
        }
        Vector512.Max(max, Vector512<float>.Zero).Store(y);
        if (argmax is not null)
        {
            winner.CopyTo(argmax.AsSpan((int)output, 16));
        }
    }

    /// <summary>Rows before the unpooled gradient that a group of eight taps may read past the first tap (never stored).</summary>
    private const int GuardRows = 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void AddTo(float* column, Vector512<float> sum, bool keep)
    {
        if (keep)
        {
            (Vector512.Load(column) + sum).Store(column);
        }
    }

    /// <summary>Fixed sample blocks of the weight gradient: its summation order depends on the shape only, never on the threads.</summary>
    private const int GradientBlocks = 8;

    /// <summary>
    /// Accumulates into <paramref name="dWeight"/> <c>(Cout, Cin, K)</c> the weight gradient of the
    /// recorded <see cref="ForwardPoolRelu"/> given <paramref name="passed"/> <c>(N, ⌊Lo/pool⌋, Cout)</c>,
    /// the output gradient already gated by the ReLU, and <paramref name="argmax"/>. With one-hot
    /// input, <c>dW[·, c, tap]</c> is the sum of the (unpooled) gradient rows <c>t</c> whose input row
    /// <c>t + tap</c> holds base c: positions are grouped by base once per sample, and each group's
    /// rows are summed in registers per tap — a quarter of the multiply-adds of the window GEMM
    /// and no packing. Rows that are not one-hot add their values times the gradient to every base.
    /// </summary>
    public static void WeightGradient(float[] passed, int[] argmax, float[] x, float[] dWeight, Conv1dGeometry g, int pool)
    {
        int k = g.K, cin = g.Cin, cout = g.Cout, lo = g.LOut / pool, padded = g.PadLeft + g.L + g.PadRight;
        int size = k * cin * cout, blocks = Math.Clamp(g.N, 1, GradientBlocks);
        float[] tables = ArrayPool<float>.Shared.Rent(blocks * size);
        try
        {
            var geometry = g;
            LinearInferenceKernels.ForRows(blocks, Math.Max(1, g.N / blocks) * lo * pool * cout, (start, count) =>
            {
                // Unpooled gradient rows: guard rows, K − 1 zero rows, the Lo positions, zero rows
                // to the end of the padded input and K more, so every (position, tap) pair reads a row.
                float[] rows = ArrayPool<float>.Shared.Rent((GuardRows + padded + k) * cout);
                int[] codes = ArrayPool<int>.Shared.Rent(padded);
                int[] order = ArrayPool<int>.Shared.Rent(padded);
                try
                {
                    for (int block = start; block < start + count; block++)
                    {
                        var table = tables.AsSpan(block * size, size);
                        table.Clear();
                        int n1 = (int)((long)geometry.N * (block + 1) / blocks);
                        for (int n = (int)((long)geometry.N * block / blocks); n < n1; n++)
                        {
                            rows.AsSpan(0, GuardRows * cout).Clear();
                            Conv1dWindowKernels.Unpool(passed, argmax, rows.AsSpan(GuardRows * cout, padded * cout), n * lo * cout, lo, cout, k, pool);
                            rows.AsSpan((GuardRows + padded) * cout, k * cout).Clear();
                            Encode(x, n, codes, geometry);
                            AddSample(rows, codes, order, x, n, table, geometry);
                        }
                    }
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(rows);
                    ArrayPool<int>.Shared.Return(codes);
                    ArrayPool<int>.Shared.Return(order);
                }
            });
            for (int block = 1; block < blocks; block++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(tables.AsSpan(0, size), tables.AsSpan(block * size, size), tables.AsSpan(0, size));
            }
            // (K, Cin, Cout) back to (Cout, Cin, K).
            for (int co = 0; co < cout; co++)
            {
                for (int ci = 0; ci < cin; ci++)
                {
                    for (int t = 0; t < k; t++)
                    {
                        dWeight[(co * cin + ci) * k + t] += tables[(t * cin + ci) * cout + co];
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(tables);
        }
    }

    /// <summary>
    /// Adds one sample to a <c>(K, Cin, Cout)</c> table: gradient row of output t sits at
    /// <c>rows[K − 1 + t]</c>, so padded input position p feeds tap k through row <c>K − 1 + p − k</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void AddSample(float[] rows, int[] codes, int[] order, float[] x, int n, Span<float> table, in Conv1dGeometry g)
    {
        int k = g.K, cin = g.Cin, cout = g.Cout, padded = g.PadLeft + g.L + g.PadRight;
        // Positions grouped by base (counting sort), dense rows last.
        Span<int> starts = stackalloc int[MaxInputChannels + 2];
        starts.Clear();
        for (int p = 0; p < padded; p++)
        {
            if (codes[p] != Padding)
            {
                starts[(codes[p] == Dense ? cin : codes[p]) + 1]++;
            }
        }
        for (int c = 0; c <= cin; c++)
        {
            starts[c + 1] += starts[c];
        }
        Span<int> next = stackalloc int[MaxInputChannels + 1];
        starts[..(cin + 1)].CopyTo(next);
        for (int p = 0; p < padded; p++)
        {
            if (codes[p] != Padding)
            {
                order[next[codes[p] == Dense ? cin : codes[p]]++] = p;
            }
        }

        // One vector of 16 output channels and eight taps at a time, their running sums in
        // registers: consecutive positions of a base read overlapping windows of rows, which stay
        // in L1. A group's taps past K read the guard rows before the buffer and are not stored.
        fixed (float* rowBase = rows, tableBase = table, xBase = x)
        fixed (int* orderBase = order)
        {
            for (int channel = 0; channel < cout; channel += 16)
            {
                float* first = rowBase + GuardRows * cout + channel;
                for (int c = 0; c < cin; c++)
                {
                    for (int t0 = 0; t0 < k; t0 += 8)
                    {
                        // Tap t0 + j of position p reads row K − 1 + p − t0 − j.
                        long step = cout;
                        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
                        Vector512<float> s4 = default, s5 = default, s6 = default, s7 = default;
                        for (int i = starts[c]; i < starts[c + 1]; i++)
                        {
                            float* top = first + (long)(orderBase[i] + k - 1 - t0) * cout;
                            s0 += Vector512.Load(top);
                            s1 += Vector512.Load(top - step);
                            s2 += Vector512.Load(top - 2 * step);
                            s3 += Vector512.Load(top - 3 * step);
                            s4 += Vector512.Load(top - 4 * step);
                            s5 += Vector512.Load(top - 5 * step);
                            s6 += Vector512.Load(top - 6 * step);
                            s7 += Vector512.Load(top - 7 * step);
                        }
                        float* column = tableBase + (t0 * cin + c) * cout + channel;
                        long tapStep = (long)cin * cout;
                        int taps = Math.Min(8, k - t0);
                        AddTo(column, s0, 0 < taps);
                        AddTo(column + tapStep, s1, 1 < taps);
                        AddTo(column + 2 * tapStep, s2, 2 < taps);
                        AddTo(column + 3 * tapStep, s3, 3 < taps);
                        AddTo(column + 4 * tapStep, s4, 4 < taps);
                        AddTo(column + 5 * tapStep, s5, 5 < taps);
                        AddTo(column + 6 * tapStep, s6, 6 < taps);
                        AddTo(column + 7 * tapStep, s7, 7 < taps);
                    }
                }
                for (int i = starts[cin]; i < starts[cin + 1]; i++)
                {
                    int p = orderBase[i];
                    float* xRow = xBase + ((long)n * g.L + p - g.PadLeft) * cin;
                    float* window = first + (long)p * cout;
                    for (int c = 0; c < cin; c++)
                    {
                        var v = Vector512.Create(xRow[c]);
                        for (int t = 0; t < k; t++)
                        {
                            float* column = tableBase + (t * cin + c) * cout + channel;
                            Vector512.FusedMultiplyAdd(v, Vector512.Load(window + (long)(k - 1 - t) * cout), Vector512.Load(column)).Store(column);
                        }
                    }
                }
            }
        }
    }

}
