using System.Buffers;
using Promptor.Tensors.Autograd;
using Promptor.Tensors.Kernels;

namespace Promptor.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Inference only: hands the storage of <paramref name="spent"/> back to the engine's buffer
    /// pool, so that later tensors of the same size reuse it. Fresh memory is mapped and zeroed by
    /// the operating system page by page, at about 4,000 page faults per 16 MB, and large tensors
    /// the GC collects come back as fresh memory. Call it only for tensors that your own no-grad
    /// code created and will never read or write again, directly or through a view that shares the
    /// storage (Reshape, Squeeze). Tensors that require a gradient or were recorded on a tape are
    /// left alone.
    /// </summary>
    public static void Recycle(params ReadOnlySpan<Tensor?> spent)
    {
        foreach (var tensor in spent)
        {
            if (tensor is not null && !tensor.RequiresGrad && tensor.IsLeaf)
            {
                TensorStoragePool.Shared.Return(tensor.Data);
            }
        }
    }

    /// <summary>
    /// The linear map of a layer for inference: <c>act(x Wᵀ + bias + residual)</c> with
    /// <paramref name="x"/> <c>(…, I)</c>, <paramref name="weight"/> <c>(O, I)</c> (PyTorch's layout),
    /// optional <paramref name="bias"/> <c>(O)</c>, optional <paramref name="residual"/> <c>(…, O)</c>
    /// and an optional <paramref name="activation"/> (ReLU or exact GELU); the result is <c>(…, O)</c>.
    /// Bias and residual are folded into the matrix product instead of separate passes. It records no
    /// gradient: under gradient recording with an input that requires grad it throws; compose
    /// <see cref="Linear"/>, <see cref="Add"/> and <see cref="Relu"/> or <see cref="Gelu"/> there.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit.</exception>
    /// <exception cref="InvalidOperationException">A gradient would be needed.</exception>
    public static Tensor LinearInference(Tensor x, Tensor weight, Tensor? bias = null, Tensor? residual = null, LinearActivation activation = LinearActivation.None)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 2 || x.Rank < 1 || x.Shape[-1] != weight.Shape[1])
        {
            throw new ArgumentException($"LinearInference expects x (…, I) and weight (O, I), got {x.Shape} and {weight.Shape}.");
        }
        int inFeatures = weight.Shape[1], outFeatures = weight.Shape[0], rows = x.Size / Math.Max(1, inFeatures);
        var shape = new Shape([.. x.Shape.Dims[..^1], outFeatures]);
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != outFeatures))
        {
            throw new ArgumentException($"LinearInference bias must be ({outFeatures}), got {bias.Shape}.", nameof(bias));
        }
        if (residual is not null && residual.Shape != shape)
        {
            throw new ArgumentException($"LinearInference residual must be {shape}, got {residual.Shape}.", nameof(residual));
        }
        RequireInference(nameof(LinearInference), x, weight, bias, residual);
        var y = inFeatures == 0 && bias is null && residual is null ? new Tensor(shape) : Tensor.Uninitialized(shape);
        if (inFeatures == 0)
        {
            // No product: y is the bias and residual alone.
            LinearInferenceKernels.ForwardReference(x.Data, weight.Data, bias?.Data, residual?.Data, y.Data, rows, 0, outFeatures, activation);
            return y;
        }
        LinearInferenceKernels.Forward(x.Data, weight.Data, bias?.Data, residual?.Data, y.Data, rows, inFeatures, outFeatures, activation,
            FrozenWeightScope.Current?.Packed(weight));
        return y;
    }

    /// <summary>
    /// Inference with weights that stay fixed, e.g. while decoding one token at a time: until the
    /// returned scope is disposed, <see cref="LinearInference"/> on this thread packs each weight
    /// matrix for the matrix product once, on first use, and reuses the packed copy. A 16-row product
    /// otherwise spends about half its time packing its weight again. The weights must not change
    /// inside the scope (an optimizer step there would not be seen). A scope opened inside another
    /// does nothing; disposing the outer one frees the packed copies.
    /// </summary>
    public static IDisposable FreezeWeights() => FrozenWeightScope.Open();

    /// <summary>
    /// Multi-head self-attention of <paramref name="x"/> <c>(B, T, E)</c> for inference, up to the
    /// output projection: one <c>(B·T, E) × (E, 3E)</c> product with PyTorch's packed
    /// <paramref name="inProjWeight"/> <c>(3E, E)</c> = [W_q; W_k; W_v] and optional
    /// <paramref name="inProjBias"/> <c>(3E)</c>; then every head h (features
    /// <c>[h·E/H, (h+1)·E/H)</c>) attends with <c>softmax(q kᵀ/√D) v</c>, read in place from the
    /// packed projections, and is multiplied by <paramref name="headGates"/>[h] when given
    /// <c>(H)</c>. Returns the merged heads <c>(B, T, E)</c> (apply the output projection, e.g. with
    /// <see cref="LinearInference"/>). No mask, no dropout, no weights, no gradient (it throws when
    /// one would be needed). Sequences longer than the whole-row kernel takes run the attention step
    /// through <see cref="ScaledDotProductAttention"/> instead.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit.</exception>
    /// <exception cref="InvalidOperationException">A gradient would be needed.</exception>
    public static Tensor SelfAttentionInference(Tensor x, Tensor inProjWeight, Tensor? inProjBias, int heads, Tensor? headGates = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(inProjWeight);
        if (x.Rank != 3 || heads < 1 || x.Shape[2] % heads != 0 || inProjWeight.Rank != 2
            || inProjWeight.Shape[0] != 3 * x.Shape[2] || inProjWeight.Shape[1] != x.Shape[2])
        {
            throw new ArgumentException($"SelfAttentionInference expects x (B, T, E) with E divisible by {heads} heads and in-projection (3E, E), got {x.Shape} and {inProjWeight.Shape}.");
        }
        int batch = x.Shape[0], length = x.Shape[1], e = x.Shape[2], width = e / heads;
        if (inProjBias is not null && (inProjBias.Rank != 1 || inProjBias.Shape[0] != 3 * e))
        {
            throw new ArgumentException($"SelfAttentionInference in-projection bias must be ({3 * e}), got {inProjBias.Shape}.", nameof(inProjBias));
        }
        if (headGates is not null && (headGates.Rank != 1 || headGates.Shape[0] != heads))
        {
            throw new ArgumentException($"SelfAttentionInference head gates must be ({heads}), got {headGates.Shape}.", nameof(headGates));
        }
        RequireInference(nameof(SelfAttentionInference), x, inProjWeight, inProjBias, headGates);
        var d = new AttentionDims(batch, heads, length, length, width, width);
        var output = Tensor.Uninitialized(x.Shape);                          // (B, T, E)
        int rows = batch * length;
        if (rows == 0 || e == 0)
        {
            return output;
        }
        float[] qkv = ArrayPool<float>.Shared.Rent(rows * 3 * e);            // (B, T, 3E)
        try
        {
            LinearInferenceKernels.Forward(x.Data, inProjWeight.Data, inProjBias?.Data, null, qkv, rows, e, 3 * e, LinearActivation.None);
            if (AttentionInferenceKernels.Supports(d))
            {
                AttentionInferenceKernels.Forward(
                    qkv, AttentionLayout.Interleaved(0, length, 3 * e, width),
                    qkv, AttentionLayout.Interleaved(e, length, 3 * e, width),
                    qkv, AttentionLayout.Interleaved(2 * e, length, 3 * e, width),
                    output.Data, AttentionLayout.Interleaved(0, length, e, width), d, AttentionMaskSpec.None,
                    1f / MathF.Sqrt(width), headGates?.Data);
            }
            else
            {
                var packed = new Tensor(new Shape(batch, length, 3 * e), qkv.AsSpan(0, rows * 3 * e).ToArray());
                var parts = packed.Chunk(3, -1);
                Tensor Split(Tensor t) => t.Reshape(batch, length, heads, width).Permute(0, 2, 1, 3); // (B, H, T, D)
                var o = ScaledDotProductAttention(Split(parts[0]), Split(parts[1]), Split(parts[2]));
                if (headGates is not null)
                {
                    o = o * headGates.Reshape(1, heads, 1, 1);
                }
                o.Permute(0, 2, 1, 3).Data.CopyTo(output.Data, 0);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(qkv);
        }
        return output;
    }

    /// <summary>The no-gradient branch of <see cref="ScaledDotProductAttention"/>: the whole-row inference kernel on contiguous (B, H, T, ·) tensors.</summary>
    private static Tensor ScaledDotProductAttentionInference(Tensor q, Tensor k, Tensor v, AttentionMaskSpec mask, AttentionDims d, float scale)
    {
        var o = Tensor.Uninitialized(new Shape([.. q.Shape.Dims[..^1], d.ValueWidth]));
        AttentionInferenceKernels.Forward(
            q.Data, AttentionLayout.Contiguous(d.Heads, d.QueryLength, d.KeyWidth),
            k.Data, AttentionLayout.Contiguous(d.Heads, d.KeyLength, d.KeyWidth),
            v.Data, AttentionLayout.Contiguous(d.Heads, d.KeyLength, d.ValueWidth),
            o.Data, AttentionLayout.Contiguous(d.Heads, d.QueryLength, d.ValueWidth), d, mask, scale);
        return o;
    }

    private static void RequireInference(string op, params ReadOnlySpan<Tensor?> inputs)
    {
        if (Tape.NeedsGrad(inputs))
        {
            throw new InvalidOperationException($"{op} records no gradient, but an input requires grad while recording is on; run it under Tape.NoGrad() or use the differentiable ops.");
        }
    }
}
