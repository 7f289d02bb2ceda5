using System.CommandLine;
using System.Globalization;
using Promptor.Genomics.Data;
using Promptor.Genomics.Interpretation;
using Promptor.Genomics.IO;
using Promptor.Genomics.Motifs;

namespace Promptor.Cli.Commands;

/// <summary>
/// <c>promptor motifs --tracks tracks.tsv|tracks.npy|maps/ --sequences seqs.fa --out DIR</c>: the top motifs
/// per treatment (<see cref="MotifReport"/>) from per-base importance tracks — seqlets, clustered into PWMs,
/// matched against a motif database (default: the bundled SwissRegulon yeast motifs). Writes
/// <c>top_motifs.tsv</c> and <c>motifs.meme</c>. The tracks are a TSV with the columns gene, treatment, then
/// one value per base (<see cref="ImportanceTrackReader"/>); or a float32 <c>.npy</c> array
/// <c>(genes, treatments, bases)</c> or <c>(genes, bases)</c> over the FASTA's genes in order, its treatments
/// named by <c>--track-names</c>; or the <c>maps</c> folder of <c>promptor attend --format npy</c> (one
/// <c>GENE.npy</c> per FASTA gene, head average used, treatments named by <c>--track-names</c> or by the
/// <c>meta_profile.tsv</c> beside the folder) (<see cref="NpyTrackReader"/>).
/// </summary>
public static class MotifsCommand
{
    /// <summary>The bundled database used when <c>--database</c> is not given, relative to the data folder.</summary>
    public const string DefaultDatabase = "motifs/SwissRegulon_s_cer.meme";

    /// <summary>Builds the command; flags map onto <see cref="MotifReportOptions"/>.</summary>
    public static Command Create()
    {
        var defaults = new MotifReportOptions();
        var tracks = new Option<string>("--tracks")
        {
            Description = "Importance tracks: a TSV with columns gene, treatment, then one value per base; a float32 .npy (genes, treatments, bases) or (genes, bases) over the FASTA's genes in order; or the maps folder of 'promptor attend --format npy'",
            Required = true,
        };
        var trackNames = new Option<string?>("--track-names") { Description = "Comma-separated treatment names of the .npy tracks, in the array's order (a maps folder defaults to the treatments of its meta_profile.tsv)" };
        var rankBy = new Option<string>("--rank-by") { Description = "Order of a treatment's motifs: enrichment (in seqlets over low-importance windows) or seqlets (cluster size)", DefaultValueFactory = _ => "enrichment" };
        rankBy.AcceptOnlyFromAmong("enrichment", "seqlets");
        var nullFraction = new Option<string>("--pi0") { Description = "π0 of the q-values: a number in (0, 1], or 'storey' to estimate it per motif (Storey's λ = 0.5)", DefaultValueFactory = _ => "1" };
        var sequences = new Option<string>("--sequences") { Description = "FASTA of the genes' sequences (same lengths as the tracks)", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder (created; must be empty or absent unless --force)", Required = true };
        var database = new Option<string?>("--database") { Description = $"Motif database, MEME, JASPAR or TRANSFAC (default: the bundled data/{DefaultDatabase})" };
        var treatments = new Option<string?>("--treatments") { Description = "Comma-separated treatments to report (default: all in the tracks)" };
        var top = new Option<int>("--top") { Description = "Motifs per treatment", DefaultValueFactory = _ => defaults.TopMotifs };
        var window = new Option<int>("--window") { Description = "Core window of a hotspot (bp)", DefaultValueFactory = _ => defaults.Seqlets.WindowWidth };
        var flank = new Option<int>("--flank") { Description = "Flank added on each side of a hotspot (bp)", DefaultValueFactory = _ => defaults.Seqlets.Flank };
        var shift = new Option<int?>("--shift") { Description = $"Largest shift (bp) when aligning a seqlet to a cluster, at most --flank (default: the smaller of {defaults.Clustering.MaxShift} and --flank)" };
        var quantile = new Option<double>("--quantile") { Description = "Hotspot threshold: this quantile of the windowed sums of a treatment's tracks with their values shuffled", DefaultValueFactory = _ => defaults.Seqlets.Quantile };
        var metric = new Option<string>("--metric") { Description = "Column similarity for matching: pearson, euclidean or sandelin", DefaultValueFactory = _ => "pearson" };
        var force = new Option<bool>("--force") { Description = "Overwrite the files of an existing output folder" };
        var command = new Command("motifs", "Discover the top motifs per treatment from importance tracks and match them to a motif database.")
        {
            tracks, trackNames, sequences, output, database, treatments, top, rankBy, window, flank, shift, quantile, metric, nullFraction, force,
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
                Ranking = parse.GetValue(rankBy) == "seqlets" ? MotifRanking.SeqletCount : MotifRanking.Enrichment,
                Seqlets = seqlets,
                Clustering = defaults.Clustering with
                {
                    MaxShift = parse.GetValue(shift) is int maxShift
                        ? (maxShift >= 0 && maxShift <= seqlets.Flank ? maxShift : throw new CommandException($"--shift must lie in [0, --flank = {seqlets.Flank}], got {maxShift}"))
                        : Math.Min(defaults.Clustering.MaxShift, seqlets.Flank),
                },
                Comparison = defaults.Comparison with
                {
                    Metric = CompareMotifsCommand.ParseMetric(parse.GetValue(metric)!),
                    NullFraction = ParseNullFraction(parse.GetValue(nullFraction)!),
                },
            };

            string tracksPath = parse.GetValue(tracks)!, fastaPath = parse.GetValue(sequences)!;
            var trackList = ReadTracks(tracksPath, fastaPath, parse.GetValue(trackNames));
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

    /// <summary>
    /// The tracks of <paramref name="path"/>: a maps folder, a <c>.npy</c> array, or (anything else) a TSV.
    /// </summary>
    private static IReadOnlyList<ImportanceTrack> ReadTracks(string path, string fastaPath, string? names)
    {
        var given = names is null ? null : SplitList(names, "--track-names");
        if (Directory.Exists(path))
        {
            var records = FastaReader.Read(fastaPath);
            var treatments = given ?? TreatmentsOfAttendOutput(path);
            var result = new List<ImportanceTrack>(records.Count * treatments.Count);
            foreach (var record in records)
            {
                string file = Path.Combine(path, AttentionExport.FileStem(record.Id) + ".npy");
                if (!File.Exists(file))
                {
                    throw new DataFormatException(path, 0, $"no {Path.GetFileName(file)} for gene '{record.Id}' of {fastaPath}", "gene");
                }
                result.AddRange(NpyTrackReader.ReadGene(file, record, treatments));
            }
            return result;
        }
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            if (given is null)
            {
                throw new CommandException($"{path}: a .npy array has no treatment names; give them with --track-names");
            }
            return NpyTrackReader.ReadStacked(path, FastaReader.Read(fastaPath), given);
        }
        if (given is not null)
        {
            throw new CommandException("--track-names applies to .npy tracks only; a TSV names its treatments in the 'treatment' column");
        }
        return ImportanceTrackReader.Read(path);
    }

    /// <summary>The treatments of the <c>meta_profile.tsv</c> that <c>promptor attend</c> writes beside its maps folder.</summary>
    private static List<string> TreatmentsOfAttendOutput(string mapsFolder)
    {
        string full = Path.GetFullPath(mapsFolder);
        string? profile = new[] { Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(full)), full }
            .Where(d => d is not null)
            .Select(d => Path.Combine(d!, AttendCommand.MetaProfileFile))
            .FirstOrDefault(File.Exists)
            ?? throw new CommandException($"{mapsFolder}: no {AttendCommand.MetaProfileFile} beside the maps to name the treatments; give them with --track-names");
        var names = new List<string>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(profile))
        {
            lineNumber++;
            if (lineNumber == 1 || line.Length == 0)
            {
                continue;
            }
            string name = line.Split('\t')[0];
            if (name.Length == 0)
            {
                throw new DataFormatException(profile, lineNumber, "empty treatment", "treatment");
            }
            if (!names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }
        return names.Count > 0 ? names : throw new DataFormatException(profile, lineNumber, "no treatments after the header", "treatment");
    }

    private static List<string> SplitList(string list, string flag)
    {
        var items = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        if (items.Count == 0)
        {
            throw new CommandException($"{flag} names nothing");
        }
        string? duplicate = items.GroupBy(x => x, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        return duplicate is null ? items : throw new CommandException($"{flag}: '{duplicate}' is named twice");
    }

    private static double? ParseNullFraction(string text)
    {
        if (text.Equals("storey", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value is > 0 and <= 1
            ? value
            : throw new CommandException($"--pi0 must be a number in (0, 1] or 'storey', got '{text}'");
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
