using System.Buffers;
using System.Diagnostics;
using System.Numerics.Tensors;

namespace Promptor.Tensors.Kernels;

// Dimension letters: R rows (all leading dims flattened), C channels / normalised width, N batch,
// G groups, S spatial positions (product of the dims after the channel axis; L for sequences),
// M = (C/G)·S elements per group.

/// <summary>
/// Layer, group and batch normalisation, forward and backward. Every variant normalises a set of
/// values by its mean and biased variance, <c>x̂ = (x − μ) · rstd</c> with
/// <c>rstd = 1/√(σ² + eps)</c>, then applies a per-channel affine map. The forward kernels save μ
/// and rstd per set so backward recomputes x̂ instead of storing it. The variance is computed
/// centred (two passes), which keeps it accurate when |μ| ≫ σ.
/// </summary>
internal static class NormKernels
{
    // ---- layer norm -----------------------------------------------------------------------------

    /// <summary>
    /// y (R, C) = x̂ · gamma + beta per row of x (R, C); gamma/beta (C) may be empty (1 and 0).
    /// Writes mean (R) and rstd (R).
    /// </summary>
    public static void LayerNormForward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y, Span<float> mean, Span<float> rstd, int c, float eps)
    {
        int rows = mean.Length;
        Debug.Assert(x.Length == rows * c && y.Length == x.Length, "LayerNorm spans do not match (R, C)");
        for (int r = 0; r < rows; r++)
        {
            var yr = y.Slice(r * c, c);
            (mean[r], rstd[r]) = Normalize(x.Slice(r * c, c), yr, eps);
            if (!gamma.IsEmpty)
            {
                TensorPrimitives.Multiply(yr, gamma, yr);
            }
            if (!beta.IsEmpty)
            {
                TensorPrimitives.Add(yr, beta, yr);
            }
        }
    }

    /// <summary>
    /// <see cref="LayerNormForward"/> over blocks of rows on several cores when the input is large
    /// (rows are independent, so the result is the same). <paramref name="y"/> may be
    /// <paramref name="x"/> itself (normalisation in place); null gamma/beta mean 1 and 0.
    /// </summary>
    public static void LayerNormForwardParallel(float[] x, float[]? gamma, float[]? beta, float[] y, float[] mean, float[] rstd, int c, float eps)
    {
        int rows = mean.Length;
        LinearInferenceKernels.ForRows(rows, c, (start, count) => LayerNormForward(
            x.AsSpan(start * c, count * c), gamma, beta, y.AsSpan(start * c, count * c),
            mean.AsSpan(start, count), rstd.AsSpan(start, count), c, eps));
    }

    /// <summary>Rows' worth of elements each block of <see cref="LayerNormBackwardBlocked"/> takes.</summary>
    private const int LayerNormBackwardBlockElements = 1 << 13;

    /// <summary>
    /// <see cref="LayerNormBackward"/> over fixed blocks of rows, spread over the cores. Each block
    /// sums its rows' dGamma and dBeta into its own partial sums, which are then added in block
    /// order: the result depends on the shape only, never on the number of threads. Null
    /// gradients are skipped.
    /// </summary>
    public static void LayerNormBackwardBlocked(float[] dy, float[] x, float[]? gamma, float[] mean, float[] rstd,
        float[]? dx, float[]? dGamma, float[]? dBeta, int c)
    {
        int rows = mean.Length;
        int rowsPerBlock = Math.Max(1, LayerNormBackwardBlockElements / c);
        int blocks = (rows + rowsPerBlock - 1) / rowsPerBlock;
        if (blocks <= 1)
        {
            LayerNormBackward(dy, x, gamma, mean, rstd, dx, dGamma, dBeta, c);
            return;
        }
        // Per block: [dGamma partial (C) | dBeta partial (C)].
        float[] partials = ArrayPool<float>.Shared.Rent(blocks * 2 * c);
        try
        {
            Array.Clear(partials, 0, blocks * 2 * c);
            LinearInferenceKernels.ForRows(blocks, rowsPerBlock * c, (start, count) =>
            {
                for (int block = start; block < start + count; block++)
                {
                    int r0 = block * rowsPerBlock, n = Math.Min(rows, r0 + rowsPerBlock) - r0;
                    var own = partials.AsSpan(block * 2 * c, 2 * c);
                    LayerNormBackward(dy.AsSpan(r0 * c, n * c), x.AsSpan(r0 * c, n * c), gamma,
                        mean.AsSpan(r0, n), rstd.AsSpan(r0, n), dx is null ? default : dx.AsSpan(r0 * c, n * c),
                        dGamma is null ? default : own[..c], dBeta is null ? default : own[c..], c);
                }
            });
            for (int block = 0; block < blocks; block++)
            {
                var own = partials.AsSpan(block * 2 * c, 2 * c);
                if (dGamma is not null)
                {
                    TensorPrimitives.Add(dGamma, own[..c], dGamma);
                }
                if (dBeta is not null)
                {
                    TensorPrimitives.Add(dBeta, own[c..], dBeta);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(partials);
        }
    }

    /// <summary>
    /// Accumulates dx (R, C), dGamma (C) and dBeta (C) from dy (R, C) and the saved mean/rstd (R);
    /// empty spans are skipped. With g = dy · gamma: <c>dx = rstd · (g − mean(g) − x̂ · mean(g · x̂))</c>.
    /// </summary>
    public static void LayerNormBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dGamma, Span<float> dBeta, int c)
    {
        int rows = mean.Length;
        float[] scratch = ArrayPool<float>.Shared.Rent(2 * c);
        try
        {
            var xhat = scratch.AsSpan(0, c);
            var g = scratch.AsSpan(c, c);
            for (int r = 0; r < rows; r++)
            {
                var dyr = dy.Slice(r * c, c);
                TensorPrimitives.Subtract(x.Slice(r * c, c), mean[r], xhat);
                TensorPrimitives.Multiply(xhat, rstd[r], xhat);
                if (!dGamma.IsEmpty)
                {
                    TensorPrimitives.MultiplyAdd(dyr, xhat, dGamma, dGamma);
                }
                if (!dBeta.IsEmpty)
                {
                    TensorPrimitives.Add(dBeta, dyr, dBeta);
                }
                if (!dx.IsEmpty)
                {
                    if (gamma.IsEmpty)
                    {
                        dyr.CopyTo(g);
                    }
                    else
                    {
                        TensorPrimitives.Multiply(dyr, gamma, g);
                    }
                    NormalizeBackward(xhat, g, rstd[r], dx.Slice(r * c, c));
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    // ---- group norm -----------------------------------------------------------------------------

    /// <summary>
    /// Group norm of x (N, C, S): each sample's channels split into G groups of C/G consecutive
    /// channels, normalised over their M = (C/G)·S values, then <c>y = x̂ · gamma[c] + beta[c]</c>
    /// (gamma/beta (C) may be empty). Writes mean and rstd (N·G).
    /// </summary>
    public static void GroupNormForward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y, Span<float> mean, Span<float> rstd, int n, int c, int s, int groups, float eps)
    {
        int cpg = c / groups, m = cpg * s;
        Debug.Assert(x.Length == n * c * s && y.Length == x.Length && mean.Length == n * groups, "GroupNorm spans do not match (N, C, S)");
        for (int row = 0; row < n * groups; row++)
        {
            var yr = y.Slice(row * m, m);
            (mean[row], rstd[row]) = Normalize(x.Slice(row * m, m), yr, eps);
            int c0 = row % groups * cpg;
            for (int ci = 0; ci < cpg; ci++)
            {
                var seg = yr.Slice(ci * s, s);
                if (!gamma.IsEmpty)
                {
                    TensorPrimitives.Multiply(seg, gamma[c0 + ci], seg);
                }
                if (!beta.IsEmpty)
                {
                    TensorPrimitives.Add(seg, beta[c0 + ci], seg);
                }
            }
        }
    }

    /// <summary>
    /// Accumulates dx (N, C, S), dGamma (C) and dBeta (C) of <see cref="GroupNormForward"/>; empty
    /// spans are skipped. Same formula as layer norm, over each group.
    /// </summary>
    public static void GroupNormBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dGamma, Span<float> dBeta,
        int n, int c, int s, int groups)
    {
        int cpg = c / groups, m = cpg * s;
        float[] scratch = ArrayPool<float>.Shared.Rent(2 * m);
        try
        {
            var xhat = scratch.AsSpan(0, m);
            var g = scratch.AsSpan(m, m);
            for (int row = 0; row < n * groups; row++)
            {
                var dyr = dy.Slice(row * m, m);
                TensorPrimitives.Subtract(x.Slice(row * m, m), mean[row], xhat);
                TensorPrimitives.Multiply(xhat, rstd[row], xhat);
                int c0 = row % groups * cpg;
                for (int ci = 0; ci < cpg; ci++)
                {
                    var dySeg = dyr.Slice(ci * s, s);
                    if (!dGamma.IsEmpty)
                    {
                        dGamma[c0 + ci] += TensorPrimitives.Dot(dySeg, xhat.Slice(ci * s, s));
                    }
                    if (!dBeta.IsEmpty)
                    {
                        dBeta[c0 + ci] += TensorPrimitives.Sum(dySeg);
                    }
                    TensorPrimitives.Multiply(dySeg, gamma.IsEmpty ? 1f : gamma[c0 + ci], g.Slice(ci * s, s));
                }
                if (!dx.IsEmpty)
                {
                    NormalizeBackward(xhat, g, rstd[row], dx.Slice(row * m, m));
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    // ---- batch norm -----------------------------------------------------------------------------

    /// <summary>
    /// Batch norm of x (N, C, S) (S = 1 for (N, C) input), per channel over its N·S values.
    /// <paramref name="training"/>: normalise with the batch mean and biased variance, write them to
    /// mean/rstd (C) and update runningMean/runningVar (C; empty to skip) in place with
    /// <c>r = (1 − momentum)·r + momentum·stat</c>, using the unbiased variance. Otherwise normalise
    /// with the running statistics (left unchanged), which are copied to mean/rstd for backward.
    /// </summary>
    public static void BatchNormForward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y, Span<float> mean, Span<float> rstd, Span<float> runningMean, Span<float> runningVar,
        int n, int c, int s, bool training, float momentum, float eps)
    {
        Debug.Assert(x.Length == n * c * s && y.Length == x.Length && mean.Length == c, "BatchNorm spans do not match (N, C, S)");
        if (s == 1)
        {
            BatchNormRowsForward(x, gamma, beta, y, mean, rstd, runningMean, runningVar, n, c, training, momentum, eps);
            return;
        }
        int count = n * s;
        for (int ch = 0; ch < c; ch++)
        {
            float mu, rs;
            if (training)
            {
                double sum = 0;
                for (int b = 0; b < n; b++)
                {
                    sum += TensorPrimitives.Sum(x.Slice((b * c + ch) * s, s));
                }
                mu = (float)(sum / count);
                double squares = 0;
                for (int b = 0; b < n; b++)
                {
                    // Centre into y now; the scale below turns it into x̂ in place.
                    var seg = y.Slice((b * c + ch) * s, s);
                    TensorPrimitives.Subtract(x.Slice((b * c + ch) * s, s), mu, seg);
                    squares += TensorPrimitives.SumOfSquares(seg);
                }
                double variance = squares / count;
                rs = (float)(1.0 / Math.Sqrt(variance + eps));
                if (!runningMean.IsEmpty)
                {
                    runningMean[ch] = (1f - momentum) * runningMean[ch] + momentum * mu;
                }
                if (!runningVar.IsEmpty)
                {
                    runningVar[ch] = (1f - momentum) * runningVar[ch] + momentum * (float)(squares / (count - 1));
                }
            }
            else
            {
                mu = runningMean[ch];
                rs = 1f / MathF.Sqrt(runningVar[ch] + eps);
            }
            mean[ch] = mu;
            rstd[ch] = rs;
            float scale = rs * (gamma.IsEmpty ? 1f : gamma[ch]);
            float shift = beta.IsEmpty ? 0f : beta[ch];
            for (int b = 0; b < n; b++)
            {
                var seg = y.Slice((b * c + ch) * s, s);
                if (!training)
                {
                    TensorPrimitives.Subtract(x.Slice((b * c + ch) * s, s), mu, seg);
                }
                TensorPrimitives.Multiply(seg, scale, seg);
                TensorPrimitives.Add(seg, shift, seg);
            }
        }
    }

    /// <summary>
    /// Accumulates dx (N, C, S), dGamma (C) and dBeta (C) of <see cref="BatchNormForward"/>; empty
    /// spans are skipped. Training mode back-propagates through the batch statistics
    /// (<c>dx = gamma · rstd · (dy − mean(dy) − x̂ · mean(dy · x̂))</c> over each channel); eval mode
    /// treats them as constants (<c>dx = gamma · rstd · dy</c>).
    /// </summary>
    public static void BatchNormBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dGamma, Span<float> dBeta,
        int n, int c, int s, bool training)
    {
        if (s == 1)
        {
            BatchNormRowsBackward(dy, x, gamma, mean, rstd, dx, dGamma, dBeta, n, c, training);
            return;
        }
        int count = n * s;
        float[] scratch = ArrayPool<float>.Shared.Rent(s);
        try
        {
            var xhat = scratch.AsSpan(0, s);
            for (int ch = 0; ch < c; ch++)
            {
                float mu = mean[ch], rs = rstd[ch];
                double sumDy = 0, sumDyXhat = 0;
                for (int b = 0; b < n; b++)
                {
                    int off = (b * c + ch) * s;
                    var dySeg = dy.Slice(off, s);
                    TensorPrimitives.Subtract(x.Slice(off, s), mu, xhat);
                    TensorPrimitives.Multiply(xhat, rs, xhat);
                    sumDy += TensorPrimitives.Sum(dySeg);
                    sumDyXhat += TensorPrimitives.Dot(dySeg, xhat);
                }
                if (!dGamma.IsEmpty)
                {
                    dGamma[ch] += (float)sumDyXhat;
                }
                if (!dBeta.IsEmpty)
                {
                    dBeta[ch] += (float)sumDy;
                }
                if (dx.IsEmpty)
                {
                    continue;
                }
                float scale = rs * (gamma.IsEmpty ? 1f : gamma[ch]);
                float meanDy = (float)(sumDy / count), meanDyXhat = (float)(sumDyXhat / count);
                for (int b = 0; b < n; b++)
                {
                    int off = (b * c + ch) * s;
                    var dySeg = dy.Slice(off, s);
                    var dxSeg = dx.Slice(off, s);
                    if (!training)
                    {
                        TensorPrimitives.MultiplyAdd(dySeg, scale, dxSeg, dxSeg);
                        continue;
                    }
                    TensorPrimitives.Subtract(x.Slice(off, s), mu, xhat);
                    TensorPrimitives.Multiply(xhat, rs, xhat);
                    // xhat ← dy − x̂·mean(dy·x̂) − mean(dy), then dx += scale · xhat.
                    TensorPrimitives.MultiplyAdd(xhat, -meanDyXhat, dySeg, xhat);
                    TensorPrimitives.Subtract(xhat, meanDy, xhat);
                    TensorPrimitives.MultiplyAdd(xhat, scale, dxSeg, dxSeg);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>Rows summed in float before each is added to the double totals.</summary>
    private const int RowBlock = 256;

    /// <summary>
    /// <see cref="BatchNormForward"/> for rows <c>(N, C)</c> (S = 1, e.g. channels-last positions
    /// flattened into rows): the same statistics, computed with whole rows as vectors over the
    /// channels instead of one value per call; per channel, blocks of rows are summed in float and
    /// the block sums in double.
    /// </summary>
    private static void BatchNormRowsForward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y, Span<float> mean, Span<float> rstd, Span<float> runningMean, Span<float> runningVar,
        int n, int c, bool training, float momentum, float eps)
    {
        var scale = new float[c];
        var shift = new float[c];
        if (training)
        {
            var sums = new double[c];
            var part = new float[c];
            for (int r0 = 0; r0 < n; r0 += RowBlock)
            {
                part.AsSpan().Clear();
                for (int r = r0; r < Math.Min(n, r0 + RowBlock); r++)
                {
                    TensorPrimitives.Add(part, x.Slice(r * c, c), part);
                }
                AddInto(sums, part);
            }
            for (int ch = 0; ch < c; ch++)
            {
                mean[ch] = (float)(sums[ch] / n);
            }
            // Centre into y now; the scale below turns it into x̂ in place.
            var squares = new double[c];
            for (int r0 = 0; r0 < n; r0 += RowBlock)
            {
                part.AsSpan().Clear();
                for (int r = r0; r < Math.Min(n, r0 + RowBlock); r++)
                {
                    var row = y.Slice(r * c, c);
                    TensorPrimitives.Subtract(x.Slice(r * c, c), mean, row);
                    TensorPrimitives.MultiplyAdd(row, row, part, part);
                }
                AddInto(squares, part);
            }
            for (int ch = 0; ch < c; ch++)
            {
                rstd[ch] = (float)(1.0 / Math.Sqrt(squares[ch] / n + eps));
                if (!runningMean.IsEmpty)
                {
                    runningMean[ch] = (1f - momentum) * runningMean[ch] + momentum * mean[ch];
                }
                if (!runningVar.IsEmpty)
                {
                    runningVar[ch] = (1f - momentum) * runningVar[ch] + momentum * (float)(squares[ch] / (n - 1));
                }
            }
        }
        else
        {
            for (int ch = 0; ch < c; ch++)
            {
                mean[ch] = runningMean[ch];
                rstd[ch] = 1f / MathF.Sqrt(runningVar[ch] + eps);
            }
        }
        for (int ch = 0; ch < c; ch++)
        {
            scale[ch] = rstd[ch] * (gamma.IsEmpty ? 1f : gamma[ch]);
            shift[ch] = beta.IsEmpty ? 0f : beta[ch];
        }
        for (int r = 0; r < n; r++)
        {
            var row = y.Slice(r * c, c);
            if (!training)
            {
                TensorPrimitives.Subtract(x.Slice(r * c, c), mean, row);
            }
            TensorPrimitives.MultiplyAdd(row, scale, shift, row);
        }
    }

    /// <summary><see cref="BatchNormBackward"/> for rows <c>(N, C)</c> (S = 1), vectorised over the channels like <see cref="BatchNormRowsForward"/>.</summary>
    private static void BatchNormRowsBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dGamma, Span<float> dBeta,
        int n, int c, bool training)
    {
        var xhat = new float[c];
        var sumDy = new double[c];
        var sumDyXhat = new double[c];
        var partDy = new float[c];
        var partDyXhat = new float[c];
        for (int r0 = 0; r0 < n; r0 += RowBlock)
        {
            partDy.AsSpan().Clear();
            partDyXhat.AsSpan().Clear();
            for (int r = r0; r < Math.Min(n, r0 + RowBlock); r++)
            {
                var dyRow = dy.Slice(r * c, c);
                TensorPrimitives.Subtract(x.Slice(r * c, c), mean, xhat);
                TensorPrimitives.Multiply(xhat, rstd, xhat);
                TensorPrimitives.Add(partDy, dyRow, partDy);
                TensorPrimitives.MultiplyAdd(dyRow, xhat, partDyXhat, partDyXhat);
            }
            AddInto(sumDy, partDy);
            AddInto(sumDyXhat, partDyXhat);
        }
        for (int ch = 0; ch < c; ch++)
        {
            if (!dGamma.IsEmpty)
            {
                dGamma[ch] += (float)sumDyXhat[ch];
            }
            if (!dBeta.IsEmpty)
            {
                dBeta[ch] += (float)sumDy[ch];
            }
        }
        if (dx.IsEmpty)
        {
            return;
        }
        var scale = new float[c];
        var meanDy = new float[c];
        var negMeanDyXhat = new float[c];
        for (int ch = 0; ch < c; ch++)
        {
            scale[ch] = rstd[ch] * (gamma.IsEmpty ? 1f : gamma[ch]);
            meanDy[ch] = (float)(sumDy[ch] / n);
            negMeanDyXhat[ch] = (float)(-sumDyXhat[ch] / n);
        }
        for (int r = 0; r < n; r++)
        {
            var dyRow = dy.Slice(r * c, c);
            var dxRow = dx.Slice(r * c, c);
            if (!training)
            {
                TensorPrimitives.MultiplyAdd(dyRow, scale, dxRow, dxRow);
                continue;
            }
            TensorPrimitives.Subtract(x.Slice(r * c, c), mean, xhat);
            TensorPrimitives.Multiply(xhat, rstd, xhat);
            // xhat ← dy − x̂·mean(dy·x̂) − mean(dy), then dx += scale · xhat.
            TensorPrimitives.MultiplyAdd(xhat, negMeanDyXhat, dyRow, xhat);
            TensorPrimitives.Subtract(xhat, meanDy, xhat);
            TensorPrimitives.MultiplyAdd(xhat, scale, dxRow, dxRow);
        }
    }

    private static void AddInto(double[] totals, float[] part)
    {
        for (int i = 0; i < totals.Length; i++)
        {
            totals[i] += part[i];
        }
    }

    // ---- shared ---------------------------------------------------------------------------------

    /// <summary>Writes x̂ of one contiguous set into <paramref name="xhat"/>; returns its mean and rstd.</summary>
    private static (float Mean, float Rstd) Normalize(ReadOnlySpan<float> x, Span<float> xhat, float eps)
    {
        float mu = TensorPrimitives.Sum(x) / x.Length;
        TensorPrimitives.Subtract(x, mu, xhat);
        float rs = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(xhat) / x.Length + eps);
        TensorPrimitives.Multiply(xhat, rs, xhat);
        return (mu, rs);
    }

    /// <summary>
    /// dx += rstd · (g − mean(g) − x̂ · mean(g · x̂)) for one normalised set, where g is the gradient
    /// with respect to x̂ (overwritten).
    /// </summary>
    private static void NormalizeBackward(ReadOnlySpan<float> xhat, Span<float> g, float rstd, Span<float> dx)
    {
        float meanG = TensorPrimitives.Sum(g) / g.Length;
        float meanGx = TensorPrimitives.Dot(g, xhat) / g.Length;
        TensorPrimitives.Subtract(g, meanG, g);
        TensorPrimitives.MultiplyAdd(xhat, -meanGx, g, g);
        TensorPrimitives.MultiplyAdd(g, rstd, dx, dx);
    }
}
