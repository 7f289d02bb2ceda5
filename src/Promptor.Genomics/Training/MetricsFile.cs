using System.Globalization;
using System.Text;
using Promptor.Nn.Serialization;

namespace Promptor.Genomics.Training;

/// <summary>
/// The per-epoch metrics tables, written atomically (a reader never sees a torn file, and a failed
/// write leaves the previous file): <c>metrics.tsv</c> with one line per epoch
/// (<c>epoch, step, lr, train_loss, val_loss, val_mean_pearson, val_mean_spearman</c>, for
/// classification also <c>val_mean_auroc, val_mean_aupr</c>, then <c>seconds</c>) and
/// <c>metrics_per_treatment.tsv</c> in long format (<c>epoch, treatment, n, pearson, spearman, r2, auroc, aupr</c>).
/// Numbers use the invariant culture; NaN is written <c>NA</c>.
/// </summary>
public static class MetricsFile
{
    /// <summary>Writes the per-epoch table to <paramref name="path"/>, atomically.</summary>
    /// <param name="path">Destination, usually <c>metrics.tsv</c>.</param>
    /// <param name="records">The epochs so far.</param>
    /// <param name="classification">Add the AUROC and AUPR columns.</param>
    public static void WriteEpochs(string path, IEnumerable<EpochRecord> records, bool classification = false)
    {
        ArgumentNullException.ThrowIfNull(records);
        var sb = new StringBuilder("epoch\tstep\tlr\ttrain_loss\tval_loss\tval_mean_pearson\tval_mean_spearman");
        sb.Append(classification ? "\tval_mean_auroc\tval_mean_aupr\tseconds\n" : "\tseconds\n");
        foreach (var r in records)
        {
            sb.Append(r.Epoch.ToString(CultureInfo.InvariantCulture)).Append('\t')
              .Append(r.Step.ToString(CultureInfo.InvariantCulture)).Append('\t')
              .Append(Number(r.LearningRate)).Append('\t')
              .Append(Number(r.TrainLoss)).Append('\t')
              .Append(Number(r.ValidationLoss)).Append('\t')
              .Append(Number(r.ValidationPearson)).Append('\t')
              .Append(Number(r.ValidationSpearman)).Append('\t');
            if (classification)
            {
                sb.Append(Number(r.ValidationAuroc)).Append('\t').Append(Number(r.ValidationAupr)).Append('\t');
            }
            sb.Append(r.Seconds.ToString("F3", CultureInfo.InvariantCulture)).Append('\n');
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>Writes the per-treatment validation metrics of every epoch to <paramref name="path"/>, atomically.</summary>
    public static void WritePerTreatment(string path, IEnumerable<EpochRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var sb = new StringBuilder("epoch\ttreatment\tn\tpearson\tspearman\tr2\tauroc\taupr\n");
        foreach (var r in records)
        {
            foreach (var m in r.ValidationTreatments)
            {
                sb.Append(r.Epoch.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(m.Treatment).Append('\t')
                  .Append(m.Count.ToString(CultureInfo.InvariantCulture)).Append('\t')
                  .Append(Number(m.Pearson)).Append('\t').Append(Number(m.Spearman)).Append('\t')
                  .Append(Number(m.RSquared)).Append('\t').Append(Number(m.Auroc)).Append('\t')
                  .Append(Number(m.Aupr)).Append('\n');
            }
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>
    /// Reads a per-epoch table back as columns by header name (<c>NA</c> → NaN), e.g. for plotting curves.
    /// </summary>
    /// <exception cref="FormatException">A line has the wrong number of fields or a field is not a number.</exception>
    public static Dictionary<string, double[]> ReadEpochs(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        if (lines.Length == 0)
        {
            throw new FormatException($"'{path}' is empty.");
        }
        var header = lines[0].Split('\t');
        var columns = header.Select(_ => new double[lines.Length - 1]).ToArray();
        for (int i = 1; i < lines.Length; i++)
        {
            var fields = lines[i].Split('\t');
            if (fields.Length != header.Length)
            {
                throw new FormatException($"'{path}' line {i + 1}: {fields.Length} fields, the header has {header.Length}.");
            }
            for (int j = 0; j < fields.Length; j++)
            {
                columns[j][i - 1] = fields[j] == "NA"
                    ? double.NaN
                    : double.TryParse(fields[j], NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                        ? v
                        : throw new FormatException($"'{path}' line {i + 1}, column '{header[j]}': '{fields[j]}' is not a number.");
            }
        }
        return header.Select((h, j) => (h, j)).ToDictionary(p => p.h, p => columns[p.j], StringComparer.Ordinal);
    }

    private static string Number(double value) => double.IsNaN(value) ? "NA" : value.ToString("G9", CultureInfo.InvariantCulture);
}
