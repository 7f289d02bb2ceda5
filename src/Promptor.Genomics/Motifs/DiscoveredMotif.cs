namespace Promptor.Genomics.Motifs;

/// <summary>One row of the top-motifs table: a motif discovered under a treatment and its best database match.</summary>
/// <param name="Treatment">The treatment.</param>
/// <param name="Rank">1 for the treatment's largest cluster.</param>
/// <param name="Motif">The PWM (id unique across treatments).</param>
/// <param name="SeqletCount">Number of seqlets behind it.</param>
/// <param name="BestMatch">The database motif with the lowest p-value, or null without a database.</param>
public sealed record DiscoveredMotif(string Treatment, int Rank, Motif Motif, int SeqletCount, MotifMatch? BestMatch)
{
    /// <summary>Its enrichment in the treatment's seqlets over low-importance control windows, or null when there were no control windows.</summary>
    public MotifEnrichment? Enrichment { get; init; }
}
