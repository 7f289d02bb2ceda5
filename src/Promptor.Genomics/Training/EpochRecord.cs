namespace Promptor.Genomics.Training;

/// <summary>
/// One epoch of training: a row of <c>metrics.tsv</c> plus the per-treatment validation metrics (rows of
/// <c>metrics_per_treatment.tsv</c>). Validation values are NaN when there are no validation genes.
/// </summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Step">Optimizer steps taken by the end of the epoch.</param>
/// <param name="LearningRate">Learning rate of the epoch's last step.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's observed targets (augmented, in training mode).</param>
/// <param name="ValidationLoss">Validation loss (same units as <paramref name="TrainLoss"/>).</param>
/// <param name="ValidationPearson">Mean validation Pearson r over treatments.</param>
/// <param name="ValidationSpearman">Mean validation Spearman ρ over treatments.</param>
/// <param name="ValidationAuroc">Mean validation AUROC (classification; NaN otherwise).</param>
/// <param name="ValidationAupr">Mean validation average precision (classification; NaN otherwise).</param>
/// <param name="Seconds">Wall-clock seconds of the epoch, evaluation included.</param>
/// <param name="Improved">Whether the selection metric improved (this epoch became the best).</param>
/// <param name="ValidationTreatments">Per-treatment validation metrics.</param>
public sealed record EpochRecord(
    int Epoch,
    long Step,
    double LearningRate,
    double TrainLoss,
    double ValidationLoss,
    double ValidationPearson,
    double ValidationSpearman,
    double ValidationAuroc,
    double ValidationAupr,
    double Seconds,
    bool Improved,
    IReadOnlyList<TreatmentMetric> ValidationTreatments);
