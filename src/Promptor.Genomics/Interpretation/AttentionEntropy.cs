using Promptor.Tensors;

namespace Promptor.Genomics.Interpretation;

/// <summary>
/// The mean Shannon entropy of attention rows, the penalty that makes attention maps sparser when added
/// to the training loss as <c>λ · MeanRowEntropy(weights)</c> (<see cref="Training.TrainerOptions.AttentionEntropyPenalty"/>).
/// A uniform row over T positions has entropy <c>ln T</c>; a one-hot row has 0.
/// </summary>
public static class AttentionEntropy
{
    /// <summary>
    /// <c>mean over rows of −Σ_j p_j ln p_j</c> for attention <paramref name="weights"/> whose last axis
    /// holds rows summing to 1, e.g. <c>(B, H, nT, T')</c> → scalar, differentiable. Probabilities are
    /// clamped to at least 1e-12 inside the logarithm so zeros contribute 0 and no NaN appears.
    /// </summary>
    public static Tensor MeanRowEntropy(Tensor weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Rank < 1 || weights.Shape[-1] == 0)
        {
            throw new ArgumentException($"Attention weights need a non-empty last axis, got {weights.Shape}.", nameof(weights));
        }
        var plogp = weights * weights.Clamp(1e-12f, 1f).Log();
        return plogp.Sum(-1).Mean().Neg();
    }
}
