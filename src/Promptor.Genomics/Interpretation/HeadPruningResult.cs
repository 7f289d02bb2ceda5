using System.Globalization;
using System.Text;

namespace Promptor.Genomics.Interpretation;

/// <summary>The outcome of <see cref="HeadPruning.Curve"/>: the importance before pruning, the curve and the removal order.</summary>
/// <param name="Importance">Importance of the unpruned model.</param>
/// <param name="Steps">The curve, starting with the unpruned model (0 removed).</param>
public sealed record HeadPruningResult(HeadImportanceResult Importance, IReadOnlyList<HeadPruningStep> Steps)
{
    /// <summary>All removed heads, in the order they were removed.</summary>
    public IReadOnlyList<(string Layer, int Head)> Order => Steps.SelectMany(s => s.Heads).ToArray();

    /// <summary>The heads removed by the first step whose fraction reaches <paramref name="fraction"/> (all of the curve when none does).</summary>
    public IReadOnlyList<(string Layer, int Head)> HeadsToRemove(double fraction)
    {
        var removed = new List<(string, int)>();
        foreach (var step in Steps)
        {
            removed.AddRange(step.Heads);
            if (step.Fraction >= fraction - 1e-12)
            {
                break;
            }
        }
        return removed;
    }

    /// <summary>The curve as TSV: removed, fraction, metric, heads (layer:head, comma-separated).</summary>
    public string ToTsv()
    {
        var sb = new StringBuilder("removed\tfraction\tmean_pearson\theads\n");
        foreach (var s in Steps)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{s.Removed}\t{s.Fraction:F4}\t{s.Metric:F6}\t");
            sb.AppendJoin(',', s.Heads.Select(h => $"{h.Layer}:{h.Head}")).Append('\n');
        }
        return sb.ToString();
    }
}
