using Promptor.Genomics.Simulation;
using Promptor.Genomics.Training;

namespace Promptor.Genomics.Interpretation;

/// <summary>
/// How well attention finds the sites that act, on simulated data with known ground truth: per treatment,
/// the AUROC of the head-averaged base-pair attention under that treatment for separating the positions
/// of planted sites whose motif is active under it (<see cref="SimulatedData.ActiveSites"/>) from all
/// other positions, pooled over the genes that carry at least one such site. Sites of motifs inactive
/// under the treatment count as negatives, so attention that marks every motif scores lower than
/// attention that marks the right ones.
/// </summary>
public static class AttentionAuroc
{
    /// <summary>Computes the per-treatment and mean AUROC of <paramref name="maps"/> against <paramref name="activeSites"/>.</summary>
    /// <param name="maps">Maps of (some of) the simulated genes; every treatment of the maps is scored.</param>
    /// <param name="activeSites">The simulation's ground truth (gene id, treatment, start, end).</param>
    public static AttentionAurocResult Compute(AttentionMapSet maps, IEnumerable<ActiveSite> activeSites)
    {
        ArgumentNullException.ThrowIfNull(maps);
        ArgumentNullException.ThrowIfNull(activeSites);
        var geneIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int g = 0; g < maps.Genes.Count; g++)
        {
            geneIndex[maps.Genes[g]] = g;
        }
        var byTreatment = activeSites.Where(s => geneIndex.ContainsKey(s.GeneId)).GroupBy(s => s.Treatment, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var rows = new List<AttentionAurocRow>();
        int l = maps.Length;
        for (int t = 0; t < maps.Treatments.Count; t++)
        {
            if (!byTreatment.TryGetValue(maps.Treatments[t], out var sites))
            {
                rows.Add(new AttentionAurocRow(maps.Treatments[t], 0, 0, double.NaN));
                continue;
            }
            var genes = sites.GroupBy(s => geneIndex[s.GeneId]).ToList();
            var scores = new double[genes.Count * l];
            var labels = new bool[genes.Count * l];
            for (int i = 0; i < genes.Count; i++)
            {
                var map = maps.Map(genes[i].Key, t);
                for (int p = 0; p < l; p++)
                {
                    scores[i * l + p] = map[p];
                }
                foreach (var s in genes[i])
                {
                    for (int p = Math.Max(0, s.Start); p < Math.Min(l, s.End); p++)
                    {
                        labels[i * l + p] = true;
                    }
                }
            }
            rows.Add(new AttentionAurocRow(maps.Treatments[t], genes.Count, labels.Count(b => b), Metrics.Auroc(scores, labels)));
        }
        return new AttentionAurocResult(rows);
    }
}
