namespace Promptor.Genomics.Examples;

/// <summary>
/// Settings of <see cref="NadarayaWatsonExample"/>; the defaults reproduce d2l's demonstration
/// (§11.2): 50 training points, noise σ 0.5, SGD with learning rate 0.5 for 5 epochs.
/// </summary>
public sealed record NadarayaWatsonExampleOptions
{
    /// <summary>The seed used when none is given (0).</summary>
    public const ulong DefaultSeed = 0;

    /// <summary>Seed of the data, the noise and the initial w (default <see cref="DefaultSeed"/>).</summary>
    public ulong Seed { get; init; } = DefaultSeed;

    /// <summary>Number of training points, x drawn uniformly from [0, 5) and sorted (≥ 2; default 50).</summary>
    public int TrainingCount { get; init; } = 50;

    /// <summary>Standard deviation of the Gaussian noise on the training targets (≥ 0; default 0.5).</summary>
    public double NoiseStd { get; init; } = 0.5;

    /// <summary>Full-batch SGD steps on the leave-one-out loss (≥ 0; default 5).</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>SGD learning rate for w (finite, &gt; 0; default 0.5).</summary>
    public double LearningRate { get; init; } = 0.5;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (the message names it).</exception>
    public void Validate()
    {
        if (TrainingCount < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(TrainingCount), $"{nameof(TrainingCount)} must be at least 2 (leave-one-out needs a second point), got {TrainingCount}.");
        }
        if (!(NoiseStd >= 0) || !double.IsFinite(NoiseStd))
        {
            throw new ArgumentOutOfRangeException(nameof(NoiseStd), $"{nameof(NoiseStd)} must be finite and ≥ 0, got {NoiseStd}.");
        }
        if (Epochs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Epochs), $"{nameof(Epochs)} must be ≥ 0, got {Epochs}.");
        }
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), $"{nameof(LearningRate)} must be finite and > 0, got {LearningRate}.");
        }
    }
}
