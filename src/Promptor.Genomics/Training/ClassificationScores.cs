namespace Promptor.Genomics.Training;

/// <summary>Predicted class probabilities with the thresholds that define the true classes, for <see cref="Metrics.PerTreatment(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, IReadOnlyList{string}, ClassificationScores?)"/>.</summary>
/// <param name="Probabilities">Row-major <c>(N, T, 3)</c> probabilities in <see cref="ClassLabels"/> order.</param>
/// <param name="DownThreshold">Targets at or below this are "down".</param>
/// <param name="UpThreshold">Targets at or above this are "up".</param>
public sealed record ClassificationScores(float[] Probabilities, float DownThreshold, float UpThreshold);
