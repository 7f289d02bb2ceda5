using System.Globalization;
using Promptor.Nn;
using Promptor.Nn.Layers;
using Promptor.Nn.Positional;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Genomics.Models.Gpt;

/// <summary>
/// Masked multi-head self-attention of a GPT block, with TinyGPT's (and nanoGPT's) names and
/// layout: <c>qkv</c> Linear d → 3d whose output splits along features into <c>[q; k; v]</c>,
/// each viewed as <c>(B, T, H, D)</c> (head h = features <c>h·D ..</c>); <c>proj</c> Linear d → d;
/// dropout on the attention weights and on the output. With relative positions a causal per-head
/// <see cref="RelativePositionBias"/> <c>rel</c> adds its logits. Query i sees keys j ≤ i.
/// </summary>
public sealed class CausalSelfAttention : Module
{
    private readonly Generator dropoutGenerator;

    /// <summary>Creates the layer from the model's options, initialised from <paramref name="generator"/>.</summary>
    public CausalSelfAttention(GptOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        options.Validate();
        Heads = options.Heads;
        HeadDim = options.HeadDim;
        AttentionDropout = options.EffectiveAttentionDropout;
        int d = options.ModelDim;
        Qkv = RegisterModule("qkv", new Linear(d, 3 * d, generator));
        Proj = RegisterModule("proj", new Linear(d, d, generator));
        OutputDropout = RegisterModule("drop", new Dropout(options.Dropout, generator));
        if (options.Positions == PositionalEncodingKind.Relative)
        {
            Relative = RegisterModule("rel", new RelativePositionBias(HeadDim, options.EffectiveRelativeMaxDistance, generator, causal: true, heads: Heads));
        }
        dropoutGenerator = new Generator(generator.NextUInt64());
    }

    /// <summary>Heads H.</summary>
    public int Heads { get; }

    /// <summary>Head width D.</summary>
    public int HeadDim { get; }

    /// <summary>Dropout probability on the attention weights in training.</summary>
    public float AttentionDropout { get; }

    /// <summary>The packed projection d → 3d.</summary>
    public Linear Qkv { get; }

    /// <summary>The output projection d → d.</summary>
    public Linear Proj { get; }

    /// <summary>Dropout on the output (and, with probability <see cref="AttentionDropout"/>, on the weights).</summary>
    public Dropout OutputDropout { get; }

    /// <summary>The relative-position bias, or null for absolute positions.</summary>
    public RelativePositionBias? Relative { get; }

    /// <summary>Causal self-attention of <paramref name="input"/> <c>(B, T, d)</c> → <c>(B, T, d)</c>.</summary>
    public Tensor Forward(Tensor input) => Forward(input, needWeights: false).Output;

    /// <summary>
    /// Causal self-attention of <paramref name="input"/> <c>(B, T, d)</c> → <c>(B, T, d)</c>, and
    /// with <paramref name="needWeights"/> the weights <c>(B, H, T, T)</c> (before dropout). Without
    /// weights, dropout on them or a relative bias needing its gradient, the fused causal kernel runs.
    /// </summary>
    public (Tensor Output, Tensor? Weights) Forward(Tensor input, bool needWeights)
    {
        ArgumentNullException.ThrowIfNull(input);
        int d = Heads * HeadDim;
        if (input.Rank != 3 || input.Shape[2] != d)
        {
            throw new ArgumentException($"CausalSelfAttention expects (B, T, {d}), got {input.Shape}.", nameof(input));
        }
        int b = input.Shape[0], t = input.Shape[1];
        bool dropout = IsTraining && AttentionDropout > 0;
        if (!needWeights && Relative is null)
        {
            // Heads read in place from the packed projection and written merged, no split or merge
            // copies: the fused kernel in training, the whole-row kernel without a gradient.
            var merged = Ops.PackedSelfAttention(Qkv.Forward(input), Heads, AttentionMask.CausalMask,
                dropout: dropout ? AttentionDropout : 0f, generator: dropoutGenerator);          // (B, T, d)
            return (OutputDropout.Forward(Proj.Forward(merged)), null);
        }
        var heads = Qkv.Forward(input).Reshape(b, t, 3, Heads, HeadDim).Permute(2, 0, 3, 1, 4); // (3, B, H, T, D)
        var q = heads.Slice(0, 0, 1).Reshape(b, Heads, t, HeadDim);
        var k = heads.Slice(0, 1, 1).Reshape(b, Heads, t, HeadDim);
        var v = heads.Slice(0, 2, 1).Reshape(b, Heads, t, HeadDim);
        var mask = Relative is null ? AttentionMask.CausalMask : Relative.Mask(q, AttentionMask.CausalMask);
        Tensor y;
        Tensor? weights = null;
        if (needWeights)
        {
            (y, weights) = Ops.ScaledDotProductAttentionWithWeights(q, k, v, mask,
                dropout: dropout ? AttentionDropout : 0f, generator: dropoutGenerator);
        }
        else
        {
            // The fused kernel drops the weights itself (mask regenerated in backward, never stored).
            y = Ops.ScaledDotProductAttention(q, k, v, mask,
                dropout: dropout ? AttentionDropout : 0f, generator: dropoutGenerator);  // (B, H, T, D)
        }
        y = y.Permute(0, 2, 1, 3).Reshape(b, t, d);                                     // (B, T, d)
        return (OutputDropout.Forward(Proj.Forward(y)), weights);
    }

    /// <summary>
    /// <c>residual + attention(input)</c>. Without a gradient to record and in evaluation mode the
    /// residual and the projection's bias are folded into the output projection's product (<see
    /// cref="Ops.LinearInference"/>) instead of a separate addition.
    /// </summary>
    internal Tensor ForwardPlusResidual(Tensor input, Tensor residual)
    {
        if (IsTraining || Relative is not null || Tape.NeedsGrad(input, residual, Qkv.Weight, Qkv.Bias, Proj.Weight, Proj.Bias))
        {
            return residual + Forward(input);
        }
        if (input.Rank != 3 || input.Shape[2] != Heads * HeadDim)
        {
            throw new ArgumentException($"CausalSelfAttention expects (B, T, {Heads * HeadDim}), got {input.Shape}.", nameof(input));
        }
        var qkv = Qkv.Forward(input);                                                   // (B, T, 3d)
        var merged = Ops.PackedSelfAttention(qkv, Heads, AttentionMask.CausalMask);     // (B, T, d)
        var output = Ops.LinearInference(merged, Proj.Weight, Proj.Bias, residual);
        Ops.Recycle(qkv, merged);                                                       // local temporaries
        return output;
    }

    /// <summary>
    /// The new tokens <paramref name="input"/> <c>(B, n, d)</c> attend to themselves and to the
    /// cached past of layer <paramref name="layer"/>, whose keys and values are appended. Not recorded.
    /// </summary>
    internal Tensor ForwardIncremental(Tensor input, GptKvCache cache, int layer)
    {
        int b = input.Shape[0], n = input.Shape[1], d = Heads * HeadDim;
        var qkv = Qkv.Forward(input);                                                   // (B, n, 3d)
        var y = new Tensor(new Shape(b, n, d));
        IncrementalAttention.Forward(qkv.Data, cache.KeyBuffer(layer), cache.ValueBuffer(layer), y.Data,
            b, n, Heads, HeadDim, cache.Capacity, cache.Length, 1f / MathF.Sqrt(HeadDim),
            Relative?.Weight.Data, relativePerHead: true, Relative?.MaxDistance ?? 0, Relative?.Scale ?? 0f);
        return OutputDropout.Forward(Proj.Forward(y));
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture,
        $"heads={Heads}, headDim={HeadDim}, attentionDropout={AttentionDropout}");
}
