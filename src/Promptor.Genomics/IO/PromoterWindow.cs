namespace Promptor.Genomics.IO;

/// <summary>
/// The window taken around each feature's 5' end (the start codon for ORF annotations, the TSS for
/// transcript annotations), on the feature's strand.
/// </summary>
/// <param name="Upstream">Bases 5' of the feature's first base; default 1000.</param>
/// <param name="Downstream">Bases from the feature's first base inward (3'); default 0. With
/// <c>Downstream = 3</c> on an ORF the window ends with its ATG.</param>
public sealed record PromoterWindow(int Upstream = 1000, int Downstream = 0)
{
    /// <summary>The full window length <c>Upstream + Downstream</c>.</summary>
    public int Length => Upstream + Downstream;
}
