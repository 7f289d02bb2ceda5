namespace Promptor.Genomics.Interpretation;

/// <summary>One treatment's attention AUROC (see <see cref="AttentionAuroc"/>).</summary>
/// <param name="Treatment">The treatment.</param>
/// <param name="Genes">Genes with at least one active site under it (those scored).</param>
/// <param name="Positives">Base pairs inside active sites.</param>
/// <param name="Auroc">AUROC of attention for active-site positions against all others; NaN without sites.</param>
public sealed record AttentionAurocRow(string Treatment, int Genes, long Positives, double Auroc);
