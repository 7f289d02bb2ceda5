using System.Globalization;
using System.Text;
using Promptor.Genomics.Training;

namespace Promptor.Genomics.Workflows;

/// <summary>The comparison table of <see cref="Ladder.Run"/>: one <see cref="LadderRow"/> per rung, in rung order.</summary>
/// <param name="Rows">The rungs' results.</param>
/// <param name="HighlightedTreatments">The treatments with their own column.</param>
/// <param name="Split">The split, e.g. <c>train 4,385 · validation 423 · test 724</c>.</param>
/// <param name="Trainer">The trainer settings shared by the neural rungs.</param>
public sealed record LadderResult(IReadOnlyList<LadderRow> Rows, IReadOnlyList<string> HighlightedTreatments, string Split, TrainerOptions Trainer)
{
    /// <summary>File name of the tab-separated table.</summary>
    public const string TsvFileName = "ladder.tsv";

    /// <summary>File name of the Markdown table.</summary>
    public const string MarkdownFileName = "ladder.md";

    /// <summary>The column headers of the Markdown and text tables.</summary>
    public IReadOnlyList<string> Columns =>
        ["rung", "mean Pearson", "mean Spearman", .. HighlightedTreatments, "training time (s)", "parameters", "best epoch", "note"];

    /// <summary>
    /// The column names of <c>ladder.tsv</c>, in the same order as <see cref="Columns"/> but as
    /// identifiers (<c>mean_pearson</c>, <c>train_seconds</c>, <c>params</c>, …; treatment names as they are),
    /// which the run report reads.
    /// </summary>
    public IReadOnlyList<string> TsvColumns =>
        ["rung", "mean_pearson", "mean_spearman", .. HighlightedTreatments, "train_seconds", "params", "best_epoch", "note"];

    /// <summary>The cells of every row, formatted (3 decimals for metrics, NA for undefined).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cells() => Rows.Select(r => (IReadOnlyList<string>)
        [
            r.Name,
            Metric(r.MeanPearson),
            Metric(r.MeanSpearman),
            .. HighlightedTreatments.Select(t => Metric(r.PearsonOf(t))),
            r.TrainingTime.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
            r.Parameters.ToString(CultureInfo.InvariantCulture),
            r.BestEpoch.ToString(CultureInfo.InvariantCulture),
            r.Note,
        ]).ToArray();

    /// <summary>A tab-separated table with a header line (treatment columns hold test Pearson r).</summary>
    public string ToTsv()
    {
        var sb = new StringBuilder();
        sb.AppendJoin('\t', TsvColumns).Append('\n');
        foreach (var row in Cells())
        {
            sb.AppendJoin('\t', row.Select(c => c.Replace('\t', ' '))).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>A Markdown table preceded by a one-line description of the split and trainer budget.</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture,
            $"Test genes, per-treatment Pearson r (treatment columns) and its mean over treatments; {Split}; up to {Trainer.Epochs} epochs");
        if (Trainer.MaxBatchesPerEpoch is int cap)
        {
            sb.Append(CultureInfo.InvariantCulture, $" of at most {cap} batches");
        }
        sb.Append(CultureInfo.InvariantCulture, $", batch {Trainer.BatchSize}, learning rate {Trainer.LearningRate:G3}, seed {Trainer.Seed}.\n\n");
        sb.Append("| ").AppendJoin(" | ", Columns.Select(Escape)).Append(" |\n");
        sb.Append('|').AppendJoin("", Columns.Select((_, i) => i == 0 || i == Columns.Count - 1 ? "---|" : "---:|")).Append('\n');
        foreach (var row in Cells())
        {
            sb.Append("| ").AppendJoin(" | ", row.Select(Escape)).Append(" |\n");
        }
        return sb.ToString();
    }

    /// <summary>A fixed-width text table for a terminal.</summary>
    public string ToText()
    {
        var cells = Cells();
        var widths = Columns.Select((c, i) => Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> values)
        {
            for (int i = 0; i < values.Count; i++)
            {
                bool left = i == 0 || i == values.Count - 1;
                string cell = left ? values[i].PadRight(widths[i]) : values[i].PadLeft(widths[i]);
                sb.Append(cell);
                if (i < values.Count - 1)
                {
                    sb.Append("  ");
                }
            }
            sb.Append('\n');
        }
        Line(Columns);
        foreach (var row in cells)
        {
            Line(row);
        }
        return sb.ToString();
    }

    private static string Metric(double value) => double.IsNaN(value) ? "NA" : value.ToString("F3", CultureInfo.InvariantCulture);

    private static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);
}
