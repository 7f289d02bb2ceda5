namespace Promptor.Genomics.Models.Gpt;

/// <summary>How a class label (e.g. promoter vs non-promoter, a treatment) conditions a <see cref="Gpt"/>.</summary>
[Flags]
public enum LabelConditioning
{
    /// <summary>Unconditional language model.</summary>
    None = 0,

    /// <summary>
    /// The label's embedding is added to the first token's embedding (position 0, normally a begin
    /// token), which makes it a label-specific prefix token without lengthening the sequence.
    /// </summary>
    Prefix = 1,

    /// <summary>Every block gets a cross-attention sublayer over a small context of label embeddings.</summary>
    CrossAttention = 2,

    /// <summary>Both <see cref="Prefix"/> and <see cref="CrossAttention"/>.</summary>
    PrefixAndCrossAttention = Prefix | CrossAttention,
}
