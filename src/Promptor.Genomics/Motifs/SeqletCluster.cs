namespace Promptor.Genomics.Motifs;

/// <summary>A cluster of aligned seqlets and the PWM they make.</summary>
/// <param name="Motif">The PWM of the aligned seqlets (covered columns, low-information flanks trimmed); its <see cref="Motif.Sites"/> is the number of seqlets.</param>
/// <param name="Members">The seqlets, seed first.</param>
public sealed record SeqletCluster(Motif Motif, IReadOnlyList<AlignedSeqlet> Members)
{
    /// <summary>Number of supporting seqlets.</summary>
    public int SeqletCount => Members.Count;

    /// <summary>Summed importance of the supporting seqlets.</summary>
    public double TotalScore => Members.Sum(m => m.Seqlet.Score);
}
