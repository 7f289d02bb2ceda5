namespace Promptor.Genomics.Motifs;

/// <summary>
/// A small built-in set of well-known yeast promoter elements as consensus-derived PWMs (0.91 on the
/// consensus base, 0.03 on each other; <c>N</c> positions uniform), for simulation and tests.
/// </summary>
public static class BuiltInMotifs
{
    /// <summary>STRE, the Msn2/Msn4 stress response element (core <c>AGGGG</c>, extended to 8 bp).</summary>
    public static Motif Stre { get; } = Motif.FromConsensus("STRE", "TAAGGGGA", name: "Msn2/Msn4");

    /// <summary>YRE, the Yap1 oxidative-stress element <c>TTACTAA</c>.</summary>
    public static Motif Yre { get; } = Motif.FromConsensus("YRE", "TTACTAA", name: "Yap1");

    /// <summary>PAC, the polymerase A and C element <c>GCGATGAG</c> (Dot6/Tod6), ribosome biogenesis.</summary>
    public static Motif Pac { get; } = Motif.FromConsensus("PAC", "GCGATGAG", name: "Dot6/Tod6");

    /// <summary>RRPE, the rRNA-processing element <c>AAAAATTTT</c> (Stb3), ribosome biogenesis.</summary>
    public static Motif Rrpe { get; } = Motif.FromConsensus("RRPE", "AAAAATTTT", name: "Stb3");

    /// <summary>HSE, the Hsf1 heat-shock element <c>TTCnnGAAnnTTC</c>.</summary>
    public static Motif Hse { get; } = Motif.FromConsensus("HSE", "TTCNNGAANNTTC", name: "Hsf1");

    /// <summary>GCRE, the Gcn4 amino-acid-starvation element <c>TGACTCA</c>.</summary>
    public static Motif Gcre { get; } = Motif.FromConsensus("GCRE", "TGACTCA", name: "Gcn4");

    /// <summary>MCB, the Mbp1 cell-cycle box <c>ACGCGT</c>.</summary>
    public static Motif Mcb { get; } = Motif.FromConsensus("MCB", "ACGCGT", name: "Mbp1");

    /// <summary>The Reb1 site <c>TTACCCGG</c>.</summary>
    public static Motif Reb1 { get; } = Motif.FromConsensus("REB1", "TTACCCGG", name: "Reb1");

    /// <summary>The Rap1 site <c>ACACCCATACA</c> (ribosomal-protein genes).</summary>
    public static Motif Rap1 { get; } = Motif.FromConsensus("RAP1", "ACACCCATACA", name: "Rap1");

    /// <summary>CDEI, the Cbf1 E-box <c>CACGTG</c>.</summary>
    public static Motif Cdei { get; } = Motif.FromConsensus("CDEI", "CACGTG", name: "Cbf1");

    /// <summary>All built-in motifs: STRE, YRE, PAC, RRPE, HSE, GCRE, MCB, REB1, RAP1, CDEI.</summary>
    public static IReadOnlyList<Motif> All { get; } = [Stre, Yre, Pac, Rrpe, Hse, Gcre, Mcb, Reb1, Rap1, Cdei];

    /// <summary>
    /// <see cref="All"/> with <paramref name="match"/> of the mass on each consensus base instead of 0.91:
    /// sharper (closer to 1) or more degenerate sites. With 0.91 an 8-bp site is sampled with a mismatch
    /// 53 % of the time, and such sites look like chance near-matches in the background.
    /// </summary>
    /// <param name="match">Mass on the consensus bases, in (0.25, 1].</param>
    public static IReadOnlyList<Motif> WithMatch(float match) =>
        All.Select(m => Motif.FromConsensus(m.Id, m.Consensus(), match, m.Name)).ToArray();
}
