using System.Globalization;
using System.Text.Json;
using Promptor.Genomics.Data;
using Promptor.Genomics.IO;
using Promptor.Genomics.Motifs;
using Promptor.Genomics.Training;

namespace Promptor.Genomics.Reports;

/// <summary>
/// Reads and checks the report's inputs (<see cref="ReportFiles"/>). Every malformed file raises a
/// <see cref="DataFormatException"/> naming the file, the line and the field.
/// </summary>
internal static class ReportReader
{
    private static readonly HashSet<string> s_missing = new(StringComparer.OrdinalIgnoreCase) { "", "NA", "N/A", "NaN", "null", "None" };

    public static ReportRun Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory}: no such folder");
        }
        string P(string relative) => Path.Combine(directory, relative);
        bool Has(string relative) => File.Exists(P(relative));
        var found = ReportFiles.All.Where(Has).ToArray();
        if (found.Length == 0)
        {
            throw new DataFormatException(directory, 0,
                $"holds none of the report's files ({string.Join(", ", ReportFiles.All)}); is it a run folder?", "run folder");
        }

        MemeFile? meme = Has(ReportFiles.Motifs) ? MemeReader.Read(P(ReportFiles.Motifs)) : null;
        var sequences = Has(ReportFiles.ExampleSequences)
            ? FastaReader.Read(P(ReportFiles.ExampleSequences)).ToDictionary(r => r.Id, r => r.Sequence, StringComparer.Ordinal)
            : null;
        return new ReportRun
        {
            Directory = directory,
            Manifest = Has(ReportFiles.RunManifest) ? ReadManifest(P(ReportFiles.RunManifest)) : null,
            SummaryLines = Has(ReportFiles.Summary) ? ReadSummary(P(ReportFiles.Summary)) : null,
            Epochs = Has(ReportFiles.Metrics) ? ReadEpochs(P(ReportFiles.Metrics)) : null,
            TestMetrics = Has(ReportFiles.TestMetrics) ? ReadTestMetrics(P(ReportFiles.TestMetrics)) : null,
            Ladder = Has(ReportFiles.Ladder) ? ReadLadder(P(ReportFiles.Ladder)) : null,
            MetaProfiles = Has(ReportFiles.MetaProfile) ? ReadMetaProfiles(P(ReportFiles.MetaProfile)) : null,
            ExampleGenes = Has(ReportFiles.ExampleGenes) ? ReadExampleGenes(P(ReportFiles.ExampleGenes), sequences, P(ReportFiles.ExampleSequences)) : null,
            TopMotifs = Has(ReportFiles.TopMotifs) ? ReadTopMotifs(P(ReportFiles.TopMotifs), meme, P(ReportFiles.Motifs)) : null,
            MotifBackground = meme?.Background ?? [0.25f, 0.25f, 0.25f, 0.25f],
            FilesFound = found,
        };
    }

    /// <summary>Reads <c>run.json</c>; JSON errors become one-line errors with the line and the JSON path.</summary>
    public static RunManifest ReadManifest(string path)
    {
        try
        {
            return RunManifest.Load(path);
        }
        catch (JsonException ex)
        {
            int line = ex.LineNumber is long l ? (int)l + 1 : 0;
            string field = string.IsNullOrEmpty(ex.Path) ? "run.json" : ex.Path;
            string detail = ex.Message.Split(" Path:", 2)[0].Split(". LineNumber", 2)[0].TrimEnd('.');
            throw new DataFormatException(path, line, $"not a valid run manifest at '{field}': {detail}", field, ex);
        }
    }

    /// <summary>The Markdown bullet lines of <c>summary.md</c>, without their "- ".</summary>
    public static IReadOnlyList<string> ReadSummary(string path) =>
        File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.StartsWith("- ", StringComparison.Ordinal)).Select(l => l[2..].Trim()).ToArray();

    /// <summary>Reads <c>metrics.tsv</c>: an <c>epoch</c> column and numeric (or NA) columns.</summary>
    public static ReportEpochs ReadEpochs(string path)
    {
        using var file = DelimitedFile.Open(path, '\t');
        file.EnsureUniqueNames(Enumerable.Range(0, file.Header.Length));
        int epoch = file.RequireColumn("epoch", "epoch");
        var columns = file.Header.Select(_ => new List<double>()).ToArray();
        while (file.NextRow() is { } row)
        {
            for (int j = 0; j < row.Count; j++)
            {
                double v = Number(file, row[j], file.Header[j], allowMissing: j != epoch);
                columns[j].Add(v);
            }
        }
        if (columns[epoch].Count == 0)
        {
            throw new DataFormatException(path, file.HeaderLine, "no epochs below the header", "epoch");
        }
        return new ReportEpochs(file.Header, file.Header.Select((h, j) => (h, j)).ToDictionary(p => p.h, p => columns[p.j].ToArray(), StringComparer.Ordinal));
    }

    /// <summary>Reads <c>test_metrics.tsv</c>: <c>treatment</c>, then numeric columns; a <c>mean</c> line becomes the footer.</summary>
    public static ReportTable ReadTestMetrics(string path)
    {
        using var file = DelimitedFile.Open(path, '\t');
        file.EnsureUniqueNames(Enumerable.Range(0, file.Header.Length));
        int treatment = file.RequireColumn("treatment", "treatment");
        file.RequireColumn("pearson", "Pearson r");
        var rows = new List<IReadOnlyList<string>>();
        IReadOnlyList<string>? footer = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (file.NextRow() is { } row)
        {
            var cells = row.Select(c => c.Trim()).ToArray();
            for (int j = 0; j < cells.Length; j++)
            {
                if (j != treatment)
                {
                    Number(file, cells[j], file.Header[j], allowMissing: true);
                }
            }
            if (cells[treatment].Length == 0)
            {
                throw new DataFormatException(path, file.LineNumber, "empty treatment name", file.Header[treatment]);
            }
            if (cells[treatment] == "mean")
            {
                footer = cells;
            }
            else if (!seen.Add(cells[treatment]))
            {
                throw new DataFormatException(path, file.LineNumber, $"treatment '{cells[treatment]}' appears twice", file.Header[treatment]);
            }
            else
            {
                rows.Add(cells);
            }
        }
        return new ReportTable(file.Header, rows, footer);
    }

    /// <summary>Reads <c>ladder.tsv</c>: <c>rung</c> and <c>mean_pearson</c> required; the documented numeric columns checked.</summary>
    public static ReportTable ReadLadder(string path)
    {
        using var file = DelimitedFile.Open(path, '\t');
        file.EnsureUniqueNames(Enumerable.Range(0, file.Header.Length));
        int rung = file.RequireColumn("rung", "rung");
        file.RequireColumn("mean_pearson", "mean Pearson r");
        string[] numeric = ["params", "mean_pearson", "mean_spearman", "train_seconds"];
        var rows = new List<IReadOnlyList<string>>();
        while (file.NextRow() is { } row)
        {
            var cells = row.Select(c => c.Trim()).ToArray();
            if (cells[rung].Length == 0)
            {
                throw new DataFormatException(path, file.LineNumber, "empty rung name", file.Header[rung]);
            }
            for (int j = 0; j < cells.Length; j++)
            {
                if (numeric.Contains(file.Header[j], StringComparer.OrdinalIgnoreCase))
                {
                    Number(file, cells[j], file.Header[j], allowMissing: true);
                }
            }
            rows.Add(cells);
        }
        return new ReportTable(file.Header, rows);
    }

    /// <summary>Reads <c>attention/meta_profile.tsv</c> (<c>treatment, position, mean_attention</c>), grouped by treatment in file order.</summary>
    public static IReadOnlyList<ReportMetaProfile> ReadMetaProfiles(string path)
    {
        using var file = DelimitedFile.Open(path, '\t');
        int treatment = file.RequireColumn("treatment", "treatment");
        int position = file.RequireColumn("position", "position");
        int attention = file.RequireColumn("mean_attention", "mean attention");
        var groups = new Dictionary<string, SortedDictionary<double, double>>(StringComparer.Ordinal);
        var order = new List<string>();
        while (file.NextRow() is { } row)
        {
            string name = row[treatment].Trim();
            if (name.Length == 0)
            {
                throw new DataFormatException(path, file.LineNumber, "empty treatment name", file.Header[treatment]);
            }
            double x = Number(file, row[position], file.Header[position], allowMissing: false);
            double y = Number(file, row[attention], file.Header[attention], allowMissing: false);
            if (!groups.TryGetValue(name, out var points))
            {
                groups[name] = points = [];
                order.Add(name);
            }
            if (!points.TryAdd(x, y))
            {
                throw new DataFormatException(path, file.LineNumber, $"position {row[position].Trim()} of treatment '{name}' appears twice", file.Header[position]);
            }
        }
        if (order.Count == 0)
        {
            throw new DataFormatException(path, file.HeaderLine, "no profile lines below the header", "treatment");
        }
        return order.Select(t => new ReportMetaProfile(t, groups[t].Keys.ToArray(), groups[t].Values.ToArray())).ToArray();
    }

    /// <summary>
    /// Reads <c>attention/example_genes.tsv</c> (<c>gene, treatment, p0 … p{L−1}</c>) grouped by gene in file
    /// order, with each gene's sequence from <paramref name="sequences"/> when given (it must be there, of length L).
    /// </summary>
    public static IReadOnlyList<ReportExampleGene> ReadExampleGenes(string path, IReadOnlyDictionary<string, string>? sequences, string sequencePath)
    {
        using var file = DelimitedFile.Open(path, '\t');
        int gene = file.RequireColumn("gene", "gene");
        int treatment = file.RequireColumn("treatment", "treatment");
        var valueColumns = Enumerable.Range(0, file.Header.Length).Where(j => j != gene && j != treatment).ToArray();
        for (int k = 0; k < valueColumns.Length; k++)
        {
            string expected = "p" + k.ToString(CultureInfo.InvariantCulture);
            if (!string.Equals(file.Header[valueColumns[k]], expected, StringComparison.Ordinal))
            {
                throw new DataFormatException(path, file.HeaderLine, $"column {valueColumns[k] + 1} is '{file.Header[valueColumns[k]]}', expected '{expected}' (positions p0 … p{{L-1}} in order)", file.Header[valueColumns[k]]);
            }
        }
        if (valueColumns.Length == 0)
        {
            throw new DataFormatException(path, file.HeaderLine, "no position columns p0 … p{L-1} in the header", "p0");
        }
        var order = new List<string>();
        var rowsOf = new Dictionary<string, List<(string Treatment, double[] Values)>>(StringComparer.Ordinal);
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        while (file.NextRow() is { } row)
        {
            string g = row[gene].Trim(), t = row[treatment].Trim();
            if (g.Length == 0 || t.Length == 0)
            {
                throw new DataFormatException(path, file.LineNumber, "empty gene or treatment name", g.Length == 0 ? file.Header[gene] : file.Header[treatment]);
            }
            var values = new double[valueColumns.Length];
            for (int k = 0; k < values.Length; k++)
            {
                values[k] = Number(file, row[valueColumns[k]], file.Header[valueColumns[k]], allowMissing: false);
            }
            if (!rowsOf.TryGetValue(g, out var list))
            {
                rowsOf[g] = list = [];
                order.Add(g);
                firstLine[g] = file.LineNumber;
            }
            if (list.Any(r => r.Treatment == t))
            {
                throw new DataFormatException(path, file.LineNumber, $"gene '{g}' under treatment '{t}' appears twice", file.Header[treatment]);
            }
            list.Add((t, values));
        }
        if (order.Count == 0)
        {
            throw new DataFormatException(path, file.HeaderLine, "no genes below the header", "gene");
        }
        return order.Select(g =>
        {
            string? sequence = null;
            if (sequences is not null)
            {
                if (!sequences.TryGetValue(g, out sequence))
                {
                    throw new DataFormatException(path, firstLine[g], $"gene '{g}' has no sequence in {sequencePath}", "gene");
                }
                if (sequence.Length != valueColumns.Length)
                {
                    throw new DataFormatException(sequencePath, 0, $"record '{g}' has {sequence.Length} bases, but its attention map in {path} has {valueColumns.Length} positions", g);
                }
            }
            return new ReportExampleGene(g, rowsOf[g].Select(r => r.Treatment).ToArray(), rowsOf[g].Select(r => r.Values).ToArray(), sequence);
        }).ToArray();
    }

    /// <summary>
    /// Reads <c>motifs/top_motifs.tsv</c>; every motif id must be in <paramref name="meme"/> when it is given.
    /// </summary>
    public static IReadOnlyList<ReportTopMotif> ReadTopMotifs(string path, MemeFile? meme, string memePath)
    {
        using var file = DelimitedFile.Open(path, '\t');
        file.EnsureUniqueNames(Enumerable.Range(0, file.Header.Length));
        int treatment = file.RequireColumn("treatment", "treatment");
        int rank = file.RequireColumn("rank", "rank");
        int id = file.RequireColumn("motif_id", "motif id");
        int consensus = file.RequireColumn("consensus", "consensus");
        int seqlets = file.RequireColumn("seqlets", "seqlet count");
        int matchId = file.RequireColumn("best_match_id", "best match id");
        int matchName = file.RequireColumn("best_match_name", "best match name");
        int p = file.RequireColumn("p", "p-value");
        int q = file.RequireColumn("q", "q-value");
        var motifs = meme?.Motifs.GroupBy(m => m.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var result = new List<ReportTopMotif>();
        var ranks = new HashSet<(string, int)>();
        while (file.NextRow() is { } row)
        {
            string t = row[treatment].Trim(), motifId = row[id].Trim();
            if (t.Length == 0)
            {
                throw new DataFormatException(path, file.LineNumber, "empty treatment name", file.Header[treatment]);
            }
            if (motifId.Length == 0)
            {
                throw new DataFormatException(path, file.LineNumber, "empty motif id", file.Header[id]);
            }
            int r = Count(file, row[rank], file.Header[rank], minimum: 1);
            if (!ranks.Add((t, r)))
            {
                throw new DataFormatException(path, file.LineNumber, $"rank {r} of treatment '{t}' appears twice", file.Header[rank]);
            }
            int n = Count(file, row[seqlets], file.Header[seqlets], minimum: 0);
            double pValue = Probability(file, row[p], file.Header[p]);
            double qValue = Probability(file, row[q], file.Header[q]);
            Motif? motif = null;
            if (motifs is not null && !motifs.TryGetValue(motifId, out motif))
            {
                throw new DataFormatException(path, file.LineNumber, $"motif '{motifId}' is not in {memePath}", file.Header[id]);
            }
            result.Add(new ReportTopMotif(t, r, motifId, row[consensus].Trim(), n, Text(row[matchId]), Text(row[matchName]), pValue, qValue, motif));
        }
        return result;
    }

    private static string? Text(string cell)
    {
        string t = cell.Trim();
        return s_missing.Contains(t) ? null : t;
    }

    private static double Number(DelimitedFile file, string cell, string column, bool allowMissing)
    {
        string t = cell.Trim();
        double v = double.NaN;
        if (s_missing.Contains(t))
        {
            return allowMissing ? double.NaN
                : throw new DataFormatException(file.SourceName, file.LineNumber, $"missing value in column '{column}'", column);
        }
        string unsigned = t.TrimStart('+', '-');
        bool infinite = unsigned.Equals("inf", StringComparison.OrdinalIgnoreCase) || unsigned.Equals("infinity", StringComparison.OrdinalIgnoreCase) || unsigned == "∞";
        if (!infinite && !double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out v))
        {
            throw new DataFormatException(file.SourceName, file.LineNumber, $"non-numeric value '{t}' in column '{column}'", column);
        }
        if (infinite || !double.IsFinite(v))
        {
            throw new DataFormatException(file.SourceName, file.LineNumber, $"non-finite value '{t}' in column '{column}'", column);
        }
        return v;
    }

    private static int Count(DelimitedFile file, string cell, string column, int minimum)
    {
        double v = Number(file, cell, column, allowMissing: false);
        if (v != Math.Floor(v) || v < minimum || v > int.MaxValue)
        {
            throw new DataFormatException(file.SourceName, file.LineNumber, $"'{cell.Trim()}' in column '{column}' is not a whole number ≥ {minimum}", column);
        }
        return (int)v;
    }

    private static double Probability(DelimitedFile file, string cell, string column)
    {
        double v = Number(file, cell, column, allowMissing: true);
        if (v is < 0 or > 1)
        {
            throw new DataFormatException(file.SourceName, file.LineNumber, $"'{cell.Trim()}' in column '{column}' is not a probability in [0, 1]", column);
        }
        return v;
    }
}
