namespace Promptor.Genomics.Models.Seq2Seq;

/// <summary>One epoch of <see cref="Seq2SeqTrainer"/>.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainNatsPerToken">Mean training loss over the epoch's target tokens (with dropout).</param>
/// <param name="Validation">Teacher-forced validation metrics, or null without validation data.</param>
/// <param name="LearningRate">Learning rate of the epoch's last step.</param>
/// <param name="Seconds">Wall time of the epoch including validation.</param>
public sealed record Seq2SeqEpoch(int Epoch, double TrainNatsPerToken, Gpt.LanguageModelMetrics? Validation, double LearningRate, double Seconds);
