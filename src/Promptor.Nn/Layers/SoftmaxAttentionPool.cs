using System.Globalization;
using Promptor.Nn.Attention;
using Promptor.Nn.Init;
using Promptor.Tensors;

namespace Promptor.Nn.Layers;

/// <summary>
/// Enformer's attention pooling (Avsec et al. 2021): a learned, per-channel softmax over each window
/// of <c>p</c> consecutive positions replaces max or average pooling. With x <c>(B, L, C)</c>:
/// <c>logits = x Wᵀ</c> <c>(B, L, C)</c>, viewed as <c>(B, L/p, p, C)</c>; the softmax runs over the
/// p positions of a window <b>separately for every channel</b>; the output is
/// <c>Σ_p x · softmax</c> <c>(B, L/p, C)</c>. L must be a multiple of p (pad or crop first).
/// <para>
/// Parameter <c>to_attn_logits.weight</c> <c>(C, C)</c>, no bias (enformer-pytorch's 1×1 convolution
/// as a Linear). Initialised as in Enformer to <b>2·I</b> (<c>dirac_</c> then ×2): each channel's logit
/// is twice its own value, so the pool starts between average pooling (logits 0) and max pooling
/// (logits → ∞), leaning towards the maximum, and needs no random initialisation.
/// </para>
/// </summary>
public sealed class SoftmaxAttentionPool : Module, IModule
{
    /// <summary>Creates the pool with logits initialised to 2·I.</summary>
    /// <param name="channels">Channels C (≥ 1).</param>
    /// <param name="poolSize">Window length p (≥ 1; default 2, Enformer's).</param>
    public SoftmaxAttentionPool(int channels, int poolSize = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(poolSize, 1);
        PoolSize = poolSize;
        // The Linear's random initialisation is overwritten at once, so any fixed seed will do.
        ToAttentionLogits = RegisterModule("to_attn_logits", new Linear(channels, channels, new Generator(0), bias: false));
        var w = ToAttentionLogits.Weight;
        Initializers.Zeros(w);
        for (int c = 0; c < channels; c++)
        {
            w.Data[c * channels + c] = 2f;
        }
    }

    /// <summary>The per-channel logits, a bias-free <c>Linear(C → C)</c> with weight <c>(C, C)</c>.</summary>
    public Linear ToAttentionLogits { get; }

    /// <summary>Channels C.</summary>
    public int Channels => ToAttentionLogits.InFeatures;

    /// <summary>Window length p.</summary>
    public int PoolSize { get; }

    /// <summary>Pools <paramref name="input"/> <c>(B, L, C)</c> to <c>(B, L/p, C)</c>.</summary>
    public Tensor Forward(Tensor input) => ForwardWithWeights(input).Output;

    /// <summary>
    /// Pools <paramref name="input"/> <c>(B, L, C)</c> and returns the output <c>(B, L/p, C)</c> and the
    /// weights <c>(B, L/p, p, C)</c>, which sum to 1 over the p axis for each window and channel.
    /// </summary>
    /// <exception cref="ArgumentException">The input is not <c>(B, L, C)</c> or L is not a multiple of p.</exception>
    public PooledAttention ForwardWithWeights(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3 || input.Shape[2] != Channels)
        {
            throw new ArgumentException($"{nameof(SoftmaxAttentionPool)} expects (B, L, {Channels}), got {input.Shape}.", nameof(input));
        }
        int batch = input.Shape[0], length = input.Shape[1];
        if (length % PoolSize != 0)
        {
            throw new ArgumentException(
                $"{nameof(SoftmaxAttentionPool)}: length {length} is not a multiple of the pool size {PoolSize}; pad or crop the input first.", nameof(input));
        }
        int windows = length / PoolSize;
        var logits = ToAttentionLogits.Forward(input).Reshape(batch, windows, PoolSize, Channels); // (B, L/p, p, C)
        var weights = logits.Softmax(2);
        var pooled = (input.Reshape(batch, windows, PoolSize, Channels) * weights).Sum(2); // (B, L/p, C)
        return new PooledAttention(pooled, weights);
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"channels={Channels}, pool_size={PoolSize}");
}
