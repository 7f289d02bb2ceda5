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

    /// <summary>
    /// π0, the fraction of a query's database comparisons taken to be true nulls when its q-values are
    /// computed (<see cref="FalseDiscoveryRate.BenjaminiHochberg"/>): a value in (0, 1], or null to estimate
    /// it from the query's p-values against the whole database with Storey's method
    /// (<see cref="FalseDiscoveryRate.StoreyNullFraction"/> at <see cref="StoreyLambda"/>). Default 1, the
    /// conservative Benjamini–Hochberg q-value.
    /// </summary>
    public double? NullFraction { get; init; } = 1;

    /// <summary>The λ of Storey's π0 estimate when <see cref="NullFraction"/> is null; default 0.5.</summary>
    public double StoreyLambda { get; init; } = FalseDiscoveryRate.DefaultLambda;

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
        if (NullFraction is double pi0 && !(pi0 is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(NullFraction), $"NullFraction (π0) must lie in (0, 1], got {pi0}.");
        }
        if (!(StoreyLambda is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(StoreyLambda), $"StoreyLambda must lie in (0, 1), got {StoreyLambda}.");
        }
        if (!Enum.IsDefined(Metric))
        {
            throw new ArgumentOutOfRangeException(nameof(Metric), $"Unknown column metric {Metric}.");
        }
    }
}
