using Promptor.Tensors;

namespace Promptor.Genomics.Models;

/// <summary>
/// A model that reads one-hot promoters and predicts a response for every treatment at once.
/// Implemented by <see cref="Nn.Module"/> subclasses, so training code can reach parameters,
/// train/eval mode and state dicts through the module.
/// </summary>
public interface IPromoterModel
{
    /// <summary>Number of treatments T predicted per sequence.</summary>
    int TreatmentCount { get; }

    /// <summary>Outputs per treatment: 1 for regression, the class count for classification.</summary>
    int OutputsPerTreatment { get; }

    /// <summary>
    /// Predicts from one-hot sequences <c>(B, L, 4)</c>: <c>(B, T)</c> for regression, or
    /// <c>(B, T, classes)</c> logits for classification.
    /// </summary>
    Tensor Forward(Tensor sequences);
}
