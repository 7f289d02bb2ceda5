namespace Promptor.Genomics.Motifs;

/// <summary>Settings of <see cref="MotifReport"/>.</summary>
public sealed record MotifReportOptions
{
    /// <summary>Motifs kept per treatment, largest clusters first; default 5.</summary>
    public int TopMotifs { get; init; } = 5;

    /// <summary>
    /// How a treatment's clusters are ordered before the top ones are kept; default
    /// <see cref="MotifRanking.Enrichment"/>.
    /// </summary>
    public MotifRanking Ranking { get; init; } = MotifRanking.Enrichment;

    /// <summary>Seqlet extraction; default <see cref="SeqletOptions"/>.</summary>
    public SeqletOptions Seqlets { get; init; } = new();

    /// <summary>Seqlet clustering; default <see cref="SeqletClusteringOptions"/>.</summary>
    public SeqletClusteringOptions Clustering { get; init; } = new();

    /// <summary>Comparison with the database; default <see cref="MotifComparisonOptions"/>.</summary>
    public MotifComparisonOptions Comparison { get; init; } = new();
}
