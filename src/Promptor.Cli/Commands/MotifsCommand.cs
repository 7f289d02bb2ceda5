using System.CommandLine;
using System.Globalization;
using Promptor.Genomics.Data;
using Promptor.Genomics.IO;
using Promptor.Genomics.Motifs;

namespace Promptor.Cli.Commands;

/// <summary>
/// <c>promptor motifs --tracks tracks.tsv --sequences seqs.fa --out DIR</c>: the top motifs per treatment
/// (<see cref="MotifReport"/>) from per-base importance tracks — seqlets, clustered into PWMs, matched
/// against a motif database (default: the bundled SwissRegulon yeast motifs). Writes
/// <c>top_motifs.tsv</c> and <c>motifs.meme</c>. The tracks file is a TSV with the columns gene,
/// treatment, then one value per base (<see cref="ImportanceTrackReader"/>).
/// </summary>
public static class MotifsCommand
{
    /// <summary>The bundled database used when <c>--database</c> is not given, relative to the data folder.</summary>
    public const string DefaultDatabase = "motifs/SwissRegulon_s_cer.meme";

    /// <summary>Builds the command; flags map onto <see cref="MotifReportOptions"/>.</summary>
    public static Command Create()
    {
        var defaults = new MotifReportOptions();
        var tracks = new Option<string>("--tracks") { Description = "Importance tracks: TSV with columns gene, treatment, then one value per base", Required = true };
        var sequences = new Option<string>("--sequences") { Description = "FASTA of the genes' sequences (same lengths as the tracks)", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder (created; must be empty or absent unless --force)", Required = true };
        var database = new Option<string?>("--database") { Description = $"Motif database, MEME, JASPAR or TRANSFAC (default: the bundled data/{DefaultDatabase})" };
        var treatments = new Option<string?>("--treatments") { Description = "Comma-separated treatments to report (default: all in the tracks)" };
        var top = new Option<int>("--top") { Description = "Motifs per treatment", DefaultValueFactory = _ => defaults.TopMotifs };
        var window = new Option<int>("--window") { Description = "Core window of a hotspot (bp)", DefaultValueFactory = _ => defaults.Seqlets.WindowWidth };
        var flank = new Option<int>("--flank") { Description = "Flank added on each side of a hotspot (bp)", DefaultValueFactory = _ => defaults.Seqlets.Flank };
        var quantile = new Option<double>("--quantile") { Description = "Hotspot threshold: this quantile of the windowed sums of a treatment's tracks with their values shuffled", DefaultValueFactory = _ => defaults.Seqlets.Quantile };
        var metric = new Option<string>("--metric") { Description = "Column similarity for matching: pearson, euclidean or sandelin", DefaultValueFactory = _ => "pearson" };
        var force = new Option<bool>("--force") { Description = "Overwrite the files of an existing output folder" };
        var command = new Command("motifs", "Discover the top motifs per treatment from importance tracks and match them to a motif database.")
        {
            tracks, sequences, output, database, treatments, top, window, flank, quantile, metric, force,
        };
        CommandErrors.SetAction(command, (parse, stdout, _) =>
        {
            string dir = Path.TrimEndingDirectorySeparator(parse.GetValue(output)!);
            CommandErrors.CheckOutputFolder(dir, parse.GetValue(force));
            var seqlets = defaults.Seqlets with
            {
                WindowWidth = AtLeast(parse.GetValue(window), 1, "--window"),
                Flank = AtLeast(parse.GetValue(flank), 0, "--flank"),
                Quantile = parse.GetValue(quantile) is var q && q is >= 0 and < 1 ? q
                    : throw new CommandException($"--quantile must lie in [0, 1), got {q.ToString(CultureInfo.InvariantCulture)}"),
            };
            var options = defaults with
            {
                TopMotifs = AtLeast(parse.GetValue(top), 1, "--top"),
                Seqlets = seqlets,
                Clustering = defaults.Clustering with { MaxShift = Math.Min(defaults.Clustering.MaxShift, seqlets.Flank) },
                Comparison = defaults.Comparison with { Metric = CompareMotifsCommand.ParseMetric(parse.GetValue(metric)!) },
            };

            string tracksPath = parse.GetValue(tracks)!, fastaPath = parse.GetValue(sequences)!;
            var trackList = ImportanceTrackReader.Read(tracksPath);
            var genes = FastaReader.ReadDictionary(fastaPath);
            foreach (var t in trackList)
            {
                if (!genes.TryGetValue(t.Gene, out var s))
                {
                    throw new DataFormatException(tracksPath, t.LineNumber, $"gene '{t.Gene}' is not in {fastaPath}", "gene");
                }
                if (s.Length != t.Values.Length)
                {
                    throw new DataFormatException(tracksPath, t.LineNumber, $"gene '{t.Gene}': {t.Values.Length} values, but its sequence has {s.Length} bases", "gene");
                }
            }
            var chosen = ChooseTreatments(parse.GetValue(treatments), trackList, tracksPath);
            string databasePath = parse.GetValue(database) ?? DefaultDatabasePath();
            var motifs = MotifFiles.Read(databasePath);

            var report = MotifReport.Build(genes, trackList, motifs, options, chosen);
            WriteAtomically(dir, report);
            foreach (var treatment in chosen)
            {
                var rows = report.Motifs.Where(m => m.Treatment == treatment).ToList();
                string best = string.Join(", ", rows.Select(m => $"{m.Motif.Consensus()} ({m.SeqletCount}) ~ {m.BestMatch?.TargetId}"));
                stdout.WriteLine($"{treatment}: {rows.Count} motif{(rows.Count == 1 ? "" : "s")}{(rows.Count > 0 ? ": " + best : "")}");
            }
            stdout.WriteLine($"wrote {string.Join(", ", MotifReport.FileNames)} to {dir}");
            return 0;
        });
        return command;
    }

    private static int AtLeast(int value, int min, string flag) =>
        value >= min ? value : throw new CommandException($"{flag} must be at least {min}, got {value}");

    private static List<string> ChooseTreatments(string? list, IReadOnlyList<ImportanceTrack> tracks, string tracksPath)
    {
        var known = tracks.Select(t => t.Treatment).Distinct(StringComparer.Ordinal).ToList();
        if (list is null)
        {
            return known;
        }
        var chosen = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        if (chosen.Count == 0)
        {
            throw new CommandException("--treatments names no treatment");
        }
        foreach (var t in chosen)
        {
            if (!known.Contains(t, StringComparer.Ordinal))
            {
                throw new CommandException($"--treatments: unknown treatment '{t}' ({tracksPath} has: {string.Join(", ", known)})");
            }
        }
        return chosen;
    }

    private static string DefaultDatabasePath()
    {
        string dataDir = YeastStressTask.FindDataDirectory() ?? YeastStressTask.FindDataDirectory(AppContext.BaseDirectory)
            ?? throw new CommandException("no --database given and the bundled data folder was not found");
        return Path.Combine(dataDir, DefaultDatabase);
    }

    /// <summary>Writes into a staging folder beside <paramref name="dir"/>, then moves the files into place.</summary>
    private static void WriteAtomically(string dir, MotifReport report)
    {
        string full = Path.GetFullPath(dir);
        string parent = Path.GetDirectoryName(full) ?? throw new CommandException($"{dir} has no parent folder");
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            report.Write(staging);
            if (!Directory.Exists(full))
            {
                Directory.Move(staging, full);
                return;
            }
            foreach (var name in MotifReport.FileNames)
            {
                File.Move(Path.Combine(staging, name), Path.Combine(full, name), overwrite: true);
            }
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }
}
