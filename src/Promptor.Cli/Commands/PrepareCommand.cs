using System.CommandLine;
using System.Globalization;
using Promptor.Genomics.IO;

namespace Promptor.Cli.Commands;

/// <summary>
/// <c>promptor prepare --genome G.fa[.gz] --annotation F.bed --out P.fa</c>: cuts a promoter window
/// upstream (and optionally downstream) of each feature's 5' end, strand-aware, with
/// <see cref="PromoterExtractor"/>, and writes them as FASTA (atomically).
/// </summary>
public static class PrepareCommand
{
    /// <summary>Builds the command; window flags default to <see cref="PromoterWindow"/>'s defaults.</summary>
    public static Command Create()
    {
        var window = new PromoterWindow();
        var genome = new Option<string>("--genome") { Description = "Genome FASTA, plain, gzip or bgzip", Required = true };
        var annotation = new Option<string>("--annotation") { Description = "BED file of features (genes, ORFs or transcripts) with strand", Required = true };
        var output = new Option<string>("--out") { Description = "Output promoter FASTA (gzip when it ends in .gz)", Required = true };
        var upstream = new Option<int>("--upstream") { Description = "Bases upstream of each feature's 5' end", DefaultValueFactory = _ => window.Upstream };
        var downstream = new Option<int>("--downstream") { Description = "Bases from the feature's 5' end inward", DefaultValueFactory = _ => window.Downstream };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing output file" };
        var command = new Command("prepare", "Extract promoter sequences from a genome and an annotation.")
        {
            genome, annotation, output, upstream, downstream, force,
        };
        CommandErrors.SetAction(command, (parse, stdout, stderr) =>
        {
            string genomePath = parse.GetValue(genome)!, bedPath = parse.GetValue(annotation)!, outPath = parse.GetValue(output)!;
            int up = parse.GetValue(upstream), down = parse.GetValue(downstream);
            if (up < 0 || down < 0 || up + down == 0)
            {
                throw new CommandException($"--upstream and --downstream must be ≥ 0 and not both 0, got {up} and {down}");
            }
            CommandErrors.CheckOutputFile(outPath, parse.GetValue(force));
            var features = BedReader.Read(bedPath);
            CheckUniqueNames(features, bedPath);
            var chromosomes = FastaReader.ReadDictionary(genomePath);
            var extraction = new PromoterExtractor(chromosomes, PromoterExtractor.YeastChromosomeAliases)
                .Extract(features, new PromoterWindow(up, down), bedPath);
            foreach (var warning in extraction.Warnings)
            {
                CommandErrors.Warn(stderr, warning);
            }
            if (extraction.Promoters.Count == 0)
            {
                throw new CommandException($"{bedPath}: no promoter could be extracted from {features.Count} feature(s)");
            }
            FastaWriter.Write(outPath, extraction.Promoters);
            int length = up + down;
            int clipped = extraction.Promoters.Count(p => p.Length < length);
            int skipped = features.Count - extraction.Promoters.Count;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"extracted {extraction.Promoters.Count:N0} promoters of {length:N0} bp ({up} upstream, {down} downstream) from {features.Count:N0} features on {chromosomes.Count} sequences"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{clipped:N0} clipped at chromosome ends, {skipped:N0} skipped, {extraction.Warnings.Count:N0} warnings; wrote {outPath}"));
            return 0;
        });
        return command;
    }

    /// <summary>Promoter ids come from the BED names, so a repeated name would give a FASTA with duplicate ids.</summary>
    private static void CheckUniqueNames(IReadOnlyList<BedRecord> features, string bedPath)
    {
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var f in features)
        {
            if (f.Name is { Length: > 0 } name && !firstLine.TryAdd(name, f.LineNumber))
            {
                throw new DataFormatException(bedPath, f.LineNumber, $"duplicate feature name '{name}' in column 'name' (first on line {firstLine[name]})", "name");
            }
        }
    }
}
