namespace Promptor.Genomics.Models.Seq2Seq;

/// <summary>
/// Fractions of output residues whose strongest cross-attention falls inside their own codon, per
/// decoder layer: for the mean over heads and for each head.
/// </summary>
/// <param name="Residues">Residues scored.</param>
/// <param name="HeadMean">Per layer: fraction for the head-averaged map.</param>
/// <param name="PerHead">Per layer, per head: fraction for that head's map.</param>
public sealed record AlignmentScore(long Residues, IReadOnlyList<double> HeadMean, IReadOnlyList<IReadOnlyList<double>> PerHead)
{
    /// <summary>The best head-averaged layer's fraction.</summary>
    public double BestLayerFraction => HeadMean.Count == 0 ? 0 : HeadMean.Max();

    /// <summary>The best single head's fraction over all layers.</summary>
    public double BestHeadFraction => PerHead.Count == 0 ? 0 : PerHead.Max(l => l.Count == 0 ? 0 : l.Max());
}
