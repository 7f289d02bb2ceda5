namespace Promptor.Genomics.Training;

/// <summary>Reported after each epoch, once its files are written.</summary>
/// <param name="Record">The epoch's metrics.</param>
/// <param name="Epochs">Maximum epochs.</param>
/// <param name="BestEpoch">The best epoch so far.</param>
/// <param name="BestMetric">The selection metric of the best epoch.</param>
/// <param name="EpochsWithoutImprovement">Epochs since the best one.</param>
/// <param name="StoppingEarly">True when patience ran out and this is the last epoch.</param>
/// <param name="Elapsed">Time since this session started.</param>
/// <param name="EstimatedRemaining">Estimated time for the remaining epochs at this session's pace (if none stop early).</param>
public sealed record EpochSummary(
    EpochRecord Record,
    int Epochs,
    int BestEpoch,
    double BestMetric,
    int EpochsWithoutImprovement,
    bool StoppingEarly,
    TimeSpan Elapsed,
    TimeSpan EstimatedRemaining);
