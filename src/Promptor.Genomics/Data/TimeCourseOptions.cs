namespace Promptor.Genomics.Data;

/// <summary>Options of <see cref="TimeCourseImporter"/>; the defaults give the DESIGN.md yeast stress target.</summary>
public sealed record TimeCourseOptions
{
    /// <summary>Intensity floor applied to numerator and reference before the log ratio; default 20 (the array's floor).</summary>
    public float Floor { get; init; } = 20f;

    /// <summary>Genes whose observed values (all samples) are all ≤ this are dropped; default 50.</summary>
    public float MinimumExpression { get; init; } = 50f;
}
