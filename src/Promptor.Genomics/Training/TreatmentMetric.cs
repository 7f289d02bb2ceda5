namespace Promptor.Genomics.Training;

/// <summary>The metrics of one treatment over its observed genes; NaN where undefined.</summary>
/// <param name="Treatment">The treatment name.</param>
/// <param name="Count">Observed genes the metrics were computed on.</param>
/// <param name="Pearson">Pearson's r of prediction and target.</param>
/// <param name="Spearman">Spearman's ρ (average ranks for ties).</param>
/// <param name="RSquared">R² of the prediction (regression only; NaN for classification).</param>
/// <param name="Auroc">Mean one-vs-rest AUROC of the down and up classes (classification only).</param>
/// <param name="Aupr">Mean one-vs-rest average precision of the down and up classes (classification only).</param>
public sealed record TreatmentMetric(string Treatment, int Count, double Pearson, double Spearman, double RSquared, double Auroc, double Aupr)
{
    /// <summary>True when Pearson's r is undefined (fewer than <see cref="Metrics.MinimumCount"/> genes, or constant values).</summary>
    public bool IsUndefined => double.IsNaN(Pearson);
}
