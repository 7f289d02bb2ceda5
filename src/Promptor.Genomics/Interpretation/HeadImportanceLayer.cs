using Promptor.Nn.Attention;

namespace Promptor.Genomics.Interpretation;

/// <summary>One multi-head attention layer of a model, whose <see cref="MultiHeadAttention.HeadGates"/> are the gates ξ.</summary>
/// <param name="Name">The layer's dotted module name, e.g. <c>cross</c> or <c>encoder.layers.0.self_attn</c>.</param>
/// <param name="Attention">The layer.</param>
/// <param name="TreatmentSide">True for layers after the promoter encoding (the treatment cross-attention and decoder), whose importance can be split by treatment.</param>
public sealed record HeadImportanceLayer(string Name, MultiHeadAttention Attention, bool TreatmentSide)
{
    /// <summary>Number of heads H.</summary>
    public int Heads => Attention.Options.Heads;
}
