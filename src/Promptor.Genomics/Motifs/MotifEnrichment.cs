namespace Promptor.Genomics.Motifs;

/// <summary>The enrichment of a discovered motif in seqlets over low-importance control windows (<see cref="SeqletEnrichment"/>).</summary>
/// <param name="Threshold">The hit threshold: the median best log2-odds score of the motif's own seqlets.</param>
/// <param name="SeqletHits">Seqlets (all of the tracks') scoring at least the threshold.</param>
/// <param name="Seqlets">All seqlets of the tracks.</param>
/// <param name="ControlHits">Control windows scoring at least the threshold.</param>
/// <param name="Controls">Control windows.</param>
public sealed record MotifEnrichment(double Threshold, int SeqletHits, int Seqlets, int ControlHits, int Controls)
{
    /// <summary>Fraction of seqlets that are hits.</summary>
    public double SeqletFraction => Seqlets == 0 ? 0 : (double)SeqletHits / Seqlets;

    /// <summary>Fraction of control windows that are hits.</summary>
    public double ControlFraction => Controls == 0 ? 0 : (double)ControlHits / Controls;

    /// <summary>
    /// The two-proportion z statistic <c>(f_s − f_c) / √(f (1 − f)(1/n_s + 1/n_c))</c> with the pooled hit
    /// fraction <c>f</c>; 0 when either group is empty or every window (or none) is a hit.
    /// </summary>
    public double Z
    {
        get
        {
            if (Seqlets == 0 || Controls == 0)
            {
                return 0;
            }
            double pooled = (double)(SeqletHits + ControlHits) / (Seqlets + Controls);
            double variance = pooled * (1 - pooled) * (1.0 / Seqlets + 1.0 / Controls);
            return variance > 0 ? (SeqletFraction - ControlFraction) / Math.Sqrt(variance) : 0;
        }
    }
}
