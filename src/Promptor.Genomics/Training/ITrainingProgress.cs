namespace Promptor.Genomics.Training;

/// <summary>
/// Receives progress from <see cref="Trainer"/>, on the training thread. Every method has an empty
/// default, so a reporter implements only what it shows: a terminal front end draws a bar with ETA
/// from <see cref="Step"/>; <see cref="PlainTextProgress"/> prints one line per epoch for logs.
/// Exceptions thrown here stop training.
/// </summary>
public interface ITrainingProgress
{
    /// <summary>Called once before the first step of this session.</summary>
    void Started(TrainingStart start)
    {
    }

    /// <summary>Called after every optimizer step.</summary>
    void Step(StepProgress step)
    {
    }

    /// <summary>Called after every epoch, once the epoch's checkpoints and metrics are on disk.</summary>
    void EpochCompleted(EpochSummary summary)
    {
    }

    /// <summary>Called once when training ends (not when it is cancelled or fails).</summary>
    void Completed(TrainingResult result)
    {
    }
}
