namespace Promptor.Genomics.Models.Gpt;

/// <summary>What <see cref="LanguageModelTrainer"/>'s <c>Train</c> did.</summary>
/// <param name="History">Every epoch run.</param>
/// <param name="BestEpoch">The epoch with the lowest validation loss (the last epoch without validation; 0 if none ran).</param>
/// <param name="BestValidation">That epoch's validation metrics, or null.</param>
/// <param name="StoppedEarly">True when patience or the time budget ended training before the last epoch.</param>
public sealed record LanguageModelTrainingResult(IReadOnlyList<LanguageModelEpoch> History, int BestEpoch, LanguageModelMetrics? BestValidation, bool StoppedEarly);
