namespace Promptor.Genomics.Models.Seq2Seq;

/// <summary>What <see cref="Seq2SeqTrainer.Train"/> did.</summary>
/// <param name="History">Every epoch run.</param>
/// <param name="BestEpoch">The epoch with the lowest validation loss (the last one without validation).</param>
/// <param name="BestValidation">That epoch's validation metrics, or null.</param>
/// <param name="StoppedByBudget">True when <see cref="Seq2SeqTrainerOptions.MaxSeconds"/> ended training before the last epoch.</param>
/// <param name="Steps">Optimizer steps taken.</param>
public sealed record Seq2SeqTrainingResult(IReadOnlyList<Seq2SeqEpoch> History, int BestEpoch, Gpt.LanguageModelMetrics? BestValidation, bool StoppedByBudget, long Steps);
