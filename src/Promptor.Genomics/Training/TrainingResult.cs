namespace Promptor.Genomics.Training;

/// <summary>The outcome of <see cref="Trainer.Fit{TModel}"/>. The model holds the best epoch's weights.</summary>
/// <param name="EpochsCompleted">Epochs trained in total (including those before a resume).</param>
/// <param name="BestEpoch">The epoch with the best validation metric (the last one without validation genes).</param>
/// <param name="SelectionMetric">The metric that chose it.</param>
/// <param name="BestMetric">Its value.</param>
/// <param name="StoppedEarly">Whether patience ran out before the last epoch.</param>
/// <param name="History">One record per epoch.</param>
/// <param name="BestValidation">Per-treatment validation metrics of the best epoch.</param>
/// <param name="Scaler">The target standardisation (identity when off).</param>
/// <param name="OutputDirectory">Where the run was written, or null.</param>
public sealed record TrainingResult(
    int EpochsCompleted,
    int BestEpoch,
    SelectionMetric SelectionMetric,
    double BestMetric,
    bool StoppedEarly,
    IReadOnlyList<EpochRecord> History,
    TreatmentMetrics BestValidation,
    TargetScaler Scaler,
    string? OutputDirectory);
