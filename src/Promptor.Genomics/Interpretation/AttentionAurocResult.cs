using Promptor.Genomics.Training;

namespace Promptor.Genomics.Interpretation;

/// <summary>Per-treatment attention AUROCs and their mean (see <see cref="AttentionAuroc"/>).</summary>
/// <param name="Rows">One row per treatment of the maps.</param>
public sealed record AttentionAurocResult(IReadOnlyList<AttentionAurocRow> Rows)
{
    /// <summary>Mean AUROC over treatments that have active sites.</summary>
    public double Mean => Metrics.NanMean(Rows.Select(r => r.Auroc));

    /// <summary>Smallest AUROC over treatments that have active sites (NaN when none has).</summary>
    public double Min => Rows.Where(r => !double.IsNaN(r.Auroc)).Select(r => r.Auroc).DefaultIfEmpty(double.NaN).Min();
}
