using System.CommandLine;
using System.Globalization;
using Promptor.Genomics.Interpretation;
using Promptor.Genomics.IO;
using Promptor.Genomics.Models;
using Promptor.Genomics.Training;
using Promptor.Nn.Serialization;

namespace Promptor.Cli.Commands;

/// <summary>
/// <c>promptor attend</c>: base-pair attention maps of a trained cross-attention <see cref="CondPromoter"/>
/// (<see cref="AttentionMaps"/>) for the promoters of a FASTA file. Writes into the output folder
/// <c>maps/GENE.tsv</c> and/or <c>maps/GENE.npy</c> (every treatment × head and the head average),
/// optionally <c>maps/GENE.svg</c>, plus <c>meta_profile.tsv</c> (<c>treatment, position,
/// mean_attention</c>: head-averaged, bp resolution, averaged over the genes), <c>example_genes.tsv</c>
/// (<c>gene, treatment, p0 … p{L−1}</c>) and <c>example_genes.fa</c>.
/// </summary>
public static class AttendCommand
{
    /// <summary>Folder of the per-gene maps inside the output folder.</summary>
    public const string MapsFolder = "maps";

    /// <summary>The meta-profile file.</summary>
    public const string MetaProfileFile = "meta_profile.tsv";

    /// <summary>The example-gene maps.</summary>
    public const string ExampleGenesFile = "example_genes.tsv";

    /// <summary>The example genes' sequences.</summary>
    public const string ExampleSequencesFile = "example_genes.fa";

    private const int ChunkSize = 64;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var checkpoint = new Option<string?>("--checkpoint") { Description = "A CondPromoter checkpoint (.safetensors)" };
        var run = new Option<string?>("--run") { Description = "A training run folder; its best.safetensors is used" };
        var sequences = new Option<string>("--sequences") { Description = "FASTA of promoters, each of the model's length", Required = true };
        var genes = new Option<string?>("--genes") { Description = "Comma-separated ids of the genes to map (default: all in the FASTA)" };
        var treatments = new Option<string?>("--treatments") { Description = "Comma-separated treatment names to keep (default: all the model's)" };
        var output = new Option<string>("--out") { Description = "Output folder (created; must be empty or absent unless --force)", Required = true };
        var format = new Option<string>("--format") { Description = "Per-gene maps as tsv, npy or both", DefaultValueFactory = _ => "tsv" };
        format.AcceptOnlyFromAmong("tsv", "npy", "both");
        var svg = new Option<bool>("--svg") { Description = "Also draw each gene's map as an SVG heat map (treatments × positions, sequence beneath)" };
        var rollout = new Option<bool>("--rollout") { Description = "Roll the cross-attention back through the self-attention blocks (attention rollout)" };
        var sigma = new Option<double?>("--sigma") { Description = "σ in bp of the Gaussian upsampling (default: a sixth of the receptive field)" };
        var examples = new Option<int>("--examples") { Description = "Genes written to example_genes.tsv (the first ones mapped)", DefaultValueFactory = _ => 6 };
        var force = new Option<bool>("--force") { Description = "Write into an output folder that already holds files" };
        var command = new Command("attend", "Write base-pair attention maps per gene × treatment × head, a meta-profile and example genes.")
        {
            checkpoint, run, sequences, genes, treatments, output, format, svg, rollout, sigma, examples, force,
        };
        CommandErrors.SetAction(command, (parse, stdout, _) =>
        {
            string path = CheckpointPath(parse.GetValue(checkpoint), parse.GetValue(run));
            var (model, info) = TrainingCheckpoint.LoadCondPromoter(path);
            if (!AttentionMaps.HasAttention(model.Options))
            {
                throw new CommandException($"{path} holds a CondPromoter with {model.Options.Conditioning} conditioning, which has no attention layers to map");
            }
            var selected = Split(parse.GetValue(treatments));
            var treatmentIndices = AttentionMaps.SelectTreatments(info.Treatments, selected);
            string fasta = parse.GetValue(sequences)!;
            var records = SelectGenes(fasta, FastaReader.Read(fasta), Split(parse.GetValue(genes)), model.Options.SequenceLength);
            int exampleCount = parse.GetValue(examples);
            if (exampleCount < 0)
            {
                throw new CommandException($"--examples must be ≥ 0, got {exampleCount}");
            }
            var options = new AttentionMapOptions { SigmaBp = parse.GetValue(sigma), Rollout = parse.GetValue(rollout) };
            options.Validate();
            string dir = Path.TrimEndingDirectorySeparator(parse.GetValue(output)!);
            CommandErrors.CheckOutputFolder(dir, parse.GetValue(force));

            string which = parse.GetValue(format)!;
            bool tsv = which is "tsv" or "both", npy = which is "npy" or "both", drawSvg = parse.GetValue(svg);
            var names = treatmentIndices.Select(i => info.Treatments[i]).ToArray();
            var profile = new AttentionMetaProfile(names, model.Options.SequenceLength);
            var exampleTables = new List<string>();
            var stems = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            string mapsDir = Path.Combine(dir, MapsFolder);
            Directory.CreateDirectory(mapsDir);
            for (int start = 0; start < records.Count; start += ChunkSize)
            {
                var chunk = records.Skip(start).Take(ChunkSize).ToArray();
                var maps = AttentionMaps.Compute(model, chunk, info.Treatments, options, names);
                for (int g = 0; g < chunk.Length; g++)
                {
                    string stem = AttentionExport.FileStem(chunk[g].Id);
                    if (!stems.Add(stem))
                    {
                        throw new CommandException($"{fasta}: gene ids '{chunk[g].Id}' and another one map to the same file name '{stem}'");
                    }
                    string file = Path.Combine(mapsDir, stem);
                    if (tsv)
                    {
                        AttentionExport.WriteGeneTsv(file + ".tsv", maps, g);
                    }
                    if (npy)
                    {
                        AttentionExport.WriteGeneNpy(file + ".npy", maps, g);
                    }
                    if (drawSvg)
                    {
                        AttentionExport.GeneSvg(maps, g, chunk[g].Sequence).Save(file + ".svg");
                    }
                }
                profile.Add(maps);
                int take = Math.Clamp(exampleCount - start, 0, chunk.Length);
                if (take > 0)
                {
                    string table = AttentionExport.ExampleGenesTsv(maps, Enumerable.Range(0, take));
                    exampleTables.Add(exampleTables.Count == 0 ? table : table[(table.IndexOf('\n') + 1)..]);
                }
            }
            AtomicFile.WriteAllText(Path.Combine(dir, MetaProfileFile), profile.ToTsv());
            AtomicFile.WriteAllText(Path.Combine(dir, ExampleGenesFile), exampleTables.Count > 0 ? string.Concat(exampleTables) : ExampleHeader(model.Options.SequenceLength));
            FastaWriter.Write(Path.Combine(dir, ExampleSequencesFile), records.Take(exampleCount));

            var field = ReceptiveField.Of(model.Options);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"mapped {records.Count:N0} genes × {names.Length} treatments × {model.Options.CrossAttentionHeads} heads at bp resolution (receptive field {field.Size} bp every {field.Jump} bp{(options.Rollout && model.Encoder is not null ? ", rolled out through the self-attention blocks" : "")})"));
            stdout.WriteLine($"wrote {MapsFolder}/ ({which}{(drawSvg ? " + svg" : "")}), {MetaProfileFile}, {ExampleGenesFile}, {ExampleSequencesFile} to {dir}");
            return 0;
        });
        return command;
    }

    /// <summary>The checkpoint named by exactly one of <c>--checkpoint</c> and <c>--run</c>.</summary>
    internal static string CheckpointPath(string? checkpoint, string? run)
    {
        if ((checkpoint is null) == (run is null))
        {
            throw new CommandException("give exactly one of --checkpoint FILE and --run DIR");
        }
        string path = checkpoint ?? Path.Combine(run!, Trainer.BestFileName);
        if (!File.Exists(path))
        {
            throw new CommandException(run is not null && !Directory.Exists(run) ? $"{run}: no such folder" : $"{path}: no such file");
        }
        return path;
    }

    private static IReadOnlyList<FastaRecord> SelectGenes(string fasta, IReadOnlyList<FastaRecord> records, IReadOnlyList<string>? genes, int length)
    {
        if (records.Count == 0)
        {
            throw new CommandException($"{fasta}: no sequences");
        }
        IReadOnlyList<FastaRecord> chosen = records;
        if (genes is not null)
        {
            var byId = new Dictionary<string, FastaRecord>(StringComparer.Ordinal);
            foreach (var r in records)
            {
                byId.TryAdd(r.Id, r);
            }
            chosen = genes.Select(g => byId.TryGetValue(g, out var r) ? r : throw new CommandException($"--genes: gene '{g}' is not in {fasta}")).ToArray();
        }
        foreach (var r in chosen)
        {
            if (r.Length != length)
            {
                throw new CommandException($"{fasta}: sequence '{r.Id}' has {r.Length} bp; the model reads {length} bp");
            }
        }
        return chosen;
    }

    private static string[]? Split(string? list) =>
        list?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } items ? items : null;

    private static string ExampleHeader(int length) =>
        "gene\ttreatment" + string.Concat(Enumerable.Range(0, length).Select(p => string.Create(CultureInfo.InvariantCulture, $"\tp{p}"))) + "\n";
}
