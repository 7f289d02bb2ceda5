using System.Numerics.Tensors;
using Promptor.Tensors.Autograd;
using Promptor.Tensors.Kernels;

namespace Promptor.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Multi-head scaled dot-product attention on batch-first operands whose heads sit side by side
    /// in the features, as a projection produces them: <paramref name="query"/> <c>(B, Tq, H·D)</c>,
    /// <paramref name="key"/> <c>(B, Tk, H·D)</c>, <paramref name="value"/> <c>(B, Tk, H·Dv)</c> →
    /// <c>(B, Tq, H·Dv)</c>, head h using features <c>[h·D, (h+1)·D)</c>. Equal to splitting the heads
    /// into <c>(B, H, T, ·)</c>, calling <see cref="ScaledDotProductAttention"/> and merging them back,
    /// without the split and merge copies: the fused kernel reads and writes the heads in place.
    /// <paramref name="scale"/> defaults to <c>1/√D</c>; the mask and the weights' <paramref name="dropout"/>
    /// (with its <paramref name="generator"/>) are as for <see cref="ScaledDotProductAttention"/>.
    /// </summary>
    public static Tensor MultiHeadScaledDotProductAttention(Tensor query, Tensor key, Tensor value, int heads,
        AttentionMask? mask = null, float? scale = null, float dropout = 0f, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (query.Rank != 3 || key.Rank != 3 || value.Rank != 3 || heads <= 0
            || query.Shape[-1] % heads != 0 || value.Shape[-1] % heads != 0 || query.Shape[-1] != key.Shape[-1]
            || key.Shape[0] != query.Shape[0] || value.Shape[0] != query.Shape[0] || key.Shape[1] != value.Shape[1])
        {
            throw new ArgumentException($"Multi-head attention with {heads} heads expects query (B, Tq, H·D), key (B, Tk, H·D), value (B, Tk, H·Dv) with H = {heads}; got {query.Shape}, {key.Shape}, {value.Shape}.");
        }
        int b = query.Shape[0], tq = query.Shape[1], tk = key.Shape[1];
        int dk = query.Shape[-1] / heads, dv = value.Shape[-1] / heads;
        var dims = new AttentionDims(b, heads, tq, tk, dk, dv);
        return HeadsInterleavedAttention(query, AttentionLayout.Interleaved(0, tq, heads * dk, dk),
            key, AttentionLayout.Interleaved(0, tk, heads * dk, dk),
            value, AttentionLayout.Interleaved(0, tk, heads * dv, dv), dims, mask, scale, dropout, generator);
    }

    /// <summary>
    /// Multi-head self-attention straight from a packed projection <paramref name="packed"/>
    /// <c>(B, T, 3·E)</c> holding <c>[q | k | v]</c> (each <c>(B, T, E)</c>, heads side by side as in
    /// <see cref="MultiHeadScaledDotProductAttention"/>) → <c>(B, T, E)</c>. The three parts are read
    /// in place and their gradients written in place into <paramref name="packed"/>'s gradient, so
    /// neither a chunk nor a head split is copied. Weight dropout as for <see cref="ScaledDotProductAttention"/>.
    /// </summary>
    public static Tensor PackedSelfAttention(Tensor packed, int heads, AttentionMask? mask = null, float? scale = null,
        float dropout = 0f, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(packed);
        if (packed.Rank != 3 || heads <= 0 || packed.Shape[-1] % (3 * heads) != 0)
        {
            throw new ArgumentException($"Packed self-attention with {heads} heads expects (B, T, 3·E) with E divisible by {heads}; got {packed.Shape}.");
        }
        int b = packed.Shape[0], t = packed.Shape[1], e = packed.Shape[-1] / 3, d = e / heads;
        var dims = new AttentionDims(b, heads, t, t, d, d);
        return HeadsInterleavedAttention(packed, AttentionLayout.Interleaved(0, t, 3 * e, d),
            packed, AttentionLayout.Interleaved(e, t, 3 * e, d),
            packed, AttentionLayout.Interleaved(2 * e, t, 3 * e, d), dims, mask, scale, dropout, generator);
    }

    private static Tensor HeadsInterleavedAttention(Tensor q, AttentionLayout ql, Tensor k, AttentionLayout kl, Tensor v, AttentionLayout vl,
        AttentionDims d, AttentionMask? mask, float? scale, float dropout, Generator? generator)
    {
        ValidateMask(mask, d);
        float s = scale ?? 1f / MathF.Sqrt(d.KeyWidth);
        if (mask?.Bias is { RequiresGrad: true } && Tape.IsGradEnabled)
        {
            if (dropout > 0f)
            {
                throw new ArgumentException("Weight dropout with a trainable attention bias needs ScaledDotProductAttentionWithWeights on split heads.");
            }
            return MaterialisedHeadsInterleaved(q, ql, k, kl, v, vl, d, mask, s);
        }
        var drop = AttentionDropout.Create(dropout, generator);
        var spec = MaskSpec(mask, d);
        var o = Tensor.Uninitialized(new Shape(d.Batch, d.QueryLength, d.Heads * d.ValueWidth));
        var ol = AttentionLayout.Interleaved(0, d.QueryLength, d.Heads * d.ValueWidth, d.ValueWidth);
        if (drop is null && !Tape.NeedsGrad(q, k, v, mask?.Bias) && AttentionInferenceKernels.Supports(d))
        {
            // No gradient to record: the whole-row kernel reads the heads in place as well.
            AttentionInferenceKernels.Forward(q.Data, ql, k.Data, kl, v.Data, vl, o.Data, ol, d, spec, s);
            return o;
        }
        var lse = new float[d.Batch * d.Heads * d.QueryLength];
        AttentionKernels.ForwardStrided(q.Data, ql, k.Data, kl, v.Data, vl, o.Data, ol, lse, d, spec, s, drop);
        Tensor?[] inputs = ReferenceEquals(q, k) && ReferenceEquals(k, v) ? [q] : [q, k, v];
        return Tape.Record(o, inputs, dO => AttentionKernels.BackwardStrided(q.Data, ql, k.Data, kl, v.Data, vl, o.Data, ol, lse, dO.Data,
            q.RequiresGrad ? q.GradData : null, k.RequiresGrad ? k.GradData : null, v.RequiresGrad ? v.GradData : null, d, spec, s, drop),
            opName: nameof(MultiHeadScaledDotProductAttention));
    }

    /// <summary>Checks a mask against the sizes of a heads-interleaved call (the heads-major checks of <c>AttentionShape</c>).</summary>
    private static void ValidateMask(AttentionMask? mask, AttentionDims d)
    {
        if (mask?.KeyPadding is { } pad && (pad.Rank != 2 || pad.Shape[0] != d.Batch || pad.Shape[1] != d.KeyLength))
        {
            throw new ArgumentException($"Key padding mask must be (B, Tk) = ({d.Batch}, {d.KeyLength}), got {pad.Shape}.");
        }
        if (mask?.Bias is { } bias)
        {
            bool fits = bias.Rank is >= 2 and <= 4 && bias.Shape[-2] == d.QueryLength && bias.Shape[-1] == d.KeyLength;
            if (fits)
            {
                try
                {
                    fits = Broadcasting.Shapes(bias.Shape, new Shape(d.Batch, d.Heads, d.QueryLength, d.KeyLength)).Rank == 4;
                }
                catch (ArgumentException)
                {
                    fits = false;
                }
            }
            if (!fits)
            {
                throw new ArgumentException($"Attention bias {bias.Shape} must end in (Tq, Tk) = ({d.QueryLength}, {d.KeyLength}) and broadcast to (B, H) = ({d.Batch}, {d.Heads}).");
            }
        }
    }

    /// <summary>The weights-materialising path for a trainable additive bias: split heads, attend, merge.</summary>
    private static Tensor MaterialisedHeadsInterleaved(Tensor q, AttentionLayout ql, Tensor k, AttentionLayout kl, Tensor v, AttentionLayout vl,
        AttentionDims d, AttentionMask mask, float scale)
    {
        Tensor Split(Tensor x, AttentionLayout layout, int length, int width)
        {
            int rowWidth = layout.RowStride;
            var part = rowWidth == d.Heads * width ? x : Slice(x, 2, layout.Offset, d.Heads * width);
            return Permute(Reshape(part, d.Batch, length, d.Heads, width), 0, 2, 1, 3);
        }
        var (o, _) = ScaledDotProductAttentionWithWeights(Split(q, ql, d.QueryLength, d.KeyWidth), Split(k, kl, d.KeyLength, d.KeyWidth),
            Split(v, vl, d.KeyLength, d.ValueWidth), mask, scale);
        return Reshape(Permute(o, 0, 2, 1, 3), d.Batch, d.QueryLength, d.Heads * d.ValueWidth);
    }

    /// <summary>
    /// The affine map <c>y = x·Wᵀ + b</c> of <c>torch.nn.functional.linear</c> as one op: <paramref name="input"/>
    /// <c>(…, in)</c>, <paramref name="weight"/> <c>(out, in)</c>, optional <paramref name="bias"/> <c>(out)</c> →
    /// <c>(…, out)</c>. One output buffer (the bias added to each tile as the product finishes it) and one backward step:
    /// <c>dx = dy·W</c>, <c>dW = dyᵀ·x</c> over all rows, <c>db = Σ dy</c>.
    /// </summary>
    public static Tensor Linear(this Tensor input, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (input.Rank < 1 || weight.Rank != 2 || input.Shape[-1] != weight.Shape[1] || (bias is not null && (bias.Rank != 1 || bias.Size != weight.Shape[0])))
        {
            throw new ArgumentException($"Linear expects input (…, in), weight (out, in) and bias (out); got {input.Shape}, {weight.Shape}{(bias is null ? "" : $", {bias.Shape}")}.");
        }
        int inFeatures = weight.Shape[1], outFeatures = weight.Shape[0];
        int rows = 1;
        foreach (int dim in input.Shape.Dims[..^1])
        {
            rows *= dim;
        }
        var y = Tensor.Uninitialized(new Shape([.. input.Shape.Dims[..^1], outFeatures]));
        // The bias is the product's epilogue: added to each tile of y as it is finished.
        Gemm.MultiplyFused(false, true, rows, outFeatures, inFeatures, input.Data, inFeatures, weight.Data, inFeatures, 0f,
            y.Data.AsSpan(0, rows * outFeatures), outFeatures, bias is null ? default : bias.Data.AsSpan(0, outFeatures), default, LinearActivation.None);
        return Tape.Record(y, [input, weight, bias], dy =>
        {
            if (input.RequiresGrad)
            {
                var (dx, beta) = input.GradForProduct();
                Gemm.Multiply(false, false, rows, inFeatures, outFeatures, 1f, dy.Data, outFeatures, weight.Data, inFeatures, beta, dx, inFeatures);
            }
            if (weight.RequiresGrad)
            {
                var (dw, beta) = weight.GradForProduct();
                Gemm.Multiply(true, false, outFeatures, inFeatures, rows, 1f, dy.Data, outFeatures, input.Data, inFeatures, beta, dw, inFeatures);
            }
            if (bias is { RequiresGrad: true })
            {
                SumRowsInto(dy.Data, rows, outFeatures, bias.GradData);
            }
        });
    }

    /// <summary>Adds the sum of the <paramref name="rows"/> rows of <paramref name="source"/> to <paramref name="target"/>: eight fixed row blocks in parallel, then their partial sums in order.</summary>
    private static void SumRowsInto(float[] source, int rows, int width, float[] target)
    {
        if (rows * (long)width < 1 << 20)
        {
            for (int r = 0; r < rows; r++)
            {
                TensorPrimitives.Add(target, source.AsSpan(r * width, width), target);
            }
            return;
        }
        // A fixed number of row blocks: the order of the sum depends on the shape only, never on
        // the machine's core count or the thread limit.
        const int parts = 8;
        var partial = new float[parts][];
        WorkerTeam.For(parts, Gemm.ThreadsForThisThread, part =>
        {
            var acc = new float[width];
            int start = (int)((long)rows * part / parts), end = (int)((long)rows * (part + 1) / parts);
            for (int r = start; r < end; r++)
            {
                TensorPrimitives.Add(acc, source.AsSpan(r * width, width), acc);
            }
            partial[part] = acc;
        });
        foreach (var acc in partial)
        {
            TensorPrimitives.Add(target, acc, target);
        }
    }
}
