using System.CommandLine;
using System.Globalization;
using System.Text;
using Promptor.Genomics.Dna;
using Promptor.Genomics.Interpretation;
using Promptor.Genomics.IO;
using Promptor.Genomics.Models;
using Promptor.Genomics.Training;
using Promptor.Nn.Serialization;
using Promptor.Tensors;

namespace Promptor.Cli.Commands;

/// <summary>
/// <c>promptor explain --checkpoint F | --run DIR --sequences F.fa --out DIR</c>: base-resolution
/// attributions of a trained CondPromoter per gene and treatment — in-silico mutagenesis
/// (<see cref="InSilicoMutagenesis"/>), gradient × input (<see cref="GradientAttribution"/>) or
/// integrated gradients (<see cref="IntegratedGradients"/>) — written as one TSV per gene
/// (<c>GENE.METHOD.tsv</c>) plus <c>summary.tsv</c>, in the targets' units. For cross-attention
/// models it also writes <c>agreement.tsv</c>: per gene and treatment, Spearman's ρ between the
/// base-pair attention map (head average) and the attribution track (ISM: largest absolute change;
/// gradients: absolute per-position total), and the overlap of their top 50 positions.
/// </summary>
public static class ExplainCommand
{
    /// <summary>The attribution methods, by their flag value.</summary>
    public static IReadOnlyList<string> Methods { get; } = ["ism", "grad", "ig"];

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var igDefaults = new IntegratedGradientsOptions();
        var checkpoint = new Option<string?>("--checkpoint") { Description = "A CondPromoter checkpoint (.safetensors)" };
        var run = new Option<string?>("--run") { Description = "A training run folder (its best.safetensors is used)" };
        var sequences = new Option<string>("--sequences") { Description = "FASTA of promoters, each as long as the model's input", Required = true };
        var genes = new Option<string[]>("--genes") { Description = "Genes (FASTA ids) to explain; default all", AllowMultipleArgumentsPerToken = true };
        var method = new Option<string>("--method") { Description = "ism (in-silico mutagenesis), grad (gradient × input) or ig (integrated gradients)", DefaultValueFactory = _ => "ism" };
        method.AcceptOnlyFromAmong([.. Methods]);
        var treatments = new Option<string[]>("--treatments") { Description = "Treatments to report; default all", AllowMultipleArgumentsPerToken = true };
        var steps = new Option<int>("--steps") { Description = "Integrated gradients: intervals of the path integral", DefaultValueFactory = _ => igDefaults.Steps };
        var baseline = new Option<string>("--baseline") { Description = "Integrated gradients: uniform (0.25 per base) or shuffled", DefaultValueFactory = _ => "uniform" };
        baseline.AcceptOnlyFromAmong("uniform", "shuffled");
        var seed = new Option<ulong>("--seed") { Description = "Seed of the shuffled baseline", DefaultValueFactory = _ => igDefaults.Seed };
        var output = new Option<string>("--out") { Description = "Output folder (created; must be empty or absent unless --force)", Required = true };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty output folder" };
        var command = new Command("explain", "Attribute a trained model's predictions to promoter bases, per gene and treatment (ISM, gradient × input, integrated gradients).")
        {
            checkpoint, run, sequences, genes, method, treatments, steps, baseline, seed, output, force,
        };
        CommandErrors.SetAction(command, (parse, stdout, _) =>
        {
            string path = CheckpointPath(parse.GetValue(checkpoint), parse.GetValue(run));
            string dir = Path.TrimEndingDirectorySeparator(parse.GetValue(output)!);
            CommandErrors.CheckOutputFolder(dir, parse.GetValue(force));
            var (model, info) = TrainingCheckpoint.LoadCondPromoter(path);
            if (info.Task != TaskKind.Regression || model.OutputsPerTreatment != 1)
            {
                throw new CommandException($"{path}: explain needs a regression model; this one is a {info.Task} model");
            }
            var selected = TreatmentIndices(parse.GetValue(treatments), info.Treatments, path);
            string fasta = parse.GetValue(sequences)!;
            var records = SelectGenes(FastaReader.Read(fasta), parse.GetValue(genes), fasta, model.Options.SequenceLength);
            string name = parse.GetValue(method)!;
            var igOptions = igDefaults with
            {
                Steps = parse.GetValue(steps) >= 1 ? parse.GetValue(steps) : throw new CommandException($"--steps must be positive, got {parse.GetValue(steps)}"),
                Baseline = parse.GetValue(baseline) == "shuffled" ? AttributionBaseline.Shuffled : AttributionBaseline.Uniform,
                Seed = parse.GetValue(seed),
            };
            model.Eval();
            Directory.CreateDirectory(dir);
            var summary = new StringBuilder(name == "ism"
                ? "gene\ttreatment\tprediction\tmax_abs_delta\tposition_of_max\n"
                : "gene\ttreatment\tprediction\tbaseline_prediction\tattribution_sum\n");
            var fileNames = new HashSet<string>(StringComparer.Ordinal);
            bool hasAttention = AttentionMaps.HasAttention(model.Options);
            var agreement = new StringBuilder($"gene\ttreatment\tspearman_attention_vs_{name}\ttop{AgreementTop}_overlap\n");
            var spearmans = new List<double>();
            foreach (var record in records)
            {
                var x = new Tensor(new Shape(record.Length, 4), OneHot.Encode(record.Sequence));
                float[][] tracks;
                string table;
                if (name == "ism")
                {
                    var ism = InSilicoMutagenesis.Run(model, x);
                    table = IsmTable(record, ism, selected, info, summary);
                    var maxAbs = ism.MaxAbsolute();
                    tracks = selected.Select(t => maxAbs.AsSpan(t * ism.Length, ism.Length).ToArray()).ToArray();
                }
                else
                {
                    var result = name == "grad" ? GradientAttribution.Run(model, x, selected) : IntegratedGradients.Run(model, x, selected, igOptions);
                    table = AttributionTable(record, result, info, summary);
                    tracks = Enumerable.Range(0, selected.Length).Select(r => Enumerable.Range(0, result.Length)
                        .Select(i => Math.Abs(result.Score(r, i, 0) + result.Score(r, i, 1) + result.Score(r, i, 2) + result.Score(r, i, 3))).ToArray()).ToArray();
                }
                string file = FileName(record.Id, name, fileNames);
                AtomicFile.WriteAllText(Path.Combine(dir, file), table);
                stdout.WriteLine($"{record.Id}: wrote {file}");
                if (hasAttention)
                {
                    var maps = AttentionMaps.Compute(model, [record], info.Treatments, selectedTreatments: selected.Select(t => info.Treatments[t]).ToArray(), keepHeads: false);
                    for (int r = 0; r < selected.Length; r++)
                    {
                        var attention = maps.Map(0, r).ToArray();
                        double rho = TrackAgreement.Spearman(attention, tracks[r]);
                        double overlap = TrackAgreement.TopOverlap(attention, tracks[r], Math.Min(AgreementTop, attention.Length));
                        spearmans.Add(rho);
                        agreement.Append(CultureInfo.InvariantCulture, $"{record.Id}\t{info.Treatments[selected[r]]}\t{F(rho)}\t{F(overlap)}\n");
                    }
                }
            }
            AtomicFile.WriteAllText(Path.Combine(dir, "summary.tsv"), summary.ToString());
            if (hasAttention)
            {
                // Attention alone is known to give false positives: report where it agrees with the attribution.
                AtomicFile.WriteAllText(Path.Combine(dir, "agreement.tsv"), agreement.ToString());
                var finite = spearmans.Where(double.IsFinite).ToArray();
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"attention vs {name} per gene and treatment: mean Spearman {(finite.Length == 0 ? double.NaN : finite.Average()):F3} (median {(finite.Length == 0 ? double.NaN : Median(finite)):F3}, {finite.Length} pairs); wrote agreement.tsv"));
            }
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"explained {records.Count} gene(s) × {selected.Length} treatment(s) with {name}, in the targets' units; wrote {dir}"));
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
            throw new CommandException(run is null ? $"{path}: no such checkpoint" : $"{run}: no {Trainer.BestFileName} in this run folder");
        }
        return path;
    }

    /// <summary>Indices of the named treatments (all when none are named).</summary>
    internal static int[] TreatmentIndices(string[]? names, IReadOnlyList<string> treatments, string checkpoint)
    {
        if (names is null || names.Length == 0)
        {
            return Enumerable.Range(0, treatments.Count).ToArray();
        }
        return names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(n =>
        {
            int index = treatments.ToList().IndexOf(n);
            return index >= 0 ? index
                : throw new CommandException($"unknown treatment '{n}'; {Path.GetFileName(checkpoint)} has: {string.Join(", ", treatments)}");
        }).Distinct().ToArray();
    }

    private static IReadOnlyList<FastaRecord> SelectGenes(IReadOnlyList<FastaRecord> records, string[]? genes, string fasta, int length)
    {
        var chosen = records;
        if (genes is { Length: > 0 })
        {
            var byId = new Dictionary<string, FastaRecord>(StringComparer.Ordinal);
            foreach (var r in records)
            {
                byId.TryAdd(r.Id, r);
            }
            chosen = genes.SelectMany(g => g.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct()
                .Select(g => byId.TryGetValue(g, out var r) ? r : throw new CommandException($"{fasta}: unknown gene '{g}' (no such FASTA id)"))
                .ToArray();
        }
        if (chosen.Count == 0)
        {
            throw new CommandException($"{fasta}: no sequences");
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

    private static string IsmTable(FastaRecord record, IsmResult ism, int[] treatments, CheckpointInfo info, StringBuilder summary)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("gene\ttreatment\tposition\tref\tA\tC\tG\tT\tmax_abs\tmean_alt\n");
        var maxAbs = ism.MaxAbsolute();
        var meanAlt = ism.MeanAlternative();
        int l = ism.Length;
        foreach (int t in treatments)
        {
            double std = info.Scaler.Stds[t];
            int best = 0;
            for (int i = 0; i < l; i++)
            {
                sb.Append(record.Id).Append('\t').Append(info.Treatments[t]).Append('\t').Append(i.ToString(inv)).Append('\t').Append(record.Sequence[i]);
                for (int b = 0; b < 4; b++)
                {
                    sb.Append('\t').Append(F(ism.Delta(t, i, b) * std));
                }
                sb.Append('\t').Append(F(maxAbs[t * l + i] * std)).Append('\t').Append(F(meanAlt[t * l + i] * std)).Append('\n');
                best = maxAbs[t * l + i] > maxAbs[t * l + best] ? i : best;
            }
            summary.Append(inv, $"{record.Id}\t{info.Treatments[t]}\t{F(ism.Reference[t] * std + info.Scaler.Means[t])}\t{F(maxAbs[t * l + best] * std)}\t{best}\n");
        }
        return sb.ToString();
    }

    private static string AttributionTable(FastaRecord record, AttributionResult result, CheckpointInfo info, StringBuilder summary)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("gene\ttreatment\tposition\tref\tA\tC\tG\tT\ttotal\n");
        var totals = result.Totals();
        for (int r = 0; r < result.Treatments.Count; r++)
        {
            int t = result.Treatments[r];
            double std = info.Scaler.Stds[t], mean = info.Scaler.Means[t];
            for (int i = 0; i < result.Length; i++)
            {
                sb.Append(record.Id).Append('\t').Append(info.Treatments[t]).Append('\t').Append(i.ToString(inv)).Append('\t').Append(record.Sequence[i]);
                double total = 0;
                for (int b = 0; b < 4; b++)
                {
                    float s = result.Score(r, i, b);
                    total += s;
                    sb.Append('\t').Append(F(s * std));
                }
                sb.Append('\t').Append(F(total * std)).Append('\n');
            }
            string baselinePrediction = result.BaselinePrediction is { } bp ? F(bp[r] * std + mean) : "";
            summary.Append(inv, $"{record.Id}\t{info.Treatments[t]}\t{F(result.Prediction[r] * std + mean)}\t{baselinePrediction}\t{F(totals[r] * std)}\n");
        }
        return sb.ToString();
    }

    private static string FileName(string gene, string method, HashSet<string> used)
    {
        var invalid = Path.GetInvalidFileNameChars();
        string stem = new(gene.Select(c => invalid.Contains(c) || char.IsWhiteSpace(c) ? '_' : c).ToArray());
        string name = $"{stem}.{method}.tsv";
        for (int k = 2; !used.Add(name); k++)
        {
            name = $"{stem}_{k}.{method}.tsv";
        }
        return name;
    }

    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Top positions compared by <c>agreement.tsv</c>'s overlap column.</summary>
    private const int AgreementTop = 50;

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        int m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : 0.5 * (sorted[m - 1] + sorted[m]);
    }
}
