using Promptor.Genomics.Training;

namespace Promptor.Genomics.Workflows;

/// <summary>What <see cref="YeastDemo.Run"/> produced.</summary>
/// <param name="Training">The training run (best epoch, history, validation metrics).</param>
/// <param name="Test">Predictions and per-treatment metrics on the held-out test genes.</param>
/// <param name="Elapsed">Wall time of the whole demo.</param>
/// <param name="OutputDirectory">Where everything was written.</param>
public sealed record DemoResult(TrainingResult Training, EvaluationResult Test, TimeSpan Elapsed, string OutputDirectory);
