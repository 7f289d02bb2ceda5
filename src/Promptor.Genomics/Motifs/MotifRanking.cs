namespace Promptor.Genomics.Motifs;

/// <summary>How <see cref="MotifReport"/> orders a treatment's motifs.</summary>
public enum MotifRanking
{
    /// <summary>
    /// By enrichment in the seqlets over low-importance control windows (<see cref="MotifEnrichment.Z"/>,
    /// largest first; ties by seqlet count): motifs specific to where the importance is come first, clusters
    /// of background-like sequence last.
    /// </summary>
    Enrichment,

    /// <summary>By the number of supporting seqlets, largest first.</summary>
    SeqletCount,
}
