using System.Globalization;
using System.Text;

namespace Promptor.Genomics.Training;

/// <summary>
/// A table of per-treatment metrics (one <see cref="TreatmentMetric"/> per treatment, in the dataset's
/// order) with their means over treatments, NaN entries ignored. Treatments whose Pearson r is
/// undefined are listed in <see cref="Undefined"/> so that callers can report them.
/// </summary>
public sealed class TreatmentMetrics
{
    private readonly TreatmentMetric[] rows;
    private readonly Dictionary<string, TreatmentMetric> byName;

    /// <summary>Wraps per-treatment rows (treatment names must be unique).</summary>
    public TreatmentMetrics(IReadOnlyList<TreatmentMetric> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        this.rows = rows.ToArray();
        byName = new Dictionary<string, TreatmentMetric>(StringComparer.Ordinal);
        foreach (var row in this.rows)
        {
            ArgumentNullException.ThrowIfNull(row);
            if (!byName.TryAdd(row.Treatment, row))
            {
                throw new ArgumentException($"Duplicate treatment '{row.Treatment}'.", nameof(rows));
            }
        }
    }

    /// <summary>The rows, one per treatment.</summary>
    public IReadOnlyList<TreatmentMetric> Rows => rows;

    /// <summary>The row of <paramref name="treatment"/>.</summary>
    /// <exception cref="KeyNotFoundException">Unknown treatment.</exception>
    public TreatmentMetric this[string treatment] => byName.TryGetValue(treatment, out var row)
        ? row
        : throw new KeyNotFoundException($"No metrics for treatment '{treatment}'.");

    /// <summary>Mean Pearson r over treatments (NaN entries ignored).</summary>
    public double MeanPearson => Mean(r => r.Pearson);

    /// <summary>Mean Spearman ρ over treatments (NaN entries ignored).</summary>
    public double MeanSpearman => Mean(r => r.Spearman);

    /// <summary>Mean R² over treatments (NaN entries ignored).</summary>
    public double MeanRSquared => Mean(r => r.RSquared);

    /// <summary>Mean AUROC over treatments (NaN entries ignored).</summary>
    public double MeanAuroc => Mean(r => r.Auroc);

    /// <summary>Mean average precision over treatments (NaN entries ignored).</summary>
    public double MeanAupr => Mean(r => r.Aupr);

    /// <summary>Treatments whose Pearson r is undefined (too few observed genes or constant values).</summary>
    public IReadOnlyList<string> Undefined => rows.Where(r => r.IsUndefined).Select(r => r.Treatment).ToArray();

    /// <summary>The mean of <paramref name="metric"/> over treatments, NaN entries ignored.</summary>
    public double Mean(Func<TreatmentMetric, double> metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return Metrics.NanMean(rows.Select(metric));
    }

    /// <summary>
    /// A tab-separated table: a header (<c>treatment, n, pearson, spearman, r2, auroc, aupr</c>), one
    /// line per treatment and a final <c>mean</c> line; values with 6 significant digits, NaN as <c>NA</c>.
    /// </summary>
    public string ToTsv()
    {
        var sb = new StringBuilder("treatment\tn\tpearson\tspearman\tr2\tauroc\taupr\n");
        foreach (var r in rows)
        {
            sb.Append(r.Treatment).Append('\t').Append(r.Count.ToString(CultureInfo.InvariantCulture))
              .Append('\t').Append(Format(r.Pearson)).Append('\t').Append(Format(r.Spearman))
              .Append('\t').Append(Format(r.RSquared)).Append('\t').Append(Format(r.Auroc))
              .Append('\t').Append(Format(r.Aupr)).Append('\n');
        }
        sb.Append("mean\t").Append(rows.Sum(r => r.Count).ToString(CultureInfo.InvariantCulture))
          .Append('\t').Append(Format(MeanPearson)).Append('\t').Append(Format(MeanSpearman))
          .Append('\t').Append(Format(MeanRSquared)).Append('\t').Append(Format(MeanAuroc))
          .Append('\t').Append(Format(MeanAupr)).Append('\n');
        return sb.ToString();
    }

    /// <summary>Formats a metric for tables: 6 significant digits, invariant culture, NaN as <c>NA</c>.</summary>
    public static string Format(double value) => double.IsNaN(value) ? "NA" : value.ToString("G6", CultureInfo.InvariantCulture);
}
