namespace Promptor.Genomics.Motifs;

/// <summary>Settings of <see cref="MotifComparer"/>.</summary>
public sealed record MotifComparisonOptions
{
    /// <summary>Column similarity; default <see cref="ColumnMetric.Pearson"/>.</summary>
    public ColumnMetric Metric { get; init; } = ColumnMetric.Pearson;

    /// <summary>
    /// Minimum number of aligned columns of an alignment; lowered to the shorter motif's width when
    /// that is smaller. Default 5.
    /// </summary>
    public int MinOverlap { get; init; } = 5;

    /// <summary>Whether the reverse complement of each target is tried too; default true.</summary>
    public bool BothStrands { get; init; } = true;

    /// <summary>
    /// Column scores are rescaled to integers <c>0..Bins</c> for the exact null distribution of summed
    /// scores; default 100 (more bins: finer p-values, more work).
    /// </summary>
    public int Bins { get; init; } = 100;

    internal void Validate()
    {
        if (MinOverlap < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinOverlap), $"MinOverlap must be at least 1, got {MinOverlap}.");
        }
        if (Bins is < 10 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(Bins), $"Bins must lie in [10, 10000], got {Bins}.");
        }
        if (!Enum.IsDefined(Metric))
        {
            throw new ArgumentOutOfRangeException(nameof(Metric), $"Unknown column metric {Metric}.");
        }
    }
}
