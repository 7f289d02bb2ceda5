namespace Promptor.Genomics.Interpretation;

/// <summary>Size of <see cref="AttentionAurocCheck"/>; the defaults are the benchmark's (about a minute on 2 cores).</summary>
public sealed record AttentionAurocCheckSettings
{
    /// <summary>Simulated genes (70 % train, 15 % validation, 15 % test). Default 3000.</summary>
    public int Genes { get; init; } = 3000;

    /// <summary>Promoter length in bp. Default 200.</summary>
    public int Length { get; init; } = 200;

    /// <summary>Training epochs. Default 12.</summary>
    public int Epochs { get; init; } = 12;

    /// <summary>Attention entropy penalty λ during training. Default 0.</summary>
    public float EntropyPenalty { get; init; }

    /// <summary>Seed of the simulation, split, initial weights and training. Default 1.</summary>
    public ulong Seed { get; init; } = 1;
}
