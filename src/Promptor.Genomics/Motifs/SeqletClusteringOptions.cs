namespace Promptor.Genomics.Motifs;

/// <summary>Settings of <see cref="SeqletClusterer"/>.</summary>
public sealed record SeqletClusteringOptions
{
    /// <summary>
    /// Largest shift (bp) tried when aligning a seqlet to a cluster, each way; default 3. Must not exceed
    /// the seqlets' flank so that the cluster's core stays covered.
    /// </summary>
    public int MaxShift { get; init; } = 3;

    /// <summary>
    /// A seqlet joins a cluster when the Pearson correlation between its one-hot matrix and the cluster's
    /// PWM over the cluster's core reaches this value at the best shift and strand; default 0.6.
    /// </summary>
    public double MinSimilarity { get; init; } = 0.6;

    /// <summary>Clusters with fewer seqlets are dropped; default 3.</summary>
    public int MinSeqlets { get; init; } = 3;

    /// <summary>Whether seqlets may join in reverse complement; default true.</summary>
    public bool BothStrands { get; init; } = true;

    /// <summary>Pseudocount added to each base count of a PWM column; default 0.25 (one site spread over 4 bases).</summary>
    public float Pseudocount { get; init; } = 0.25f;

    /// <summary>
    /// A cluster's PWM keeps the aligned columns covered by at least this fraction of its seqlets, then
    /// loses flanks below <see cref="TrimInformation"/> bits; default 0.5.
    /// </summary>
    public double MinCoverage { get; init; } = 0.5;

    /// <summary>Flank columns under this information content (bits) are trimmed; default 0.3.</summary>
    public double TrimInformation { get; init; } = 0.3;

    /// <summary>
    /// Two clusters whose trimmed PWMs align (either strand, at least 6 columns or the shorter width) with a
    /// mean column Pearson correlation of at least this are merged — the same motif caught by different
    /// windows; default 0.8. Set above 1 to never merge.
    /// </summary>
    public double MergeSimilarity { get; init; } = 0.8;

    internal void Validate()
    {
        if (MaxShift < 0 || MinSeqlets < 1 || !(MinSimilarity is > -1 and <= 1) || !(Pseudocount > 0 && float.IsFinite(Pseudocount))
            || !(MinCoverage is > 0 and <= 1) || !(TrimInformation is >= 0 and <= 2))
        {
            throw new ArgumentException(
                $"Clustering options need MaxShift ≥ 0, MinSeqlets ≥ 1, MinSimilarity in (-1, 1], Pseudocount > 0, MinCoverage in (0, 1] and TrimInformation in [0, 2]; got {this}.");
        }
    }
}
