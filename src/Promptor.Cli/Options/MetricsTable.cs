using System.Globalization;
using Promptor.Genomics.Training;

namespace Promptor.Cli.Options;

/// <summary>Prints per-treatment metrics as the fixed-width table the commands share.</summary>
public static class MetricsTable
{
    /// <summary>Writes a header, one line per treatment (genes, Pearson r, Spearman ρ) and the means.</summary>
    public static void Print(TextWriter writer, TreatmentMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(metrics);
        var c = CultureInfo.InvariantCulture;
        int width = Math.Max("treatment".Length, metrics.Rows.Count == 0 ? 0 : metrics.Rows.Max(r => r.Treatment.Length));
        writer.WriteLine($"{"treatment".PadRight(width)}  {"genes",6}  {"Pearson",7}  {"Spearman",8}");
        foreach (var row in metrics.Rows)
        {
            writer.WriteLine(string.Create(c, $"{row.Treatment.PadRight(width)}  {row.Count,6}  {Format(row.Pearson),7}  {Format(row.Spearman),8}"));
        }
        writer.WriteLine(string.Create(c, $"{"mean".PadRight(width)}  {"",6}  {Format(metrics.MeanPearson),7}  {Format(metrics.MeanSpearman),8}"));
    }

    private static string Format(double value) => double.IsNaN(value) ? "NA" : value.ToString("F3", CultureInfo.InvariantCulture);
}
