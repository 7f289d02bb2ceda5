namespace Promptor.Genomics.Models.Gpt;

/// <summary>One epoch of <see cref="LanguageModelTrainer"/>.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainNatsPerToken">Mean training loss over the epoch's tokens (with dropout), nats per token.</param>
/// <param name="Validation">Validation metrics after the epoch, or null without validation data.</param>
/// <param name="LearningRate">Learning rate of the epoch's last step.</param>
/// <param name="Seconds">Wall time of the epoch including validation.</param>
public sealed record LanguageModelEpoch(int Epoch, double TrainNatsPerToken, LanguageModelMetrics? Validation, double LearningRate, double Seconds);
