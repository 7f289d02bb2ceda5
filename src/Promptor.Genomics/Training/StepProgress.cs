namespace Promptor.Genomics.Training;

/// <summary>Progress after one optimizer step (for progress bars).</summary>
/// <param name="Epoch">The current epoch, from 1.</param>
/// <param name="Epochs">Maximum epochs.</param>
/// <param name="Batch">Batches done in this epoch, from 1.</param>
/// <param name="BatchesPerEpoch">Batches per epoch.</param>
/// <param name="Step">Steps done in the whole run.</param>
/// <param name="TotalSteps">Steps of the whole run.</param>
/// <param name="Loss">This batch's loss.</param>
/// <param name="LearningRate">The learning rate of this step.</param>
/// <param name="Elapsed">Time since this session started.</param>
/// <param name="EstimatedRemaining">Estimated time to the last step at this session's pace (evaluation excluded).</param>
/// <param name="IsLogStep">True every <see cref="TrainerOptions.LogInterval"/> steps: plain-text reporters print these.</param>
public sealed record StepProgress(
    int Epoch,
    int Epochs,
    int Batch,
    int BatchesPerEpoch,
    long Step,
    long TotalSteps,
    double Loss,
    double LearningRate,
    TimeSpan Elapsed,
    TimeSpan EstimatedRemaining,
    bool IsLogStep);
