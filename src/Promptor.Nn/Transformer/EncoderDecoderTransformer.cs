using Promptor.Nn.Attention;
using Promptor.Tensors;

namespace Promptor.Nn.Transformer;

/// <summary>
/// Encoder–decoder transformer (PyTorch's <c>nn.Transformer</c> layout: <c>encoder.layers.N.…</c>,
/// <c>encoder.norm.*</c>, <c>decoder.layers.N.…</c>, <c>decoder.norm.*</c>): the encoder reads the
/// source <c>(B, S, d)</c>, the decoder reads the target <c>(B, T, d)</c> under a causal mask and
/// attends to the encoded source.
/// </summary>
public sealed class EncoderDecoderTransformer : Module
{
    /// <summary>Creates the stacks; both end in a layer norm, as in <c>nn.Transformer</c>.</summary>
    public EncoderDecoderTransformer(TransformerLayerOptions options, int encoderLayers, int decoderLayers, Generator generator)
    {
        Encoder = RegisterModule("encoder", new TransformerEncoder(options, encoderLayers, generator, finalNorm: true));
        Decoder = RegisterModule("decoder", new TransformerDecoder(options, decoderLayers, generator, finalNorm: true));
    }

    /// <summary>The encoder stack.</summary>
    public TransformerEncoder Encoder { get; }

    /// <summary>The decoder stack.</summary>
    public TransformerDecoder Decoder { get; }

    /// <summary>
    /// Encodes <paramref name="source"/> and decodes <paramref name="target"/> against it. The
    /// target is causally masked; <paramref name="sourcePadding"/> <c>(B, S)</c> (non-zero = pad)
    /// hides padded source positions from both encoder and decoder.
    /// </summary>
    public Tensor Forward(Tensor source, Tensor target, Tensor? sourcePadding = null, Tensor? targetPadding = null)
    {
        var sourceMask = sourcePadding is null ? null : new AttentionMask { KeyPadding = sourcePadding };
        var memory = Encoder.Forward(source, sourceMask).Output;
        var targetMask = new AttentionMask { Causal = true, KeyPadding = targetPadding };
        return Decoder.Forward(target, memory, targetMask, sourceMask).Output;
    }
}
