using System.Globalization;
using Promptor.Nn.Attention;
using Promptor.Tensors;

namespace Promptor.Nn.Layers;

/// <summary>
/// Gated attention pooling of Ilse, Tomczak and Welling (2018, attention-based deep multiple-instance
/// learning): N instances <c>h (B, N, C)</c> become one vector <c>z = Σᵢ aᵢ hᵢ</c> <c>(B, C)</c> with
/// <c>aᵢ = softmaxᵢ(w(tanh(V hᵢ) ⊙ sigmoid(U hᵢ)))</c>. The sigmoid gate lets the score be non-linear
/// where tanh alone is nearly linear around 0.
/// Parameters, each a PyTorch-initialised Linear with bias: <c>attention_V.*</c> <c>(hidden, C)</c>,
/// <c>attention_U.*</c> <c>(hidden, C)</c>, <c>attention_w.*</c> <c>(1, hidden)</c>.
/// </summary>
public sealed class GatedAttentionPool : Module, IModule
{
    /// <summary>Creates the pool and initialises it from <paramref name="generator"/>.</summary>
    /// <param name="channels">Instance width C (≥ 1).</param>
    /// <param name="hiddenFeatures">Width of the attention hidden layer (≥ 1).</param>
    /// <param name="generator">Source of the initial values.</param>
    public GatedAttentionPool(int channels, int hiddenFeatures, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenFeatures, 1);
        ArgumentNullException.ThrowIfNull(generator);
        AttentionV = RegisterModule("attention_V", new Linear(channels, hiddenFeatures, generator));
        AttentionU = RegisterModule("attention_U", new Linear(channels, hiddenFeatures, generator));
        AttentionW = RegisterModule("attention_w", new Linear(hiddenFeatures, 1, generator));
    }

    /// <summary>V: the tanh branch, <c>Linear(C → hidden)</c>.</summary>
    public Linear AttentionV { get; }

    /// <summary>U: the sigmoid gate, <c>Linear(C → hidden)</c>.</summary>
    public Linear AttentionU { get; }

    /// <summary>w: hidden features to one logit per instance, <c>Linear(hidden → 1)</c>.</summary>
    public Linear AttentionW { get; }

    /// <summary>Instance width C.</summary>
    public int Channels => AttentionV.InFeatures;

    /// <summary>Pools <paramref name="input"/> <c>(B, N, C)</c> to <c>(B, C)</c>.</summary>
    public Tensor Forward(Tensor input) => ForwardWithWeights(input).Output;

    /// <summary>Pools <paramref name="input"/> <c>(B, N, C)</c>, returning z <c>(B, C)</c> and the weights a <c>(B, N)</c>.</summary>
    /// <param name="input">The instances <c>(B, N, C)</c>, N ≥ 1.</param>
    /// <param name="keyPaddingMask">
    /// Optional <c>(B, N)</c>; non-zero marks a padded instance, whose logit is replaced by
    /// <see cref="AttentionPooling.MaskValue"/> (weight 0; a bag with every instance padded gets uniform
    /// weights, as in <see cref="AttentionPooling"/>). Default: none.
    /// </param>
    public PooledAttention ForwardWithWeights(Tensor input, Tensor? keyPaddingMask = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3 || input.Shape[2] != Channels || input.Shape[1] < 1)
        {
            throw new ArgumentException($"{nameof(GatedAttentionPool)} expects (B, N ≥ 1, {Channels}), got {input.Shape}.", nameof(input));
        }
        int batch = input.Shape[0], instances = input.Shape[1];
        var gated = AttentionV.Forward(input).Tanh() * AttentionU.Forward(input).Sigmoid(); // (B, N, hidden)
        var logits = AttentionW.Forward(gated).Reshape(batch, instances); // (B, N)
        if (AttentionPooling.KeyMask(batch, instances, null, keyPaddingMask) is { } mask)
        {
            logits = logits.MaskedFill(mask.Reshape(batch, instances), AttentionPooling.MaskValue);
        }
        var weights = logits.Softmax(-1); // (B, N)
        var pooled = weights.Unsqueeze(1).MatMul(input).Reshape(batch, Channels); // (B, 1, N) @ (B, N, C) → (B, C)
        return new PooledAttention(pooled, weights);
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"channels={Channels}, hidden={AttentionV.OutFeatures}");
}
