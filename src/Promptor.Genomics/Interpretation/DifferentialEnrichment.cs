namespace Promptor.Genomics.Interpretation;

/// <summary>Enrichment of motif sites under high-attention positions for one treatment over a gene set.</summary>
/// <param name="Treatment">The treatment.</param>
/// <param name="GeneCount">Genes pooled.</param>
/// <param name="HighInSite">High-attention positions inside a site.</param>
/// <param name="HighOutside">High-attention positions outside sites.</param>
/// <param name="LowInSite">Other positions inside a site.</param>
/// <param name="LowOutside">Other positions outside sites.</param>
/// <param name="OddsRatio">Odds ratio of the 2×2 table (Haldane–Anscombe corrected when a cell is 0).</param>
/// <param name="PValue">One-sided Fisher's exact p-value for enrichment.</param>
/// <param name="MassOnSites">Mean over genes of the attention mass on site positions.</param>
/// <param name="SiteCoverage">Mean over genes of the fraction of positions inside sites (the mass expected from uniform attention).</param>
public sealed record DifferentialEnrichment(string Treatment, int GeneCount, long HighInSite, long HighOutside, long LowInSite, long LowOutside,
    double OddsRatio, double PValue, double MassOnSites, double SiteCoverage)
{
    /// <summary>Attention mass on sites relative to uniform attention (<c>MassOnSites / SiteCoverage</c>; NaN without sites).</summary>
    public double MassEnrichment => SiteCoverage > 0 ? MassOnSites / SiteCoverage : double.NaN;
}
