using Promptor.Tensors.Autograd;
using Promptor.Tensors.Kernels;

namespace Promptor.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Scaled dot-product attention <c>softmax(q kᵀ · scale + mask) v</c> through the fused kernel,
    /// which never stores the <c>Tq × Tk</c> weights (use <see cref="ScaledDotProductAttentionWithWeights"/>
    /// to get them). q is <c>(B, H, Tq, D)</c>, k <c>(B, H, Tk, D)</c>, v <c>(B, H, Tk, Dv)</c>
    /// (rank-3 inputs are single-head); the result is <c>(B, H, Tq, Dv)</c>. <paramref name="scale"/>
    /// defaults to <c>1/√D</c>. A query whose keys are all masked gets a zero output. When the mask's
    /// bias requires grad, the materialised path runs instead so the bias gets its gradient.
    /// With <paramref name="dropout"/> &gt; 0 (default 0) the weights are dropped with that probability
    /// (inverted scaling) inside the kernel, the mask drawn by one step of <paramref name="generator"/>
    /// and regenerated in backward, never stored; pass it only in training.
    /// </summary>
    public static Tensor ScaledDotProductAttention(Tensor q, Tensor k, Tensor v, AttentionMask? mask = null, float? scale = null,
        float dropout = 0f, Generator? generator = null)
    {
        var d = AttentionShape(q, k, v, mask);
        float s = scale ?? 1f / MathF.Sqrt(d.KeyWidth);
        if (mask?.Bias is { RequiresGrad: true } && Tape.IsGradEnabled)
        {
            return ScaledDotProductAttentionWithWeights(q, k, v, mask, scale, dropout, generator).Output;
        }
        var drop = AttentionDropout.Create(dropout, generator);
        var spec = MaskSpec(mask, d);
        if (drop is null && !Tape.NeedsGrad(q, k, v, mask?.Bias) && AttentionInferenceKernels.Supports(d))
        {
            return ScaledDotProductAttentionInference(q, k, v, spec, d, s); // no gradient to record: the whole-row kernel (Ops.Inference.cs)
        }
        var o = new Tensor(new Shape([.. q.Shape.Dims[..^1], d.ValueWidth]));
        var lse = new float[d.Batch * d.Heads * d.QueryLength];
        var ql = AttentionLayout.Contiguous(d.Heads, d.QueryLength, d.KeyWidth);
        var kl = AttentionLayout.Contiguous(d.Heads, d.KeyLength, d.KeyWidth);
        var vl = AttentionLayout.Contiguous(d.Heads, d.KeyLength, d.ValueWidth);
        var ol = AttentionLayout.Contiguous(d.Heads, d.QueryLength, d.ValueWidth);
        AttentionKernels.ForwardStrided(q.Data, ql, k.Data, kl, v.Data, vl, o.Data, ol, lse, d, spec, s, drop);
        return Tape.Record(o, [q, k, v], dO => AttentionKernels.BackwardStrided(q.Data, ql, k.Data, kl, v.Data, vl, o.Data, ol, lse, dO.Data,
            q.RequiresGrad ? q.GradData : null, k.RequiresGrad ? k.GradData : null, v.RequiresGrad ? v.GradData : null, d, spec, s, drop));
    }

    /// <summary>
    /// Scaled dot-product attention built from primitives, returning the output and the weights
    /// <c>(B, H, Tq, Tk)</c> (same layouts as <see cref="ScaledDotProductAttention"/>). With
    /// <paramref name="dropout"/> &gt; 0 and a <paramref name="generator"/>, weights are dropped
    /// (inverted scaling) after the softmax; the returned weights are those before dropout.
    /// </summary>
    public static (Tensor Output, Tensor Weights) ScaledDotProductAttentionWithWeights(Tensor q, Tensor k, Tensor v,
        AttentionMask? mask = null, float? scale = null, float dropout = 0f, Generator? generator = null)
    {
        var d = AttentionShape(q, k, v, mask);
        float s = scale ?? 1f / MathF.Sqrt(d.KeyWidth);
        var scores = MulScalar(MatMul(q, k, transposeB: true), s);
        if (mask?.Bias is { } bias)
        {
            scores = Add(scores, bias);
        }
        if (mask?.KeyPadding is { } padding)
        {
            var padShape = q.Rank == 4 ? new[] { d.Batch, 1, 1, d.KeyLength } : [d.Batch, 1, d.KeyLength];
            scores = MaskedFill(scores, padding.Detach().Reshape(padShape), float.NegativeInfinity);
        }
        if (mask?.Causal == true)
        {
            scores = MaskedFill(scores, CausalBlocked(d.QueryLength, d.KeyLength), float.NegativeInfinity);
        }
        var weights = Softmax(scores, -1);
        var used = weights;
        if (dropout > 0f)
        {
            ArgumentNullException.ThrowIfNull(generator, nameof(generator));
            used = Dropout(weights, dropout, generator, training: true);
        }
        return (MatMul(used, v), weights);
    }

    /// <summary>The <c>(Tq, Tk)</c> 0/1 tensor that is 1 where key j lies after query i.</summary>
    internal static Tensor CausalBlocked(int queryLength, int keyLength)
    {
        var m = new Tensor(new Shape(queryLength, keyLength));
        for (int i = 0; i < queryLength; i++)
        {
            for (int j = i + 1; j < keyLength; j++)
            {
                m.Data[i * keyLength + j] = 1f;
            }
        }
        return m;
    }

    private static AttentionDims AttentionShape(Tensor q, Tensor k, Tensor v, AttentionMask? mask)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        bool ok = q.Rank is 3 or 4 && k.Rank == q.Rank && v.Rank == q.Rank;
        int r = q.Rank;
        ok = ok && q.Shape[0] == k.Shape[0] && k.Shape[0] == v.Shape[0]
            && (r == 3 || (q.Shape[1] == k.Shape[1] && k.Shape[1] == v.Shape[1]))
            && q.Shape[-1] == k.Shape[-1] && k.Shape[-2] == v.Shape[-2];
        if (!ok)
        {
            throw new ArgumentException($"Attention expects q (B, H, Tq, D), k (B, H, Tk, D), v (B, H, Tk, Dv) (or rank 3 without H); got q {q.Shape}, k {k.Shape}, v {v.Shape}.");
        }
        var d = new AttentionDims(q.Shape[0], r == 4 ? q.Shape[1] : 1, q.Shape[-2], k.Shape[-2], q.Shape[-1], v.Shape[-1]);
        if (mask?.KeyPadding is { } pad && (pad.Rank != 2 || pad.Shape[0] != d.Batch || pad.Shape[1] != d.KeyLength))
        {
            throw new ArgumentException($"Key padding mask must be (B, Tk) = ({d.Batch}, {d.KeyLength}), got {pad.Shape}.");
        }
        if (mask?.Bias is { } bias)
        {
            bool fits = bias.Rank >= 2 && bias.Rank <= r && bias.Shape[-2] == d.QueryLength && bias.Shape[-1] == d.KeyLength;
            if (fits)
            {
                try
                {
                    fits = Broadcasting.Shapes(bias.Shape, new Shape([.. q.Shape.Dims[..^2], d.QueryLength, d.KeyLength])).Rank == r;
                }
                catch (ArgumentException)
                {
                    fits = false;
                }
            }
            if (!fits)
            {
                throw new ArgumentException($"Attention bias {bias.Shape} must end in (Tq, Tk) = ({d.QueryLength}, {d.KeyLength}) and broadcast to the batch and head dims of q {q.Shape}.");
            }
        }
        return d;
    }

    private static AttentionMaskSpec MaskSpec(AttentionMask? mask, AttentionDims d)
    {
        if (mask is null)
        {
            return AttentionMaskSpec.None;
        }
        int strideB = 0, strideH = 0;
        if (mask.Bias is { } bias)
        {
            int plane = d.QueryLength * d.KeyLength;
            // Align the bias's leading dims to (B, H) from the right of the leading dims.
            var lead = bias.Shape.Dims[..^2];
            int hDim = lead.Length >= 1 ? lead[^1] : 1;
            int bDim = lead.Length >= 2 ? lead[^2] : 1;
            bool threeD = d.Heads == 1 && lead.Length == 1;
            if (threeD)
            {
                // Rank-3 attention: the single leading dim is the batch.
                strideB = hDim == 1 ? 0 : plane;
            }
            else
            {
                strideH = hDim == 1 ? 0 : plane;
                strideB = bDim == 1 ? 0 : plane * hDim;
            }
        }
        return new AttentionMaskSpec(mask.Causal, mask.KeyPadding?.Data, mask.Bias?.Data, strideB, strideH);
    }
}
