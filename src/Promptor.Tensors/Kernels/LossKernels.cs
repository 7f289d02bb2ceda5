using System.Buffers;
using System.Numerics.Tensors;

namespace Promptor.Tensors.Kernels;

// Dimension letters: N batch, C classes, T trailing positions of the (N, C, T…) cross-entropy
// form, flattened (T = 1 for (N, C) logits); E elements of an element-wise loss.

/// <summary>
/// Loss kernels. Forward kernels return the sum of the per-element (per-target) losses in double;
/// the op divides by the count. Backward kernels take that factor as <c>scale</c> (upstream gradient
/// over count) and accumulate with <c>+=</c>. Element-wise losses run in blocks so sums are
/// accumulated in double without a full-size scratch buffer.
/// </summary>
internal static class LossKernels
{
    private const int Block = 4096;

    // ---- mean squared error -------------------------------------------------------------------

    /// <summary>Σ mask · (pred − target)² over E elements; an empty mask weighs every element 1.</summary>
    public static double MseForward(ReadOnlySpan<float> pred, ReadOnlySpan<float> target, ReadOnlySpan<float> mask)
    {
        float[] scratch = ArrayPool<float>.Shared.Rent(Math.Min(Block, Math.Max(pred.Length, 1)));
        try
        {
            double sum = 0;
            for (int i = 0; i < pred.Length; i += Block)
            {
                int len = Math.Min(Block, pred.Length - i);
                var diff = scratch.AsSpan(0, len);
                TensorPrimitives.Subtract(pred.Slice(i, len), target.Slice(i, len), diff);
                if (mask.IsEmpty)
                {
                    sum += TensorPrimitives.SumOfSquares(diff);
                }
                else
                {
                    TensorPrimitives.Multiply(diff, diff, diff);
                    sum += TensorPrimitives.Dot(diff, mask.Slice(i, len));
                }
            }
            return sum;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>d = 2 · scale · mask · (pred − target); dPred += d, dTarget −= d (empty spans skipped).</summary>
    public static void MseBackward(ReadOnlySpan<float> pred, ReadOnlySpan<float> target, ReadOnlySpan<float> mask,
        float scale, Span<float> dPred, Span<float> dTarget)
    {
        float[] scratch = ArrayPool<float>.Shared.Rent(Math.Min(Block, Math.Max(pred.Length, 1)));
        try
        {
            for (int i = 0; i < pred.Length; i += Block)
            {
                int len = Math.Min(Block, pred.Length - i);
                var d = scratch.AsSpan(0, len);
                TensorPrimitives.Subtract(pred.Slice(i, len), target.Slice(i, len), d);
                if (!mask.IsEmpty)
                {
                    TensorPrimitives.Multiply(d, mask.Slice(i, len), d);
                }
                if (!dPred.IsEmpty)
                {
                    var dp = dPred.Slice(i, len);
                    TensorPrimitives.MultiplyAdd(d, 2f * scale, dp, dp);
                }
                if (!dTarget.IsEmpty)
                {
                    var dt = dTarget.Slice(i, len);
                    TensorPrimitives.MultiplyAdd(d, -2f * scale, dt, dt);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    // ---- binary cross-entropy with logits -----------------------------------------------------

    /// <summary>
    /// Σ −[pw·y·log σ(x) + (1 − y)·log(1 − σ(x))] over E elements, pw = posWeight (E, already
    /// broadcast; empty for 1). Rewritten as <c>(1 − y)·x + (1 + (pw − 1)·y)·softplus(−x)</c> with
    /// <c>softplus(−x) = max(−x, 0) + log(1 + e^−|x|)</c>, which never overflows.
    /// </summary>
    public static double BceWithLogitsForward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> posWeight)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double xi = x[i], yi = y[i], pw = posWeight.IsEmpty ? 1.0 : posWeight[i];
            sum += (1 - yi) * xi + (1 + (pw - 1) * yi) * SoftplusNeg(xi);
        }
        return sum;
    }

    /// <summary>
    /// Accumulates scale times the partial derivatives: dX += (1 − y) − (1 + (pw − 1)·y)·σ(−x),
    /// dY += −x + (pw − 1)·softplus(−x), dPosWeight (E, unreduced) += y·softplus(−x). Empty spans are skipped.
    /// </summary>
    public static void BceWithLogitsBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> posWeight,
        float scale, Span<float> dX, Span<float> dY, Span<float> dPosWeight)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double xi = x[i], yi = y[i], pw = posWeight.IsEmpty ? 1.0 : posWeight[i];
            if (!dX.IsEmpty)
            {
                // σ(−x) without overflow on either side.
                double e = Math.Exp(-Math.Abs(xi));
                double sigNeg = xi >= 0 ? e / (1 + e) : 1 / (1 + e);
                dX[i] += (float)(scale * ((1 - yi) - (1 + (pw - 1) * yi) * sigNeg));
            }
            if (!dY.IsEmpty)
            {
                dY[i] += (float)(scale * (-xi + (pw - 1) * SoftplusNeg(xi)));
            }
            if (!dPosWeight.IsEmpty)
            {
                dPosWeight[i] += (float)(scale * yi * SoftplusNeg(xi));
            }
        }
    }

    private static double SoftplusNeg(double x) => Math.Max(-x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));

    // ---- cross-entropy ------------------------------------------------------------------------

    /// <summary>
    /// Cross-entropy of logits (N, C, T) against class targets (N, T), with the class axis strided by
    /// T. Targets equal to <paramref name="ignoreIndex"/> are skipped. Each kept target costs
    /// <c>(1 − ε)·(lse − x_y) + ε·(lse − mean_c x_c)</c>, i.e. label smoothing ε mixes in the mean
    /// negative log-probability over classes. Writes the log-sum-exp of every kept lane to
    /// <paramref name="lse"/> (N·T) for backward. Targets must already be validated.
    /// </summary>
    public static (double Sum, int Count) CrossEntropyForward(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets,
        Span<float> lse, int n, int c, int t, int ignoreIndex, float smoothing)
    {
        double sum = 0;
        int count = 0;
        for (int b = 0; b < n; b++)
        {
            for (int p = 0; p < t; p++)
            {
                int lane = b * t + p, target = targets[lane];
                if (target == ignoreIndex)
                {
                    continue;
                }
                var x = logits.Slice(b * c * t + p);
                float max = float.NegativeInfinity;
                double total = 0;
                for (int j = 0; j < c; j++)
                {
                    float v = x[j * t];
                    max = MathF.Max(max, v);
                    total += v;
                }
                double sumExp = 0;
                for (int j = 0; j < c; j++)
                {
                    sumExp += Math.Exp(x[j * t] - max);
                }
                double l = max + Math.Log(sumExp);
                lse[lane] = (float)l;
                sum += (1 - smoothing) * (l - x[target * t]) + smoothing * (l - total / c);
                count++;
            }
        }
        return (sum, count);
    }

    /// <summary>
    /// dLogits (N, C, T) += scale · (softmax(x) − (1 − ε)·onehot(y) − ε/C) for every kept target,
    /// using the saved log-sum-exp.
    /// </summary>
    public static void CrossEntropyBackward(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, ReadOnlySpan<float> lse,
        Span<float> dLogits, int n, int c, int t, int ignoreIndex, float smoothing, float scale)
    {
        float uniform = smoothing / c;
        for (int b = 0; b < n; b++)
        {
            for (int p = 0; p < t; p++)
            {
                int lane = b * t + p, target = targets[lane];
                if (target == ignoreIndex)
                {
                    continue;
                }
                int offset = b * c * t + p;
                float l = lse[lane];
                for (int j = 0; j < c; j++)
                {
                    int i = offset + j * t;
                    float d = MathF.Exp(logits[i] - l) - uniform - (j == target ? 1f - smoothing : 0f);
                    dLogits[i] += scale * d;
                }
            }
        }
    }

    // ---- Poisson negative log-likelihood ------------------------------------------------------

    /// <summary>Σ exp(x) − y·x over E elements (the log-input form without the Stirling term).</summary>
    public static double PoissonNllForward(ReadOnlySpan<float> logRate, ReadOnlySpan<float> target)
    {
        float[] scratch = ArrayPool<float>.Shared.Rent(Math.Min(Block, Math.Max(logRate.Length, 1)));
        try
        {
            double sum = 0;
            for (int i = 0; i < logRate.Length; i += Block)
            {
                int len = Math.Min(Block, logRate.Length - i);
                var rate = scratch.AsSpan(0, len);
                var x = logRate.Slice(i, len);
                TensorPrimitives.Exp(x, rate);
                sum += (double)TensorPrimitives.Sum(rate) - TensorPrimitives.Dot(target.Slice(i, len), x);
            }
            return sum;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>dLogRate += scale · (exp(x) − y); dTarget += −scale · x (empty spans skipped).</summary>
    public static void PoissonNllBackward(ReadOnlySpan<float> logRate, ReadOnlySpan<float> target, float scale,
        Span<float> dLogRate, Span<float> dTarget)
    {
        if (!dTarget.IsEmpty)
        {
            TensorPrimitives.MultiplyAdd(logRate, -scale, dTarget, dTarget);
        }
        if (dLogRate.IsEmpty)
        {
            return;
        }
        float[] scratch = ArrayPool<float>.Shared.Rent(Math.Min(Block, Math.Max(logRate.Length, 1)));
        try
        {
            for (int i = 0; i < logRate.Length; i += Block)
            {
                int len = Math.Min(Block, logRate.Length - i);
                var d = scratch.AsSpan(0, len);
                TensorPrimitives.Exp(logRate.Slice(i, len), d);
                TensorPrimitives.Subtract(d, target.Slice(i, len), d);
                var dx = dLogRate.Slice(i, len);
                TensorPrimitives.MultiplyAdd(d, scale, dx, dx);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }
}
