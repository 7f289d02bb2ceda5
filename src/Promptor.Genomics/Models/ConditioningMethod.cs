namespace Promptor.Genomics.Models;

/// <summary>How the treatment enters the model: the rungs of the conditioning ladder.</summary>
public enum ConditioningMethod
{
    /// <summary>No conditioning: pooled sequence features feed one output per treatment (multi-task heads).</summary>
    MultiTask,

    /// <summary>Pooled sequence features concatenated with the treatment embedding, then an MLP (the "primitive network").</summary>
    ConcatMlp,

    /// <summary>The treatment embedding scales and shifts the normalised sequence features (FiLM), then attention-free pooling.</summary>
    Film,

    /// <summary>Treatment embeddings query the encoded positions through one multi-head cross-attention layer (the default).</summary>
    CrossAttention,

    /// <summary>Treatment tokens pass through decoder blocks, cross-attending to the positions in every block.</summary>
    CrossAttentionEveryBlock,
}
