using Promptor.Tensors;

namespace Promptor.Genomics.Training;

/// <summary>The outcome of <see cref="Evaluation.Evaluate{TModel}"/> on some genes of a dataset.</summary>
/// <param name="Indices">The evaluated dataset rows, in order.</param>
/// <param name="GeneIds">Their gene ids.</param>
/// <param name="Treatments">The T treatment names.</param>
/// <param name="Predictions">
/// <c>(n, T)</c> in the targets' original units (standardisation undone); for classification the
/// score P(up) − P(down).
/// </param>
/// <param name="Probabilities">Classification only: class probabilities <c>(n, T, 3)</c> (down, unchanged, up); null for regression.</param>
/// <param name="Metrics">Per-treatment metrics over the observed targets.</param>
/// <param name="Loss">The training loss on these genes (masked MSE on standardised targets, or cross-entropy); NaN with no observed target.</param>
public sealed record EvaluationResult(
    int[] Indices,
    IReadOnlyList<string> GeneIds,
    IReadOnlyList<string> Treatments,
    Tensor Predictions,
    Tensor? Probabilities,
    TreatmentMetrics Metrics,
    double Loss);
