using System.Buffers;
using System.Diagnostics;
using System.Numerics.Tensors;

namespace Promptor.Tensors.Kernels;

// Dimension letters: N batch, Cin input channels, Cout output channels, L input length,
// Lo output length, K kernel width (taps), S stride, D dilation.

/// <summary>
/// Geometry of a 1-D convolution over x (N, Cin, L) with weight (Cout, Cin, K): stride, dilation and
/// the zeros added on each side. Output position t reads input positions <c>t·S + k·D − PadLeft</c>.
/// </summary>
internal readonly record struct Conv1dGeometry(
    int N, int Cin, int L, int Cout, int K, int Stride, int Dilation, int PadLeft, int PadRight)
{
    /// <summary>Output length <c>⌊(L + pads − D·(K−1) − 1) / S⌋ + 1</c> (≤ 0 when the kernel does not fit).</summary>
    public int LOut
    {
        get
        {
            int span = L + PadLeft + PadRight - Dilation * (K - 1) - 1;
            return span < 0 ? 0 : span / Stride + 1;
        }
    }

    /// <summary>Rows of the unfolded input (and columns of the flattened weight): Cin·K.</summary>
    public int Patch => Cin * K;

    /// <summary>A 1×1 convolution with stride 1 and no padding reads x directly: no unfolding needed.</summary>
    public bool IsPointwise => K == 1 && Stride == 1 && PadLeft == 0 && PadRight == 0;
}

/// <summary>
/// Conv1d forward/backward. The fast kernels lower the convolution to GEMM through im2col
/// (the unfolded input <c>col</c> is (Cin·K, Lo) per sample, so <c>y = W · col</c> with W viewed
/// as (Cout, Cin·K)); the <c>…Reference</c> kernels are direct loops kept as the test oracle.
/// </summary>
internal static class Conv1dKernels
{
    /// <summary>
    /// Target size (floats) of the im2col buffer (and of the chunk's output). Samples are unfolded
    /// side by side, (Cin·K, nb·Lo), until this is reached, so narrow layers (small Cin·K) still
    /// make one wide GEMM instead of N thin ones, and the weight gradient sums over the whole chunk
    /// inside one GEMM; wide layers get one sample per GEMM, which is already large.
    /// </summary>
    public const int ColumnBudget = 1 << 22;

    /// <summary>Samples unfolded per GEMM.</summary>
    private static int SamplesPerChunk(in Conv1dGeometry g, int columnBudget)
    {
        if (g.IsPointwise)
        {
            return 1;
        }
        // The chunk's output (Cout, nb·Lo) and dy gather buffer obey the same bound.
        long perSample = (long)Math.Max(g.Patch, g.Cout) * g.LOut;
        return (int)Math.Clamp(columnBudget / Math.Max(perSample, 1), 1, Math.Max(g.N, 1));
    }

    /// <summary>
    /// y (N, Cout, Lo) = conv(x (N, Cin, L), weight (Cout, Cin, K)) + bias (Cout; empty for none).
    /// Overwrites y. <paramref name="columnBudget"/> bounds the im2col buffer (tests shrink it to
    /// exercise one- and several-sample chunks).
    /// </summary>
    public static void Forward(float[] x, float[] weight, float[]? bias,
        float[] y, Conv1dGeometry g, int columnBudget = ColumnBudget)
    {
        DebugCheck(x, weight, y, g);
        int lo = g.LOut, patch = g.Patch;
        int xSize = g.Cin * g.L, ySize = g.Cout * lo;
        int nb = SamplesPerChunk(g, columnBudget);
        float[]? col = g.IsPointwise ? null : ArrayPool<float>.Shared.Rent(patch * nb * lo);
        float[]? wide = nb > 1 ? ArrayPool<float>.Shared.Rent(g.Cout * nb * lo) : null;
        try
        {
            for (int n0 = 0; n0 < g.N; n0 += nb)
            {
                int count = Math.Min(nb, g.N - n0), first = n0;
                int ld = count * lo;
                ReadOnlySpan<float> cols = g.IsPointwise ? x.AsSpan(n0 * xSize, xSize) : col;
                if (col is not null)
                {
                    ForSamples(count, patch * lo, j => Im2Col(x.AsSpan((first + j) * xSize, xSize), col, ld, j * lo, g));
                }
                // (Cout, Cin·K) · (Cin·K, nb·Lo): one sample's output is already y's layout; several
                // samples land side by side and are scattered into (nb, Cout, Lo) afterwards, the
                // bias added on the way.
                Span<float> outp = count == 1 ? y.AsSpan(n0 * ySize, ySize) : wide;
                Gemm.Multiply(false, false, g.Cout, ld, patch, 1f, weight, patch, cols, ld, 0f, outp, ld);
                if (count > 1)
                {
                    ForSamples(count, ySize, j =>
                    {
                        for (int co = 0; co < g.Cout; co++)
                        {
                            var from = wide.AsSpan(co * ld + j * lo, lo);
                            var to = y.AsSpan((first + j) * ySize + co * lo, lo);
                            if (bias is null)
                            {
                                from.CopyTo(to);
                            }
                            else
                            {
                                TensorPrimitives.Add(from, bias[co], to);
                            }
                        }
                    });
                }
                else if (bias is not null)
                {
                    for (int co = 0; co < g.Cout; co++)
                    {
                        var row = y.AsSpan(n0 * ySize + co * lo, lo);
                        TensorPrimitives.Add(row, bias[co], row);
                    }
                }
            }
        }
        finally
        {
            if (col is not null)
            {
                ArrayPool<float>.Shared.Return(col);
            }
            if (wide is not null)
            {
                ArrayPool<float>.Shared.Return(wide);
            }
        }
    }

    /// <summary>
    /// Accumulates the gradients of <see cref="Forward"/> given dy (N, Cout, Lo): dx (N, Cin, L),
    /// dWeight (Cout, Cin, K), dBias (Cout). Pass an empty span for a gradient that is not needed.
    /// dWeight += dy · colᵀ and dcol = Wᵀ · dy, which col2im scatters back into dx.
    /// </summary>
    public static void Backward(float[] dy, float[] x, float[] weight,
        float[]? dx, float[]? dWeight, float[]? dBias, Conv1dGeometry g, int columnBudget = ColumnBudget)
    {
        DebugCheck(x, weight, dy, g);
        int lo = g.LOut, patch = g.Patch;
        int xSize = g.Cin * g.L, ySize = g.Cout * lo;
        if (dBias is not null)
        {
            for (int n = 0; n < g.N; n++)
            {
                for (int co = 0; co < g.Cout; co++)
                {
                    dBias[co] += TensorPrimitives.Sum(dy.AsSpan(n * ySize + co * lo, lo));
                }
            }
        }
        if (dx is null && dWeight is null)
        {
            return;
        }
        int nb = SamplesPerChunk(g, columnBudget);
        bool unfold = !g.IsPointwise;
        float[]? col = unfold && dWeight is not null ? ArrayPool<float>.Shared.Rent(patch * nb * lo) : null;
        float[]? dcol = unfold && dx is not null ? ArrayPool<float>.Shared.Rent(patch * nb * lo) : null;
        float[]? wide = nb > 1 ? ArrayPool<float>.Shared.Rent(g.Cout * nb * lo) : null;
        try
        {
            for (int n0 = 0; n0 < g.N; n0 += nb)
            {
                int count = Math.Min(nb, g.N - n0), first = n0;
                int ld = count * lo;
                ReadOnlySpan<float> dyc = count == 1 ? dy.AsSpan(n0 * ySize, ySize) : wide;
                if (count > 1)
                {
                    // Gather dy of the chunk into (Cout, nb·Lo), the layout of the forward GEMM output.
                    ForSamples(count, ySize, j =>
                    {
                        for (int co = 0; co < g.Cout; co++)
                        {
                            dy.AsSpan((first + j) * ySize + co * lo, lo).CopyTo(wide.AsSpan(co * ld + j * lo, lo));
                        }
                    });
                }
                if (dWeight is not null)
                {
                    ReadOnlySpan<float> cols = unfold ? col : x.AsSpan(n0 * xSize, xSize);
                    if (unfold)
                    {
                        ForSamples(count, patch * lo, j => Im2Col(x.AsSpan((first + j) * xSize, xSize), col, ld, j * lo, g));
                    }
                    // (Cout, nb·Lo) · (nb·Lo, Cin·K): the sum over samples and positions is the GEMM's k.
                    Gemm.Multiply(false, true, g.Cout, patch, ld, 1f, dyc, ld, cols, ld, 1f, dWeight, patch);
                }
                if (dx is not null)
                {
                    if (!unfold)
                    {
                        Gemm.Multiply(true, false, patch, ld, g.Cout, 1f, weight, patch, dyc, ld, 1f, dx.AsSpan(n0 * xSize, xSize), ld);
                        continue;
                    }
                    Gemm.Multiply(true, false, patch, ld, g.Cout, 1f, weight, patch, dyc, ld, 0f, dcol, ld);
                    ForSamples(count, patch * lo, j => Col2ImAdd(dcol!, ld, j * lo, dx.AsSpan((first + j) * xSize, xSize), g));
                }
            }
        }
        finally
        {
            foreach (var buffer in (ReadOnlySpan<float[]?>)[col, dcol, wide])
            {
                if (buffer is not null)
                {
                    ArrayPool<float>.Shared.Return(buffer);
                }
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/>(j) for the <paramref name="count"/> samples of a chunk, each
    /// touching about <paramref name="perSample"/> floats of its own: on the cores when the chunk is
    /// large (the unfolding, scattering and folding are memory passes the GEMM's threads would
    /// otherwise wait for).
    /// </summary>
    internal static void ForSamples(int count, int perSample, Action<int> body)
        => LinearInferenceKernels.ForRows(count, perSample, (start, n) =>
        {
            for (int j = start; j < start + n; j++)
            {
                body(j);
            }
        });

    /// <summary>
    /// The output positions <c>[lo, hi)</c> whose input index <c>t·S + offset</c> falls inside
    /// <c>[0, L)</c>; positions outside read padding zeros.
    /// </summary>
    private static (int Lo, int Hi) ValidRange(int offset, in Conv1dGeometry g)
    {
        int lOut = g.LOut, s = g.Stride;
        int first = offset >= 0 ? 0 : (-offset + s - 1) / s;
        int last = g.L - 1 - offset;
        int end = last < 0 ? 0 : Math.Min(lOut, last / s + 1);
        first = Math.Min(first, lOut);
        return (first, Math.Max(first, end));
    }

    /// <summary>
    /// Unfolds one sample xn (Cin, L) into columns <c>[colOffset, colOffset + Lo)</c> of col
    /// (Cin·K, ld): <c>col[ci·K + k, t] = x[ci, t·S + k·D − PadLeft]</c>, zero outside x.
    /// </summary>
    private static void Im2Col(ReadOnlySpan<float> xn, Span<float> col, int ld, int colOffset, in Conv1dGeometry g)
    {
        int lo = g.LOut, s = g.Stride;
        for (int ci = 0; ci < g.Cin; ci++)
        {
            var xRow = xn.Slice(ci * g.L, g.L);
            for (int k = 0; k < g.K; k++)
            {
                var row = col.Slice((ci * g.K + k) * ld + colOffset, lo);
                int offset = k * g.Dilation - g.PadLeft;
                var (first, end) = ValidRange(offset, g);
                row.Slice(0, first).Clear();
                row.Slice(end).Clear();
                if (end == first)
                {
                    continue; // this tap only ever reads padding
                }
                if (s == 1)
                {
                    xRow.Slice(first + offset, end - first).CopyTo(row.Slice(first, end - first));
                }
                else
                {
                    for (int t = first, src = first * s + offset; t < end; t++, src += s)
                    {
                        row[t] = xRow[src];
                    }
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: adds columns of dcol back onto the input positions they were read from.</summary>
    private static void Col2ImAdd(ReadOnlySpan<float> dcol, int ld, int colOffset, Span<float> dxn, in Conv1dGeometry g)
    {
        int lo = g.LOut, s = g.Stride;
        for (int ci = 0; ci < g.Cin; ci++)
        {
            var dxRow = dxn.Slice(ci * g.L, g.L);
            for (int k = 0; k < g.K; k++)
            {
                var row = dcol.Slice((ci * g.K + k) * ld + colOffset, lo);
                int offset = k * g.Dilation - g.PadLeft;
                var (first, end) = ValidRange(offset, g);
                if (end == first)
                {
                    continue;
                }
                if (s == 1)
                {
                    var target = dxRow.Slice(first + offset, end - first);
                    TensorPrimitives.Add(target, row.Slice(first, end - first), target);
                }
                else
                {
                    for (int t = first, dst = first * s + offset; t < end; t++, dst += s)
                    {
                        dxRow[dst] += row[t];
                    }
                }
            }
        }
    }

    /// <summary>Direct-loop forward (test oracle): <c>y[n, co, t] = b[co] + Σ_{ci,k} w[co, ci, k] · x[n, ci, t·S + k·D − PadLeft]</c>.</summary>
    public static void ForwardReference(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        Span<float> y, in Conv1dGeometry g)
    {
        int lo = g.LOut;
        for (int n = 0; n < g.N; n++)
        {
            for (int co = 0; co < g.Cout; co++)
            {
                for (int t = 0; t < lo; t++)
                {
                    double acc = bias.IsEmpty ? 0 : bias[co];
                    for (int ci = 0; ci < g.Cin; ci++)
                    {
                        for (int k = 0; k < g.K; k++)
                        {
                            int p = t * g.Stride + k * g.Dilation - g.PadLeft;
                            if (p >= 0 && p < g.L)
                            {
                                acc += (double)weight[(co * g.Cin + ci) * g.K + k] * x[(n * g.Cin + ci) * g.L + p];
                            }
                        }
                    }
                    y[(n * g.Cout + co) * lo + t] = (float)acc;
                }
            }
        }
    }

    /// <summary>Direct-loop backward (test oracle); same contract as <see cref="Backward"/>.</summary>
    public static void BackwardReference(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> weight,
        Span<float> dx, Span<float> dWeight, Span<float> dBias, in Conv1dGeometry g)
    {
        int lo = g.LOut;
        for (int n = 0; n < g.N; n++)
        {
            for (int co = 0; co < g.Cout; co++)
            {
                for (int t = 0; t < lo; t++)
                {
                    float d = dy[(n * g.Cout + co) * lo + t];
                    if (!dBias.IsEmpty)
                    {
                        dBias[co] += d;
                    }
                    for (int ci = 0; ci < g.Cin; ci++)
                    {
                        for (int k = 0; k < g.K; k++)
                        {
                            int p = t * g.Stride + k * g.Dilation - g.PadLeft;
                            if (p < 0 || p >= g.L)
                            {
                                continue;
                            }
                            int wi = (co * g.Cin + ci) * g.K + k, xi = (n * g.Cin + ci) * g.L + p;
                            if (!dWeight.IsEmpty)
                            {
                                dWeight[wi] += d * x[xi];
                            }
                            if (!dx.IsEmpty)
                            {
                                dx[xi] += d * weight[wi];
                            }
                        }
                    }
                }
            }
        }
    }

    [Conditional("DEBUG")]
    private static void DebugCheck(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> y, in Conv1dGeometry g)
    {
        Debug.Assert(x.Length == g.N * g.Cin * g.L, "x length does not match the geometry");
        Debug.Assert(weight.Length == g.Cout * g.Cin * g.K, "weight length does not match the geometry");
        Debug.Assert(y.Length == g.N * g.Cout * g.LOut, "y/dy length does not match the geometry");
    }
}
