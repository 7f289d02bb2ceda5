namespace Promptor.Genomics.Training;

/// <summary>
/// The trainer's own progress, saved with the model and optimizer in <c>resume.safetensors</c> at every
/// epoch end. With the per-epoch generators derived from (seed, epoch), this is all a resumed run needs.
/// </summary>
internal sealed record TrainerState
{
    public int EpochsCompleted { get; init; }

    public long Step { get; init; }

    public int BestEpoch { get; init; }

    public double BestMetric { get; init; } = double.NaN;

    public int EpochsWithoutImprovement { get; init; }

    public RunStatus Status { get; init; } = RunStatus.Running;

    public DateTimeOffset StartedUtc { get; init; }

    public IReadOnlyList<EpochRecord> History { get; init; } = [];
}
