using Promptor.Genomics.Training;

namespace Promptor.Genomics.Workflows;

/// <summary>One rung's line of the ladder table.</summary>
/// <param name="Rung">The rung.</param>
/// <param name="Name">Its label in the table, e.g. <c>cross-attention</c>.</param>
/// <param name="Note">What was trained, e.g. the number of separate models or the chosen λ.</param>
/// <param name="Test">Test metrics per treatment (only the treatments the rung predicted).</param>
/// <param name="TrainingTime">Wall time of fitting (data loading and testing excluded).</param>
/// <param name="Parameters">Trainable values (for the k-mer ridge: weights and intercepts).</param>
/// <param name="BestEpoch">The epoch chosen on validation (0 for the ridge; for separate models the median).</param>
public sealed record LadderRow(LadderRung Rung, string Name, string Note, TreatmentMetrics Test, TimeSpan TrainingTime, long Parameters, int BestEpoch)
{
    /// <summary>Mean test Pearson r over the rung's treatments.</summary>
    public double MeanPearson => Test.MeanPearson;

    /// <summary>Mean test Spearman ρ over the rung's treatments.</summary>
    public double MeanSpearman => Test.MeanSpearman;

    /// <summary>Test Pearson r of <paramref name="treatment"/>, or NaN when the rung did not predict it.</summary>
    public double PearsonOf(string treatment) =>
        Test.Rows.FirstOrDefault(r => r.Treatment == treatment)?.Pearson ?? double.NaN;
}
