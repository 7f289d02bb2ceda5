namespace Promptor.Genomics.Workflows;

/// <summary>
/// A rung of the conditioning ladder of DESIGN.md, from the simplest baseline up to cross-attention in
/// every block. Every rung is trained and tested on the same split by <see cref="Ladder.Run"/>.
/// </summary>
public enum LadderRung
{
    /// <summary>Canonical k-mer counts and ridge regression, λ chosen on validation (the rung below them all).</summary>
    KmerRidge,

    /// <summary>One small single-output CNN per treatment, each trained on its own column only.</summary>
    SeparateModels,

    /// <summary>One CNN with a head per treatment and no treatment input (<see cref="Models.ConditioningMethod.MultiTask"/>).</summary>
    MultiTask,

    /// <summary>Pooled sequence features concatenated with the treatment embedding (<see cref="Models.ConditioningMethod.ConcatMlp"/>).</summary>
    ConcatMlp,

    /// <summary>Feature-wise linear modulation by the treatment embedding (<see cref="Models.ConditioningMethod.Film"/>).</summary>
    Film,

    /// <summary>One multi-head cross-attention layer queried by the treatments (<see cref="Models.ConditioningMethod.CrossAttention"/>, the default model).</summary>
    CrossAttention,

    /// <summary>Treatment tokens cross-attending in every decoder block (<see cref="Models.ConditioningMethod.CrossAttentionEveryBlock"/>).</summary>
    CrossAttentionEveryBlock,
}
