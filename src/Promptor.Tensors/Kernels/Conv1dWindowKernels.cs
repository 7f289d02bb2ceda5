using System.Buffers;
using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Promptor.Tensors.Kernels;

/// <summary>
/// Channels-last 1-D convolution, stride 1 and dilation 1: x <c>(N, L, Cin)</c>, weight
/// <c>(Cout, Cin, K)</c> (PyTorch's layout), y <c>(N, Lo, Cout)</c>. The geometry is the one of
/// <see cref="Conv1dGeometry"/> with L and Cin read from the channels-last input.
/// </summary>
/// <remarks>
/// <para>
/// Every sample is copied once into a padded buffer, sample b on rows <c>[b·Lp, (b+1)·Lp)</c> with
/// <c>Lp = PadLeft + L + PadRight</c>. Output position t of sample b then reads the window that starts
/// at row <c>b·Lp + t</c>: <c>K·Cin</c> consecutive floats. These windows are the rows of the im2col
/// matrix, so the convolution is one GEMM over overlapping rows (row step Cin, row length K·Cin;
/// <see cref="Gemm.MultiplyOverlapping"/>) with the weight arranged as <c>(K·Cin, Cout)</c>, and nothing
/// is unfolded. Windows that straddle two samples give K−1 rows per sample that are computed and
/// dropped.
/// </para>
/// <para>
/// The backward pass is two more window products. dW = windowsᵀ · dy. For dx, dy is laid out with
/// K−1 zero rows before every sample (the transposed convolution's padding, shared between
/// neighbours), and padded position s of sample b is the window of K rows starting at <c>b·Lp + s</c>
/// times the weight flipped along the taps, <c>(K·Cout, Cin)</c>.
/// </para>
/// <para>
/// Each window product goes through <see cref="WinogradWindowKernels"/>, which runs it by Winograd's
/// F(3, 3) when that saves enough (wide channels, K = 3, 5, 6, 8, 9, …) and as one GEMM otherwise.
/// </para>
/// <para>Oracle: <see cref="Conv1dKernels.ForwardReference"/> and <see cref="Conv1dKernels.BackwardReference"/> on the transposed tensors.</para>
/// </remarks>
internal static class Conv1dWindowKernels
{
    /// <summary>
    /// Target size (floats) of each per-chunk buffer (padded input, GEMM output, padded dy):
    /// samples are processed together until one buffer would exceed it.
    /// </summary>
    public const int RowBudget = 1 << 22;

    /// <summary>Whether the window form applies: stride 1, dilation 1, a non-empty output.</summary>
    public static bool Supports(in Conv1dGeometry g) => g.Stride == 1 && g.Dilation == 1 && g.LOut >= 1;

    /// <summary>Padded rows per sample, <c>PadLeft + L + PadRight</c> (= Lo + K − 1).</summary>
    private static int PaddedLength(in Conv1dGeometry g) => g.PadLeft + g.L + g.PadRight;

    private static int SamplesPerChunk(in Conv1dGeometry g, int budget)
    {
        long perSample = (long)(PaddedLength(g) + g.K) * Math.Max(g.Cin, g.Cout);
        return (int)Math.Clamp(budget / Math.Max(perSample, 1), 1, Math.Max(g.N, 1));
    }

    /// <summary>
    /// y <c>(N, Lo, Cout)</c> = conv(x <c>(N, L, Cin)</c>) + bias (null for none). Overwrites y.
    /// <paramref name="budget"/> bounds the chunk buffers (tests shrink it to force several chunks).
    /// </summary>
    public static void Forward(float[] x, float[] weight, float[]? bias, float[] y, Conv1dGeometry g, int budget = RowBudget)
    {
        int lo = g.LOut, cout = g.Cout;
        Check(x, weight, y, g, lo);
        Drive(x, weight, g, budget, (product, lp, n0, count) => ForSamples(count, lo * cout, j =>
        {
            var from = product.AsSpan(j * lp * cout, lo * cout);
            var to = y.AsSpan((n0 + j) * lo * cout, lo * cout);
            if (bias is null)
            {
                from.CopyTo(to);
                return;
            }
            for (int t = 0; t < lo; t++)
            {
                TensorPrimitives.Add(from.Slice(t * cout, cout), bias, to.Slice(t * cout, cout));
            }
        }));
    }

    /// <summary>Pooled length: windows of <paramref name="pool"/> positions every <paramref name="pool"/>, floor mode.</summary>
    public static int PooledLength(in Conv1dGeometry g, int pool) => g.LOut / pool;

    /// <summary>
    /// y <c>(N, ⌊Lo/pool⌋, Cout)</c> = relu(maxpool(conv(x) + bias)) over windows of
    /// <paramref name="pool"/> positions every <paramref name="pool"/>: the GEMM's rows are pooled
    /// straight from the chunk buffer, so the full-length output is never written.
    /// </summary>
    public static void ForwardPoolRelu(float[] x, float[] weight, float[]? bias, float[] y, Conv1dGeometry g, int pool, int budget = RowBudget)
    {
        int lo = PooledLength(g, pool), cout = g.Cout;
        Check(x, weight, y, g, lo);
        if (Conv1dOneHotKernels.Supports(g))
        {
            Conv1dOneHotKernels.ForwardPoolRelu(x, weight, bias, y, null, g, pool);
            return;
        }
        Drive(x, weight, g, budget, (product, lp, n0, count) => ForSamples(count, lo * pool * cout, j =>
        {
            var from = product.AsSpan(j * lp * cout);
            var to = y.AsSpan((n0 + j) * lo * cout, lo * cout);
            for (int p = 0; p < lo; p++)
            {
                var dst = to.Slice(p * cout, cout);
                from.Slice(p * pool * cout, cout).CopyTo(dst);
                for (int i = 1; i < pool; i++)
                {
                    TensorPrimitives.Max(dst, from.Slice((p * pool + i) * cout, cout), dst);
                }
                if (bias is not null)
                {
                    TensorPrimitives.Add(dst, bias, dst);
                }
                TensorPrimitives.Max(dst, 0f, dst);
            }
        }));
    }

    /// <summary>
    /// The training form of <see cref="ForwardPoolRelu"/>: also records, per output value, which of
    /// the <paramref name="pool"/> positions of its window held the maximum (<paramref name="argmax"/>,
    /// 0 … pool − 1; the first on ties, NaN wins, as <see cref="ChannelsLastPoolKernels"/>), so
    /// <see cref="BackwardPoolRelu"/> needs neither the full-length output nor the pre-ReLU values.
    /// </summary>
    public static void ForwardPoolReluRecorded(float[] x, float[] weight, float[]? bias, float[] y, int[] argmax,
        Conv1dGeometry g, int pool, int budget = RowBudget)
    {
        int lo = PooledLength(g, pool), cout = g.Cout;
        Check(x, weight, y, g, lo);
        Debug.Assert(argmax.Length >= g.N * lo * cout);
        if (Conv1dOneHotKernels.Supports(g))
        {
            Conv1dOneHotKernels.ForwardPoolRelu(x, weight, bias, y, argmax, g, pool);
            return;
        }
        Drive(x, weight, g, budget, (product, lp, n0, count) => ForSamples(count, lo * pool * cout, j =>
        {
            var from = product.AsSpan(j * lp * cout);
            int output = (n0 + j) * lo * cout;
            for (int p = 0; p < lo; p++)
            {
                PoolWindow(from.Slice(p * pool * cout), y.AsSpan(output + p * cout, cout), argmax.AsSpan(output + p * cout, cout), cout, pool);
                var dst = y.AsSpan(output + p * cout, cout);
                if (bias is not null)
                {
                    TensorPrimitives.Add(dst, bias, dst);
                }
                TensorPrimitives.Max(dst, 0f, dst);
            }
        }));
    }

    /// <summary>
    /// Gradients of <see cref="ForwardPoolReluRecorded"/> given dy <c>(N, ⌊Lo/pool⌋, Cout)</c>, its
    /// output y and argmax: the ReLU passes dy where y &gt; 0, and each value goes to the one
    /// convolution output that won its window; then as <see cref="Backward"/>. Accumulates into dx,
    /// dWeight, dBias (null when not needed).
    /// </summary>
    public static void BackwardPoolRelu(float[] dy, float[] y, int[] argmax, float[] x, float[] weight,
        float[]? dx, float[]? dWeight, float[]? dBias, Conv1dGeometry g, int pool, int budget = RowBudget)
    {
        int lo = PooledLength(g, pool), cout = g.Cout, k = g.K, lp = PaddedLength(g);
        Check(x, weight, dy, g, lo);
        float[] passed = ArrayPool<float>.Shared.Rent(g.N * lo * cout);   // dy where the ReLU let it through
        try
        {
            ReluPass(dy, y, passed, g.N * lo * cout);
            if (dBias is not null)
            {
                AddColumnSums(passed, g.N * lo, cout, dBias);
            }
            if (dx is null && dWeight is not null && Conv1dOneHotKernels.Supports(g))
            {
                // A first layer (no input gradient) on one-hot input: sums of gradient rows per base.
                Conv1dOneHotKernels.WeightGradient(passed, argmax, x, dWeight, g, pool);
                return;
            }
            BackwardCore(x, weight, dx, dWeight, g, budget, (shifted, first, j) =>
                Unpool(passed, argmax, shifted.AsSpan(j * lp * cout, lp * cout), (first + j) * lo * cout, lo, cout, k, pool));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(passed);
        }
    }

    /// <summary>
    /// One sample's rows of the shifted dy buffer from its pooled gradient: K − 1 zero rows, then each
    /// window's <paramref name="pool"/> positions with the gradient at the position that won it and
    /// zeros at the others (written whole, vector by vector), then zeros for positions past the last
    /// whole window.
    /// </summary>
    internal static void Unpool(float[] passed, int[] argmax, Span<float> rows, int input, int lo, int cout, int k, int pool)
    {
        rows[..((k - 1) * cout)].Clear();
        rows[((k - 1 + lo * pool) * cout)..].Clear();
        for (int p = 0; p < lo; p++)
        {
            int at = input + p * cout;
            var window = rows.Slice((k - 1 + p * pool) * cout, pool * cout);
            int c = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; c + 16 <= cout; c += 16)
                {
                    var grad = Vector512.Create(passed.AsSpan(at + c, 16));
                    var winner = Vector512.Create(argmax.AsSpan(at + c, 16));
                    for (int i = 0; i < pool; i++)
                    {
                        Vector512.ConditionalSelect(Vector512.Equals(winner, Vector512.Create(i)).AsSingle(), grad, Vector512<float>.Zero)
                            .CopyTo(window.Slice(i * cout + c, 16));
                    }
                }
            }
            for (; c < cout; c++)
            {
                for (int i = 0; i < pool; i++)
                {
                    window[i * cout + c] = argmax[at + c] == i ? passed[at + c] : 0f;
                }
            }
        }
    }

    /// <summary><c>passed[i] = y[i] &gt; 0 ? dy[i] : 0</c> for the first <paramref name="count"/> values: ReLU's gradient read from its output.</summary>
    private static void ReluPass(float[] dy, float[] y, float[] passed, int count)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= count; i += 16)
            {
                var open = Vector512.GreaterThan(Vector512.Create(y.AsSpan(i, 16)), Vector512<float>.Zero);
                Vector512.ConditionalSelect(open, Vector512.Create(dy.AsSpan(i, 16)), Vector512<float>.Zero).CopyTo(passed.AsSpan(i, 16));
            }
        }
        for (; i < count; i++)
        {
            passed[i] = y[i] > 0f ? dy[i] : 0f;
        }
    }

    /// <summary>
    /// Maximum over <paramref name="pool"/> consecutive rows of <paramref name="width"/> values into
    /// <paramref name="max"/>, and the winning row per column into <paramref name="winner"/>.
    /// </summary>
    private static void PoolWindow(ReadOnlySpan<float> rows, Span<float> max, Span<int> winner, int width, int pool)
    {
        int c = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; c + 16 <= width; c += 16)
            {
                var best = Vector512.Create(rows.Slice(c, 16));
                var index = Vector512<int>.Zero;
                for (int j = 1; j < pool; j++)
                {
                    var v = Vector512.Create(rows.Slice(j * width + c, 16));
                    var better = Vector512.GreaterThan(v, best)
                        | Vector512.AndNot(Vector512.Equals(best, best), Vector512.Equals(v, v));
                    best = Vector512.ConditionalSelect(better, v, best);
                    index = Vector512.ConditionalSelect(better.AsInt32(), Vector512.Create(j), index);
                }
                best.CopyTo(max.Slice(c, 16));
                index.CopyTo(winner.Slice(c, 16));
            }
        }
        for (; c < width; c++)
        {
            (max[c], int at) = ChannelsLastPoolKernels.ScalarMax(rows, c, width, pool);
            winner[c] = (at - c) / width;
        }
    }

    /// <summary>
    /// The forward driver: per chunk of samples, pads them, runs the window GEMM into a chunk buffer
    /// <c>(count·Lp, Cout)</c> (sample j's position t on row <c>j·Lp + t</c>) and hands it to
    /// <paramref name="epilogue"/>(buffer, Lp, first sample, count).
    /// </summary>
    private static void Drive(float[] x, float[] weight, in Conv1dGeometry g, int budget, Action<float[], int, int, int> epilogue)
    {
        int lp = PaddedLength(g), nb = SamplesPerChunk(g, budget), patch = g.K * g.Cin;
        float[] arranged = ArrayPool<float>.Shared.Rent(patch * g.Cout);
        float[] padded = ArrayPool<float>.Shared.Rent(nb * lp * g.Cin);
        float[] product = ArrayPool<float>.Shared.Rent(nb * lp * g.Cout);
        try
        {
            ArrangeForward(weight, arranged, g);
            var geometry = g;
            for (int n0 = 0; n0 < g.N; n0 += nb)
            {
                int count = Math.Min(nb, g.N - n0), first = n0;
                ForSamples(count, lp * g.Cin, j => Pad(x, padded, first + j, j, geometry));
                WinogradWindowKernels.Product(padded, g.Cin, arranged, g.K, g.Cout, count * lp - g.K + 1, product);
                epilogue(product, lp, n0, count);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(arranged);
            ArrayPool<float>.Shared.Return(padded);
            ArrayPool<float>.Shared.Return(product);
        }
    }

    /// <summary>
    /// Accumulates the gradients of <see cref="Forward"/> given dy <c>(N, Lo, Cout)</c>: dx
    /// <c>(N, L, Cin)</c>, dWeight <c>(Cout, Cin, K)</c>, dBias <c>(Cout)</c>; null for a gradient that is
    /// not needed.
    /// </summary>
    public static void Backward(float[] dy, float[] x, float[] weight,
        float[]? dx, float[]? dWeight, float[]? dBias, Conv1dGeometry g, int budget = RowBudget)
    {
        int lo = g.LOut, cout = g.Cout, k = g.K;
        Check(x, weight, dy, g, lo);
        if (dBias is not null)
        {
            AddColumnSums(dy, g.N * lo, cout, dBias);
        }
        // dy of sample j on rows [(K−1) + j·Lp, (j+1)·Lp), zeros on the K−1 rows before it:
        // row r + K − 1 is the forward GEMM's row r.
        int lp = PaddedLength(g);
        BackwardCore(x, weight, dx, dWeight, g, budget, (shifted, first, j) =>
        {
            shifted.AsSpan(j * lp * cout, (k - 1) * cout).Clear();
            dy.AsSpan((first + j) * lo * cout, lo * cout).CopyTo(shifted.AsSpan(((k - 1) + j * lp) * cout));
        });
    }

    /// <summary>
    /// The two backward window products, per chunk of samples: <paramref name="fillSample"/>(buffer,
    /// first sample of the chunk, j) writes rows <c>[j·Lp, (j+1)·Lp)</c> of the shifted dy buffer
    /// (sample j's output position t on row <c>K − 1 + j·Lp + t</c>, zeros elsewhere); the rows after
    /// the last sample are cleared here.
    /// </summary>
    private static void BackwardCore(float[] x, float[] weight, float[]? dx, float[]? dWeight,
        Conv1dGeometry g, int budget, Action<float[], int, int> fillSample)
    {
        if (dx is null && dWeight is null)
        {
            return;
        }
        int cout = g.Cout, cin = g.Cin, k = g.K;
        int lp = PaddedLength(g), nb = SamplesPerChunk(g, budget), patch = k * cin;
        float[] shifted = ArrayPool<float>.Shared.Rent((nb * lp + k - 1) * cout);
        float[]? padded = dWeight is null ? null : ArrayPool<float>.Shared.Rent(nb * lp * cin);
        float[]? weightGrad = dWeight is null ? null : ArrayPool<float>.Shared.Rent(patch * cout);
        float[]? flipped = dx is null ? null : ArrayPool<float>.Shared.Rent(k * cout * cin);
        float[]? paddedGrad = dx is null ? null : ArrayPool<float>.Shared.Rent(nb * lp * cin);
        try
        {
            if (flipped is not null)
            {
                ArrangeFlipped(weight, flipped, g);
            }
            var geometry = g;
            for (int n0 = 0; n0 < g.N; n0 += nb)
            {
                int count = Math.Min(nb, g.N - n0), first = n0;
                ForSamples(count, lp * cout, j => fillSample(shifted, first, j));
                shifted.AsSpan(count * lp * cout, (k - 1) * cout).Clear();
                if (padded is not null)
                {
                    ForSamples(count, lp * cin, j => Pad(x, padded, first + j, j, geometry));
                    // (K·Cin, rows) · (rows, Cout): the windows transposed times dy, rows straddling two
                    // samples meeting zero rows of dy.
                    WinogradWindowKernels.WeightGradient(padded, cin, shifted.AsSpan((k - 1) * cout), k, cout,
                        count * lp - k + 1, n0 == 0 ? 0f : 1f, weightGrad);
                }
                if (paddedGrad is not null)
                {
                    WinogradWindowKernels.Product(shifted, cout, flipped, k, cin, count * lp, paddedGrad);
                    ForSamples(count, g.L * cin, j =>
                    {
                        var to = dx.AsSpan((first + j) * g.L * cin, g.L * cin);
                        TensorPrimitives.Add(to, paddedGrad.AsSpan((j * lp + geometry.PadLeft) * cin, g.L * cin), to);
                    });
                }
            }
            if (weightGrad is not null)
            {
                // (K·Cin, Cout) back to (Cout, Cin, K).
                for (int co = 0; co < cout; co++)
                {
                    for (int ci = 0; ci < cin; ci++)
                    {
                        for (int t = 0; t < k; t++)
                        {
                            dWeight![(co * cin + ci) * k + t] += weightGrad[(t * cin + ci) * cout + co];
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(shifted);
            foreach (var buffer in new[] { padded, weightGrad, flipped, paddedGrad })
            {
                if (buffer is not null)
                {
                    ArrayPool<float>.Shared.Return(buffer);
                }
            }
        }
    }

    /// <summary>Row blocks of the bias gradient: a fixed count, so the sum's order never depends on the threads.</summary>
    private const int BiasBlocks = 8;

    /// <summary><paramref name="sums"/> += the column sums of <paramref name="rows"/> × <paramref name="width"/> values.</summary>
    private static void AddColumnSums(float[] values, int rows, int width, float[] sums)
    {
        float[] partials = ArrayPool<float>.Shared.Rent(BiasBlocks * width);
        try
        {
            LinearInferenceKernels.ForRows(BiasBlocks, rows * width / BiasBlocks, (start, count) =>
            {
                for (int block = start; block < start + count; block++)
                {
                    var partial = partials.AsSpan(block * width, width);
                    partial.Clear();
                    int r1 = (int)((long)rows * (block + 1) / BiasBlocks);
                    for (int r = (int)((long)rows * block / BiasBlocks); r < r1; r++)
                    {
                        TensorPrimitives.Add(partial, values.AsSpan(r * width, width), partial);
                    }
                }
            });
            for (int block = 0; block < BiasBlocks; block++)
            {
                TensorPrimitives.Add(sums, partials.AsSpan(block * width, width), sums);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(partials);
        }
    }

    /// <summary>Weight <c>(Cout, Cin, K)</c> → <c>(K·Cin, Cout)</c>: row <c>k·Cin + ci</c> holds <c>W[·, ci, k]</c>.</summary>
    private static void ArrangeForward(float[] weight, float[] dst, in Conv1dGeometry g)
    {
        for (int co = 0; co < g.Cout; co++)
        {
            for (int ci = 0; ci < g.Cin; ci++)
            {
                for (int t = 0; t < g.K; t++)
                {
                    dst[(t * g.Cin + ci) * g.Cout + co] = weight[(co * g.Cin + ci) * g.K + t];
                }
            }
        }
    }

    /// <summary>Weight <c>(Cout, Cin, K)</c> → flipped <c>(K·Cout, Cin)</c>: row <c>j·Cout + co</c> holds <c>W[co, ·, K−1−j]</c>.</summary>
    private static void ArrangeFlipped(float[] weight, float[] dst, in Conv1dGeometry g)
    {
        for (int co = 0; co < g.Cout; co++)
        {
            for (int ci = 0; ci < g.Cin; ci++)
            {
                for (int t = 0; t < g.K; t++)
                {
                    dst[((g.K - 1 - t) * g.Cout + co) * g.Cin + ci] = weight[(co * g.Cin + ci) * g.K + t];
                }
            }
        }
    }

    /// <summary>Copies sample <paramref name="sample"/> of x into slot <paramref name="slot"/> of the padded buffer, zeros on both sides.</summary>
    private static void Pad(float[] x, float[] padded, int sample, int slot, in Conv1dGeometry g)
    {
        int lp = PaddedLength(g), cin = g.Cin;
        var dst = padded.AsSpan(slot * lp * cin, lp * cin);
        dst[..(g.PadLeft * cin)].Clear();
        x.AsSpan(sample * g.L * cin, g.L * cin).CopyTo(dst[(g.PadLeft * cin)..]);
        dst[((g.PadLeft + g.L) * cin)..].Clear();
    }

    private static void ForSamples(int count, int perSample, Action<int> body) => Conv1dKernels.ForSamples(count, perSample, body);

    [Conditional("DEBUG")]
    private static void Check(float[] x, float[] weight, float[] y, in Conv1dGeometry g, int yLength)
    {
        Debug.Assert(Supports(g));
        Debug.Assert(x.Length >= g.N * g.L * g.Cin);
        Debug.Assert(weight.Length >= g.Cout * g.Cin * g.K);
        Debug.Assert(y.Length >= g.N * yLength * g.Cout);
    }
}
