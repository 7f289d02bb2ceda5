using System.Buffers;
using System.Runtime.Intrinsics;

namespace Promptor.Tensors.Kernels;

/// <summary>
/// The no-gradient kernels of the inference ops on caller-owned buffers, for hot loops that run
/// the same layers many times (in-silico mutagenesis runs thousands of mutants through one model)
/// and keep their intermediates in arrays allocated once instead of a fresh tensor per op. Rows are
/// row-major; every call follows <see cref="Gemm.ThreadsForThisThread"/>. The results equal those of
/// <see cref="Ops.LinearInference"/>, <see cref="Ops.LayerNorm"/> and
/// <see cref="Ops.SelfAttentionInference"/>, which run the same kernels.
/// </summary>
public static class InferenceKernels
{
    /// <summary>
    /// y (R, O) = act(x (R, I) · weight (O, I)ᵀ + bias (O) + residual (R, O)), with bias and residual
    /// folded into the product; null bias or residual are skipped. <paramref name="y"/> may be the
    /// residual's own array (an in-place residual update), but must not overlap x.
    /// </summary>
    /// <exception cref="ArgumentException">An array is shorter than its shape.</exception>
    public static void Linear(float[] x, float[] weight, float[]? bias, float[]? residual, float[] y, int rows, int inFeatures, int outFeatures, LinearActivation activation = LinearActivation.None)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        Require(x.Length >= (long)rows * inFeatures && weight.Length >= (long)outFeatures * inFeatures && y.Length >= (long)rows * outFeatures
            && (bias is null || bias.Length >= outFeatures) && (residual is null || residual.Length >= (long)rows * outFeatures),
            $"Linear needs x ({rows}, {inFeatures}), weight ({outFeatures}, {inFeatures}), bias ({outFeatures}), residual and y ({rows}, {outFeatures}).");
        if (rows == 0)
        {
            return;
        }
        LinearInferenceKernels.Forward(x, weight, bias, residual, y, rows, inFeatures, outFeatures, activation);
    }

    /// <summary>
    /// Layer norm of each row of x (R, C): <c>y = (x − μ)/√(σ² + eps) · gamma + beta</c> (null gamma
    /// and beta mean 1 and 0). <paramref name="y"/> may be <paramref name="x"/> (in place).
    /// </summary>
    /// <exception cref="ArgumentException">An array is shorter than its shape.</exception>
    public static void LayerNorm(float[] x, float[]? gamma, float[]? beta, float[] y, int rows, int features, float eps = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        Require(x.Length >= (long)rows * features && y.Length >= (long)rows * features
            && (gamma is null || gamma.Length == features) && (beta is null || beta.Length == features),
            $"LayerNorm needs x and y ({rows}, {features}) and gamma, beta ({features}).");
        if (Vector512.IsHardwareAccelerated && features % Vector512<float>.Count == 0)
        {
            LinearInferenceKernels.ForRows(rows, features, (start, count) =>
            {
                for (int r = start; r < start + count; r++)
                {
                    LayerNormRow(x.AsSpan(r * features, features), gamma, beta, y.AsSpan(r * features, features), eps);
                }
            });
            return;
        }
        float[] stats = ArrayPool<float>.Shared.Rent(2 * Math.Max(1, rows));
        try
        {
            LinearInferenceKernels.ForRows(rows, features, (start, count) => NormKernels.LayerNormForward(
                x.AsSpan(start * features, count * features), gamma, beta, y.AsSpan(start * features, count * features),
                stats.AsSpan(start, count), stats.AsSpan(rows + start, count), features, eps));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(stats);
        }
    }

    /// <summary>
    /// Multi-head scaled dot-product attention, <c>o = softmax(scale · q kᵀ) v</c> per (batch, head),
    /// each head's output multiplied by <paramref name="gates"/>[h] when given (length H). Operands
    /// keep their heads side by side in rows (head h at columns <c>h·D … h·D + D − 1</c> of a
    /// layout's row, see <see cref="AttentionLayout"/>), so packed projections are read and merged
    /// outputs written in place. A batch stride of 0 shares one operand across the batch (e.g. the
    /// same queries for every sequence). Keys at most <see cref="MaxKeyLength"/>. <paramref name="o"/>
    /// must not overlap q, k or v.
    /// </summary>
    /// <param name="q">Queries.</param>
    /// <param name="qLayout">Where query (b, t) starts.</param>
    /// <param name="k">Keys.</param>
    /// <param name="kLayout">Where key (b, t) starts.</param>
    /// <param name="v">Values.</param>
    /// <param name="vLayout">Where value (b, t) starts.</param>
    /// <param name="o">Output.</param>
    /// <param name="oLayout">Where output (b, t) starts.</param>
    /// <param name="batch">B.</param>
    /// <param name="heads">H.</param>
    /// <param name="queryLength">Tq.</param>
    /// <param name="keyLength">Tk (≤ <see cref="MaxKeyLength"/>).</param>
    /// <param name="headWidth">D, the width of one head of q, k and v.</param>
    /// <param name="scale">Score scale, usually <c>1/√D</c>.</param>
    /// <param name="gates">Optional per-head output factors (H).</param>
    /// <exception cref="ArgumentException">A size is out of range or an array is too short for its layout.</exception>
    public static void Attention(float[] q, AttentionLayout qLayout, float[] k, AttentionLayout kLayout, float[] v, AttentionLayout vLayout,
        float[] o, AttentionLayout oLayout, int batch, int heads, int queryLength, int keyLength, int headWidth, float scale, float[]? gates = null)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(o);
        Require(batch >= 0 && heads >= 1 && queryLength >= 0 && keyLength >= 1 && keyLength <= MaxKeyLength && headWidth >= 1,
            $"Attention needs B ≥ 0, H ≥ 1, Tq ≥ 0, 1 ≤ Tk ≤ {MaxKeyLength}, D ≥ 1; got {batch}, {heads}, {queryLength}, {keyLength}, {headWidth}.");
        Require(gates is null || gates.Length == heads, $"Attention needs one gate per head ({heads}).");
        if (batch == 0 || queryLength == 0)
        {
            return;
        }
        Require(Fits(q, qLayout, batch, heads, queryLength, headWidth) && Fits(k, kLayout, batch, heads, keyLength, headWidth)
            && Fits(v, vLayout, batch, heads, keyLength, headWidth) && Fits(o, oLayout, batch, heads, queryLength, headWidth),
            "Attention: an operand is too short for its layout.");
        AttentionInferenceKernels.Forward(q, qLayout, k, kLayout, v, vLayout, o, oLayout,
            new AttentionDims(batch, heads, queryLength, keyLength, headWidth, headWidth), AttentionMaskSpec.None, scale, gates);
    }

    /// <summary>
    /// Runs <paramref name="body"/>(start, count) over blocks covering <paramref name="rows"/> rows of
    /// <paramref name="width"/> floats each: on the calling thread for small inputs, else a few blocks
    /// per core on the engine's workers (at most <see cref="Gemm.ThreadsForThisThread"/>). Blocks are
    /// disjoint; <paramref name="body"/> must only touch its own rows.
    /// </summary>
    public static void ForRows(int rows, int width, Action<int, int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (rows > 0)
        {
            LinearInferenceKernels.ForRows(rows, width, body);
        }
    }

    /// <summary>
    /// One row of <see cref="LayerNorm"/> whose width is a multiple of 16, in three vector passes
    /// instead of a span call per step: the sum, the centred sum of squares (the same two-pass
    /// variance as the layer norm kernel), then <c>(x − μ) · rstd · γ + β</c>.
    /// </summary>
    private static void LayerNormRow(ReadOnlySpan<float> x, float[]? gamma, float[]? beta, Span<float> y, float eps)
    {
        int n = x.Length, lanes = Vector512<float>.Count;
        var sum = Vector512<float>.Zero;
        for (int i = 0; i < n; i += lanes)
        {
            sum += Vector512.Create<float>(x.Slice(i, lanes));
        }
        float mean = Vector512.Sum(sum) / n;
        var mu = Vector512.Create(mean);
        var squares = Vector512<float>.Zero;
        for (int i = 0; i < n; i += lanes)
        {
            var centred = Vector512.Create<float>(x.Slice(i, lanes)) - mu;
            squares = Vector512.FusedMultiplyAdd(centred, centred, squares);
        }
        var rstd = Vector512.Create(1f / MathF.Sqrt(Vector512.Sum(squares) / n + eps));
        for (int i = 0; i < n; i += lanes)
        {
            var normed = (Vector512.Create<float>(x.Slice(i, lanes)) - mu) * rstd;
            if (gamma is not null)
            {
                normed *= Vector512.Create<float>(gamma.AsSpan(i, lanes));
            }
            if (beta is not null)
            {
                normed += Vector512.Create<float>(beta.AsSpan(i, lanes));
            }
            normed.CopyTo(y.Slice(i, lanes));
        }
    }

    /// <summary>The longest key sequence <see cref="Attention"/> takes.</summary>
    public const int MaxKeyLength = AttentionInferenceKernels.MaxKeyLength;

    private static bool Fits(float[] data, AttentionLayout layout, int batch, int heads, int length, int width)
    {
        long last = layout.Offset + (long)(batch - 1) * layout.BatchStride + (long)(heads - 1) * layout.HeadStride
            + (long)(length - 1) * layout.RowStride + width;
        return layout.Offset >= 0 && layout.BatchStride >= 0 && layout.HeadStride >= 0 && layout.RowStride >= 0 && last <= data.Length;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
