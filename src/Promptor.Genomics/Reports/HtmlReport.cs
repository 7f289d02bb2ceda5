using System.Globalization;
using Promptor.Genomics.Reports.Svg;
using Promptor.Genomics.Training;
using Promptor.Nn.Serialization;

namespace Promptor.Genomics.Reports;

/// <summary>
/// The run report: one self-contained HTML5 file (inline CSS and SVG; no JavaScript, no external
/// fonts, images or links) built from the files of a run folder (<see cref="ReportFiles"/>). Sections,
/// in order: the run and its data (<c>run.json</c>, <c>summary.md</c>), training curves
/// (<c>metrics.tsv</c>), the per-treatment test metrics, the conditioning ladder, attention
/// meta-profiles per treatment, the top motifs per treatment as sequence logos with their database
/// matches, example genes' attention maps with the sequence beneath, and the list of input files.
/// A section whose file is absent stays in the table of contents and says which file is missing.
/// All text is HTML-escaped; the page prints on A4 without splitting figures or table rows.
/// </summary>
public static class HtmlReport
{
    /// <summary>The sections as (id, heading), in page order.</summary>
    public static IReadOnlyList<(string Id, string Heading)> Sections { get; } =
    [
        ("run", "Run and data"),
        ("training", "Training curves"),
        ("test-metrics", "Test metrics per treatment"),
        ("ladder", "Conditioning ladder"),
        ("meta-profiles", "Attention meta-profiles"),
        ("motifs", "Top motifs per treatment"),
        ("example-genes", "Example genes"),
        ("sources", "Input files"),
    ];

    /// <summary>
    /// Reads <paramref name="runDirectory"/> and writes the report atomically to <paramref name="outputPath"/>
    /// (default <c>report.html</c> in the run folder). Nothing is written when an input is malformed.
    /// </summary>
    /// <returns>The path written.</returns>
    /// <exception cref="DirectoryNotFoundException">The run folder does not exist.</exception>
    /// <exception cref="IO.DataFormatException">An input file is malformed (file, line and field in the message).</exception>
    public static string Write(string runDirectory, string? outputPath = null, HtmlReportOptions? options = null)
    {
        var run = ReportRun.Load(runDirectory);
        string html = Build(run, options);
        string path = outputPath ?? Path.Combine(runDirectory, ReportFiles.DefaultReport);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAllText(path, html);
        return path;
    }

    /// <summary>Builds the HTML text of the report of <paramref name="run"/>.</summary>
    public static string Build(ReportRun run, HtmlReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        options ??= new HtmlReportOptions();
        options.Validate();
        string folderName = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(run.Directory)));
        string title = options.Title ?? $"Promptor report: {folderName}";
        var generated = options.GeneratedUtc ?? DateTimeOffset.UtcNow;

        var w = new HtmlWriter();
        w.Raw("<!DOCTYPE html>\n");
        w.Open("html", ("lang", "en"));
        w.Open("head");
        w.Open("meta", ("charset", "utf-8"));
        w.Open("meta", ("name", "viewport"), ("content", "width=device-width, initial-scale=1"));
        w.Open("meta", ("name", "generator"), ("content", "Promptor " + PromptorVersion.Current));
        w.Element("title", title);
        w.Open("style").Raw(Css).Close("style"); // a constant: raw text, where entities would not be decoded
        w.Close("head");
        w.Open("body");
        w.Open("header");
        w.Element("h1", title);
        w.Element("p", Inv($"Run folder {run.Directory} · written {generated.UtcDateTime:yyyy-MM-dd HH:mm} UTC · Promptor {PromptorVersion.Current}"), ("class", "subtitle"));
        w.Close("header");

        w.Open("nav", ("class", "toc"), ("aria-label", "Contents"));
        w.Element("h2", "Contents");
        w.Open("ol");
        foreach (var (id, heading) in Sections)
        {
            w.Open("li").Element("a", heading, ("href", "#" + id)).Close("li");
        }
        w.Close("ol");
        w.Close("nav");

        w.Open("main");
        RunSection(w, run);
        TrainingSection(w, run);
        TestMetricsSection(w, run);
        LadderSection(w, run);
        MetaProfileSection(w, run);
        MotifSection(w, run);
        ExampleGeneSection(w, run, options);
        SourcesSection(w, run);
        w.Close("main");

        w.Open("footer");
        w.Element("p", Inv($"Written by Promptor {PromptorVersion.Current} on {generated.UtcDateTime:yyyy-MM-dd HH:mm} UTC. Self-contained: all figures are inline SVG; the file needs no network."));
        w.Close("footer");
        w.Close("body");
        w.Close("html");
        return w.ToString();
    }

    private static void BeginSection(HtmlWriter w, string id)
    {
        int index = Sections.Select((s, i) => (s.Id, i)).Single(s => s.Id == id).i;
        w.Open("section", ("id", id), ("class", "report-section"));
        w.Element("h2", Inv($"{index + 1}. {Sections[index].Heading}"));
    }

    private static void Missing(HtmlWriter w, string file, string what) =>
        w.Element("p", $"Not available: the run folder has no {file}, so {what} cannot be shown.", ("class", "missing"));

    private static void RunSection(HtmlWriter w, ReportRun run)
    {
        BeginSection(w, "run");
        var m = run.Manifest;
        if (m is null)
        {
            Missing(w, ReportFiles.RunManifest, "the run's options, seed, data digests and versions");
        }
        else
        {
            var t = m.TrainerOptions;
            var rows = new List<(string, string)>
            {
                ("treatments", Inv($"{m.Treatments.Count}")),
                ("genes (total / train / validation / test)", Inv($"{m.Genes.Total:N0} / {m.Genes.Train:N0} / {m.Genes.Validation:N0} / {m.Genes.Test:N0}")),
                ("model", Inv($"{m.Model.Kind}, {m.ParameterCount:N0} parameters (options hash {m.Model.OptionsHash})")),
                ("status", Inv($"{m.Status}; {m.EpochsCompleted} epochs completed; best epoch {m.BestEpoch} (validation {t.SelectionMetric} = {FormatNumber(m.BestMetric)})")),
                ("training", Inv($"{t.Epochs} epochs max, batch {t.BatchSize}, peak learning rate {t.LearningRate:G3}, weight decay {t.WeightDecay:G3}, patience {t.Patience}; targets standardised: {YesNo(t.StandardizeTargets)}; reverse-complement augmentation: {YesNo(t.ReverseComplementAugmentation)}, averaging: {YesNo(t.ReverseComplementAveraging)}")),
                ("seed", Inv($"{m.Seed}")),
                ("started / updated (UTC)", Inv($"{m.StartedUtc.UtcDateTime:yyyy-MM-dd HH:mm:ss} / {m.UpdatedUtc.UtcDateTime:yyyy-MM-dd HH:mm:ss}")),
                ("versions", $"Promptor {m.PromptorVersion}; {m.DotnetVersion}"),
                ("data digests (SHA-256, first 16 hex digits)", $"sequences {Short(m.Data.Sequences)}, targets {Short(m.Data.Targets)}, mask {Short(m.Data.Mask)}, genes {Short(m.Data.GeneIds)}, treatments {Short(m.Data.Treatments)}, split {Short(m.Data.Split)}"),
            };
            foreach (var file in m.Data.InputFiles)
            {
                rows.Add(("input file", $"{file.Path} (SHA-256 {Short(file.Sha256)})"));
            }
            w.Open("table", ("class", "key-value"));
            w.Element("caption", $"The run as recorded in {ReportFiles.RunManifest}.");
            w.Open("tbody");
            foreach (var (key, value) in rows)
            {
                w.Open("tr").Element("th", key, ("scope", "row")).Element("td", value).Close("tr");
            }
            w.Close("tbody");
            w.Close("table");
            if (m.Model.Options is { } modelOptions)
            {
                w.Element("h3", "Model options");
                w.Open("p", ("class", "options"));
                w.Element("code", string.Join(", ", modelOptions.Select(p => $"{p.Key} = {p.Value?.ToJsonString() ?? "null"}")));
                w.Close("p");
            }
            w.Element("h3", Inv($"Treatments ({m.Treatments.Count})"));
            w.Element("p", string.Join(" · ", m.Treatments), ("class", "treatments"));
        }
        if (run.SummaryLines is { Count: > 0 } lines)
        {
            w.Element("h3", $"Summary ({ReportFiles.Summary})");
            w.Open("ul");
            foreach (var line in lines)
            {
                w.Element("li", line);
            }
            w.Close("ul");
        }
        w.Close("section");
    }

    private static void TrainingSection(HtmlWriter w, ReportRun run)
    {
        BeginSection(w, "training");
        if (run.Epochs is not { } epochs)
        {
            Missing(w, ReportFiles.Metrics, "the training curves");
            w.Close("section");
            return;
        }
        var x = epochs.Values["epoch"];
        int? best = run.Manifest?.BestEpoch is > 0 and var b ? b : null;
        Figure(w, Curves(epochs, x, "Loss per epoch", "loss (training objective)", [("train_loss", "training"), ("val_loss", "validation")], null),
            "Training loss (mean over the epoch's batches) and validation loss per epoch, in the units of the training objective.", "training-curve", epochs, ["train_loss", "val_loss"]);
        Figure(w, Curves(epochs, x, "Validation correlation per epoch", "mean over treatments (unitless)",
                [("val_mean_pearson", "Pearson r"), ("val_mean_spearman", "Spearman ρ"), ("val_mean_auroc", "AUROC"), ("val_mean_aupr", "AUPR")], best),
            "Mean validation Pearson r and Spearman ρ over treatments per epoch (unitless, −1 to 1)" + (best is null ? "." : Inv($"; the dot marks the best epoch ({best}), whose checkpoint is kept.")),
            "training-curve", epochs, ["val_mean_pearson", "val_mean_spearman"]);
        w.Close("section");
    }

    private static LinePlot? Curves(ReportEpochs epochs, double[] x, string title, string yLabel, (string Column, string Label)[] series, int? best)
    {
        var plot = new LinePlot { Title = title, XLabel = "epoch", YLabel = yLabel, Width = 560, Height = 320 };
        foreach (var (column, label) in series)
        {
            if (!epochs.Values.TryGetValue(column, out var y))
            {
                continue;
            }
            var points = Enumerable.Range(0, x.Length).Where(i => double.IsFinite(y[i])).ToArray();
            if (points.Length == 0)
            {
                continue;
            }
            // A single epoch is a point: a one-point line would not show.
            if (points.Length == 1)
            {
                plot.AddPoints(label, [x[points[0]]], [y[points[0]]], radius: 4);
            }
            else
            {
                plot.AddLine(label, points.Select(i => x[i]).ToArray(), points.Select(i => y[i]).ToArray());
            }
            if (best is { } e && column == "val_mean_pearson" && Array.IndexOf(x, e) is var k and >= 0 && double.IsFinite(y[k]))
            {
                plot.AddPoints("best epoch", [x[k]], [y[k]], color: "#000000", radius: 5);
            }
        }
        return plot.SeriesCount == 0 ? null : plot;
    }

    private static void Figure(HtmlWriter w, LinePlot? plot, string caption, string cssClass, ReportEpochs epochs, string[] columns)
    {
        if (plot is null)
        {
            w.Element("p", $"No values in {string.Join(" or ", columns)} of {ReportFiles.Metrics} ({epochs.Count} epochs).", ("class", "missing"));
            return;
        }
        w.Open("figure");
        w.Svg(plot.Render(), cssClass);
        w.Element("figcaption", caption);
        w.Close("figure");
    }

    private static void TestMetricsSection(HtmlWriter w, ReportRun run)
    {
        BeginSection(w, "test-metrics");
        if (run.TestMetrics is not { } table)
        {
            Missing(w, ReportFiles.TestMetrics, "the per-treatment test metrics");
            w.Close("section");
            return;
        }
        // Columns that are NA on every row (AUROC/AUPR of a regression) are left out.
        var shown = Enumerable.Range(0, table.Header.Count)
            .Where(j => j == 0 || table.Rows.Any(r => !IsMissing(r[j])) || (table.Footer is { } f && !IsMissing(f[j])))
            .ToArray();
        Table(w, table, shown, "metrics-table",
            Inv($"Metrics of each of the {table.Rows.Count} treatments on the held-out test genes: genes (n) with a measured value; Pearson r and Spearman ρ between predicted and measured response (unitless, −1 to 1); R² (unitless, 1 = perfect). The last row averages over treatments."),
            highlightColumn: null);
        w.Close("section");
    }

    private static void LadderSection(HtmlWriter w, ReportRun run)
    {
        BeginSection(w, "ladder");
        if (run.Ladder is not { } table)
        {
            Missing(w, ReportFiles.Ladder, "the comparison of conditioning methods");
            w.Close("section");
            return;
        }
        Table(w, table, Enumerable.Range(0, table.Header.Count).ToArray(), "ladder-table",
            Inv($"The {table.Rows.Count} rungs trained on the same split with the same trainer settings: mean test Pearson r and Spearman ρ over treatments (unitless), per-treatment columns as written by the ladder, parameters (count) and training time (seconds). The best mean Pearson r is in bold."),
            highlightColumn: table.Header.Select((h, j) => (h, j)).First(p => p.h.Equals("mean_pearson", StringComparison.OrdinalIgnoreCase)).j);
        w.Close("section");
    }

    private static void Table(HtmlWriter w, ReportTable table, int[] columns, string cssClass, string caption, int? highlightColumn)
    {
        int best = -1;
        if (highlightColumn is int h)
        {
            double bestValue = double.NegativeInfinity;
            for (int i = 0; i < table.Rows.Count; i++)
            {
                if (TryNumber(table.Rows[i][h], out double v) && v > bestValue)
                {
                    (bestValue, best) = (v, i);
                }
            }
        }
        w.Open("table", ("class", cssClass));
        w.Element("caption", caption);
        w.Open("thead").Open("tr");
        foreach (int j in columns)
        {
            w.Element("th", ColumnTitle(table.Header[j]), ("scope", "col"));
        }
        w.Close("tr").Close("thead");
        w.Open("tbody");
        for (int i = 0; i < table.Rows.Count; i++)
        {
            w.Open("tr", ("class", i == best ? "best" : null));
            Cells(w, table.Rows[i], columns, table.Header);
            w.Close("tr");
        }
        w.Close("tbody");
        if (table.Footer is { } footer)
        {
            w.Open("tfoot").Open("tr");
            Cells(w, footer, columns, table.Header);
            w.Close("tr").Close("tfoot");
        }
        w.Close("table");
    }

    private static void Cells(HtmlWriter w, IReadOnlyList<string> row, int[] columns, IReadOnlyList<string> header)
    {
        foreach (int j in columns)
        {
            if (j == 0)
            {
                w.Element("th", row[j], ("scope", "row"));
            }
            else if (TryNumber(row[j], out double v))
            {
                w.Element("td", FormatCell(v, header[j]), ("class", "num"));
            }
            else
            {
                w.Element("td", IsMissing(row[j]) ? "NA" : row[j], ("class", IsMissing(row[j]) ? "num na" : null));
            }
        }
    }

    private static void MetaProfileSection(HtmlWriter w, ReportRun run)
    {
        BeginSection(w, "meta-profiles");
        if (run.MetaProfiles is not { } profiles)
        {
            Missing(w, ReportFiles.MetaProfile, "the attention meta-profiles");
            w.Close("section");
            return;
        }
        w.Element("p", Inv($"Where each treatment's query looks, on average: the cross-attention weights averaged over heads and genes, at base-pair resolution, for {profiles.Count} treatments. The dashed line is the profile's mean (a flat profile would lie on it)."));
        w.Open("div", ("class", "grid"));
        foreach (var profile in profiles)
        {
            double mean = profile.MeanAttention.Average();
            var plot = new LinePlot { Title = profile.Treatment, XLabel = "position (bp)", YLabel = "mean attention", Width = 420, Height = 240, ShowLegend = false }
                .AddLine(profile.Treatment, profile.Positions, profile.MeanAttention, strokeWidth: 1.2)
                .AddLine("mean", [profile.Positions[0], profile.Positions[^1]], [mean, mean], color: "#777777", dashed: true, strokeWidth: 1);
            w.Open("figure", ("class", "meta-profile"));
            w.Svg(plot.Render(), "meta-profile-plot");
            w.Element("figcaption", Inv($"{profile.Treatment}: mean attention weight (fraction of the query's attention per position; unitless) over {profile.Positions.Count} positions."));
            w.Close("figure");
        }
        w.Close("div");
        w.Close("section");
    }

    private static void MotifSection(HtmlWriter w, ReportRun run)
    {
        BeginSection(w, "motifs");
        if (run.TopMotifs is not { } motifs)
        {
            Missing(w, ReportFiles.TopMotifs, "the top motifs per treatment");
            w.Close("section");
            return;
        }
        bool haveMatrices = motifs.All(m => m.Motif is not null);
        if (!haveMatrices)
        {
            Missing(w, ReportFiles.Motifs, "the motifs' sequence logos");
        }
        var treatments = motifs.Select(m => m.Treatment).Distinct(StringComparer.Ordinal).ToArray();
        w.Element("p", Inv($"Motifs extracted from high-attention segments (seqlets) under each of {treatments.Length} treatments, ranked, with the most similar database motif. Logos show information content in bits (0–2 per position); letter heights are the base's share of it."));
        for (int i = 0; i < treatments.Length; i++)
        {
            string t = treatments[i];
            w.Element("h3", t, ("id", Inv($"motifs-{i + 1}")));
            var rows = motifs.Where(m => m.Treatment == t).OrderBy(m => m.Rank).ToArray();
            w.Open("table", ("class", "motif-table"));
            w.Element("caption", Inv($"Top {rows.Length} motif{(rows.Length == 1 ? "" : "s")} under {t}: seqlets = number of aligned segments behind the motif; p and q (unitless) of the best database match, q = false-discovery rate."));
            w.Open("thead").Open("tr");
            foreach (var heading in new[] { "rank", "logo", "motif", "consensus", "seqlets", "best match", "p", "q" })
            {
                w.Element("th", heading, ("scope", "col"));
            }
            w.Close("tr").Close("thead");
            w.Open("tbody");
            foreach (var m in rows)
            {
                w.Open("tr");
                w.Element("td", m.Rank.ToString(CultureInfo.InvariantCulture), ("class", "num"));
                w.Open("td", ("class", "logo"));
                if (m.Motif is { } motif)
                {
                    var logo = new SequenceLogo(motif, run.MotifBackground) { ColumnWidth = 16, Height = 110 };
                    w.Svg(logo.Render(), "sequence-logo");
                }
                else
                {
                    w.Text("—");
                }
                w.Close("td");
                w.Element("td", m.MotifId);
                w.Open("td").Element("code", m.Consensus).Close("td");
                w.Element("td", m.Seqlets.ToString("N0", CultureInfo.InvariantCulture), ("class", "num"));
                w.Element("td", m.BestMatchId is null ? "none" : m.BestMatchName is { Length: > 0 } name && name != m.BestMatchId ? $"{m.BestMatchId} ({name})" : m.BestMatchId);
                w.Element("td", FormatProbability(m.P), ("class", "num"));
                w.Element("td", FormatProbability(m.Q), ("class", "num" + (m.Q < 0.05 ? " significant" : "")));
                w.Close("tr");
            }
            w.Close("tbody");
            w.Close("table");
        }
        w.Close("section");
    }

    private static void ExampleGeneSection(HtmlWriter w, ReportRun run, HtmlReportOptions options)
    {
        BeginSection(w, "example-genes");
        if (run.ExampleGenes is not { } genes)
        {
            Missing(w, ReportFiles.ExampleGenes, "the example genes' attention maps");
            w.Close("section");
            return;
        }
        if (genes.Any(g => g.Sequence is null))
        {
            Missing(w, ReportFiles.ExampleSequences, "the sequences beneath the maps");
        }
        var drawn = genes.Take(options.MaxExampleGenes).ToArray();
        w.Element("p", Inv($"Attention of single genes under each treatment (head-averaged, base-pair resolution), {drawn.Length} of {genes.Count} genes drawn. Beneath each map, its sequence with the {options.MarkedFraction:P0} of positions of highest attention under any treatment highlighted."));
        if (drawn.Length < genes.Count)
        {
            w.Element("p", "Not drawn: " + string.Join(", ", genes.Skip(drawn.Length).Select(g => g.Gene)) + ".");
        }
        for (int i = 0; i < drawn.Length; i++)
        {
            var gene = drawn[i];
            w.Element("h3", gene.Gene, ("id", Inv($"gene-{i + 1}")));
            w.Open("figure", ("class", "example-gene"));
            var map = new ReportAttentionMap(gene);
            w.Svg(map.Render(), "attention-map");
            if (gene.Sequence is { } sequence)
            {
                SequenceBlock(w, sequence, gene, options.MarkedFraction);
            }
            w.Element("figcaption", Inv($"{gene.Gene}: attention weight (unitless) of each treatment's query over the {gene.Length} bp promoter, mean of {map.EffectiveBinSize} bp bins; colour scale from 0 to the largest bin."));
            w.Close("figure");
        }
        w.Close("section");
    }

    /// <summary>The sequence in lines of 60 bases with 1-based start positions, high-attention bases in &lt;mark&gt;.</summary>
    private static void SequenceBlock(HtmlWriter w, string sequence, ReportExampleGene gene, double fraction)
    {
        const int LineLength = 60;
        var score = new double[gene.Length];
        for (int i = 0; i < score.Length; i++)
        {
            score[i] = gene.Attention.Max(r => r[i]);
        }
        int marked = (int)Math.Floor(fraction * score.Length);
        double threshold = marked == 0 ? double.PositiveInfinity : score.OrderByDescending(s => s).ElementAt(marked - 1);
        int width = sequence.Length.ToString(CultureInfo.InvariantCulture).Length;
        w.Open("pre", ("class", "sequence"));
        for (int start = 0; start < sequence.Length; start += LineLength)
        {
            w.Element("span", (start + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width) + " ", ("class", "pos"));
            int end = Math.Min(sequence.Length, start + LineLength);
            int i = start;
            while (i < end)
            {
                bool high = score[i] >= threshold && score[i] > 0;
                int j = i;
                while (j < end && (score[j] >= threshold && score[j] > 0) == high)
                {
                    j++;
                }
                if (high)
                {
                    w.Element("mark", sequence[i..j]);
                }
                else
                {
                    w.Text(sequence[i..j]);
                }
                i = j;
            }
            w.Text("\n");
        }
        w.Close("pre");
    }

    private static void SourcesSection(HtmlWriter w, ReportRun run)
    {
        BeginSection(w, "sources");
        w.Open("table", ("class", "sources-table"));
        w.Element("caption", $"The files this report reads, relative to the run folder; size in bytes.");
        w.Open("thead").Open("tr").Element("th", "file", ("scope", "col")).Element("th", "status", ("scope", "col")).Element("th", "size (bytes)", ("scope", "col")).Close("tr").Close("thead");
        w.Open("tbody");
        foreach (var file in ReportFiles.All)
        {
            bool found = run.FilesFound.Contains(file);
            string full = Path.Combine(run.Directory, file);
            w.Open("tr", ("class", found ? "found" : "absent"));
            w.Open("th", ("scope", "row")).Element("code", file).Close("th");
            w.Element("td", found ? "read" : "absent");
            w.Element("td", found && File.Exists(full) ? new FileInfo(full).Length.ToString("N0", CultureInfo.InvariantCulture) : "—", ("class", "num"));
            w.Close("tr");
        }
        w.Close("tbody");
        w.Close("table");
        w.Close("section");
    }

    private static string ColumnTitle(string column) => column.ToLowerInvariant() switch
    {
        "n" => "genes (n)",
        "pearson" => "Pearson r",
        "spearman" => "Spearman ρ",
        "r2" => "R²",
        "auroc" => "AUROC",
        "aupr" => "AUPR",
        "params" => "parameters",
        "mean_pearson" => "mean Pearson r",
        "mean_spearman" => "mean Spearman ρ",
        "train_seconds" => "training time (s)",
        _ => column.Replace('_', ' '),
    };

    private static string FormatCell(double v, string column)
    {
        if (column.EndsWith("seconds", StringComparison.OrdinalIgnoreCase))
        {
            return v.ToString("N1", CultureInfo.InvariantCulture);
        }
        if (v == Math.Floor(v) && Math.Abs(v) < 1e15)
        {
            return v.ToString("N0", CultureInfo.InvariantCulture);
        }
        if (Math.Abs(v) >= 100)
        {
            return v.ToString("N1", CultureInfo.InvariantCulture);
        }
        return (Math.Round(v, 3) == 0 ? 0 : v).ToString("0.000", CultureInfo.InvariantCulture); // no "-0.000"
    }

    private static string FormatNumber(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "NA";

    private static string FormatProbability(double v) =>
        double.IsNaN(v) ? "NA" : v == 0 ? "0" : v < 0.001 ? v.ToString("0.0e+0", CultureInfo.InvariantCulture) : v.ToString("0.000", CultureInfo.InvariantCulture);

    private static bool TryNumber(string cell, out double value) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static bool IsMissing(string cell) => cell.Trim() is "" or "NA" or "N/A" or "NaN" or "nan" or "null" or "None";

    private static string Short(string digest) => digest.Length > 16 ? digest[..16] : digest;

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private const string Css = """

        :root { color-scheme: light; }
        body { font-family: "Segoe UI", Roboto, "Helvetica Neue", Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif; color: #1f2328; background: #fff; margin: 0 auto; max-width: 1100px; padding: 1.5rem 2rem 3rem; line-height: 1.45; }
        h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
        h2 { font-size: 1.35rem; border-bottom: 1px solid #d0d7de; padding-bottom: .25rem; margin-top: 2.2rem; }
        h3 { font-size: 1.08rem; margin: 1.4rem 0 .5rem; }
        .subtitle { color: #57606a; margin: 0; }
        nav.toc { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: .4rem 1.2rem .6rem; margin: 1.2rem 0; }
        nav.toc h2 { border: none; margin: .4rem 0; font-size: 1.05rem; }
        nav.toc ol { margin: 0; padding-left: 1.4rem; columns: 2; }
        a { color: #0969da; }
        table { border-collapse: collapse; margin: .6rem 0 1.2rem; font-size: .9rem; }
        caption { caption-side: top; text-align: left; color: #57606a; font-size: .85rem; padding-bottom: .35rem; max-width: 60rem; }
        th, td { border-bottom: 1px solid #d8dee4; padding: .25rem .6rem; text-align: left; vertical-align: middle; }
        thead th { border-bottom: 2px solid #8c959f; background: #f6f8fa; }
        tbody th { font-weight: 500; }
        tfoot th, tfoot td { border-top: 2px solid #8c959f; font-weight: 600; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        td.na { color: #8c959f; }
        tr.best th, tr.best td { font-weight: 700; }
        td.significant { color: #116329; font-weight: 600; }
        table.key-value th { width: 16rem; color: #57606a; font-weight: 500; }
        td.logo { padding: .1rem .3rem; }
        figure { margin: .8rem 0 1.4rem; }
        figcaption { color: #57606a; font-size: .85rem; margin-top: .3rem; max-width: 60rem; }
        svg { max-width: 100%; height: auto; display: block; }
        .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: .4rem 1rem; }
        .grid figure { margin: .3rem 0; }
        p.missing { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: .5rem .8rem; }
        p.options code, p.treatments { font-size: .85rem; }
        pre.sequence { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .8rem; line-height: 1.35; background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem .8rem; overflow-x: auto; }
        pre.sequence .pos { color: #8c959f; }
        mark { background: #ffd33d; color: #1f2328; }
        footer { margin-top: 3rem; color: #57606a; font-size: .8rem; border-top: 1px solid #d0d7de; }
        @page { size: A4; margin: 14mm; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10pt; }
          a { color: inherit; text-decoration: none; }
          nav.toc { break-after: page; background: none; }
          h2, h3 { break-after: avoid; }
          figure, tr, pre.sequence, .grid figure { break-inside: avoid; }
          .grid { grid-template-columns: 1fr 1fr; }
          thead { display: table-header-group; }
          mark { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
          svg { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
        }

        """;
}
