using System.CommandLine;
using System.Globalization;
using Promptor.Genomics.Data;
using Promptor.Genomics.Interpretation;
using Promptor.Genomics.IO;
using Promptor.Genomics.Reports.Svg;
using Promptor.Genomics.Training;
using Promptor.Nn.Serialization;
using Promptor.Tensors;

namespace Promptor.Cli.Commands;

/// <summary>
/// <c>promptor prune --run DIR --out DIR [--fraction f]</c>: head importance of a trained
/// CondPromoter (<see cref="HeadImportance"/>, Michel et al. 2019), the iterative pruning curve
/// (<see cref="HeadPruning"/>), and the model with a fraction of its heads removed. Writes
/// <c>head_importance.tsv</c>, <c>pruning_curve.tsv</c>, <c>pruning_curve.svg</c> and
/// <c>pruned.safetensors</c>. Data: the yeast stress task (from <c>--data</c>, or the folder recorded
/// in the run's <c>run.json</c>): importance on a sample of training genes, the curve on validation
/// genes; or <c>--sequences</c> with <c>--expression</c>: importance on even rows, the curve on odd rows.
/// </summary>
public static class PruneCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var defaults = new HeadPruningOptions();
        var run = new Option<string>("--run") { Description = "A training run folder (best.safetensors, run.json)", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder (created; must be empty or absent unless --force)", Required = true };
        var fraction = new Option<double>("--fraction") { Description = "Fraction of heads removed in the exported model", DefaultValueFactory = _ => 0.5 };
        var step = new Option<double>("--step") { Description = "Fraction of heads removed per pruning step", DefaultValueFactory = _ => defaults.StepFraction };
        var data = new Option<string?>("--data") { Description = "The yeast task's data folder (default: the one recorded in run.json, else the bundled data/)" };
        var sequences = new Option<string?>("--sequences") { Description = "FASTA of promoters (with --expression, instead of the yeast task)" };
        var expression = new Option<string?>("--expression") { Description = "Wide expression table, genes × treatments (with --sequences)" };
        var maxGenes = new Option<int>("--max-genes") { Description = "Genes sampled for the importance estimates", DefaultValueFactory = _ => 256 };
        var batch = new Option<int>("--batch-size") { Description = "Genes per importance gradient", DefaultValueFactory = _ => defaults.Importance.BatchSize };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty output folder" };
        var command = new Command("prune", "Score attention heads by importance, draw the pruning curve and export a pruned model.")
        {
            run, output, fraction, step, data, sequences, expression, maxGenes, batch, force,
        };
        CommandErrors.SetAction(command, (parse, stdout, _) =>
        {
            string runDir = parse.GetValue(run)!;
            string path = ExplainCommand.CheckpointPath(null, runDir);
            string dir = Path.TrimEndingDirectorySeparator(parse.GetValue(output)!);
            double keep = parse.GetValue(fraction);
            if (!(keep > 0 && keep <= 1))
            {
                throw new CommandException($"--fraction must lie in (0, 1], got {keep}");
            }
            var options = defaults with
            {
                StepFraction = parse.GetValue(step),
                Importance = defaults.Importance with { BatchSize = parse.GetValue(batch) },
            };
            options.Validate();
            int cap = parse.GetValue(maxGenes) >= 1 ? parse.GetValue(maxGenes) : throw new CommandException("--max-genes must be positive");
            CommandErrors.CheckOutputFolder(dir, parse.GetValue(force));
            var (model, info) = TrainingCheckpoint.LoadCondPromoter(path);
            var layers = HeadImportance.AttentionLayers(model);
            if (layers.Count == 0)
            {
                throw new CommandException($"{path}: the model has no attention layers ({model.Options.Conditioning} conditioning, {model.Options.SelfAttentionBlocks} self-attention blocks); there are no heads to prune");
            }
            if (info.Task != TaskKind.Regression)
            {
                throw new CommandException($"{path}: prune needs a regression model; this one is a {info.Task} model");
            }
            var (dataset, importanceRows, evaluationRows, source) = LoadData(runDir, parse.GetValue(data), parse.GetValue(sequences), parse.GetValue(expression), cap);
            if (!dataset.Treatments.SequenceEqual(info.Treatments))
            {
                throw new CommandException($"{source}: its treatments ({dataset.Treatments.Count}) differ from the checkpoint's ({info.Treatments.Count}: {string.Join(", ", info.Treatments.Take(3))}, …)");
            }
            if (dataset.SequenceLength != model.Options.SequenceLength)
            {
                throw new CommandException($"{source}: sequences of {dataset.SequenceLength} bp; the model reads {model.Options.SequenceLength} bp");
            }
            var settings = EvaluationSettings.From(info);
            var inv = CultureInfo.InvariantCulture;
            stdout.WriteLine(string.Create(inv, $"{layers.Sum(l => l.Heads)} heads in {layers.Count} attention layers; importance on {importanceRows.Count} genes, curve on {evaluationRows.Count} genes of {source}"));
            var importance = HeadImportance.Compute(model, dataset, importanceRows, settings.Scaler, options.Importance with { PerTreatment = true });
            var curve = HeadPruning.Curve(model, dataset, importanceRows, evaluationRows, settings, options, s =>
                stdout.WriteLine(string.Create(inv, $"removed {s.Removed,3} ({s.Fraction:P0}): mean Pearson {s.Metric:F4}")));
            var removed = curve.HeadsToRemove(keep);

            Directory.CreateDirectory(dir);
            AtomicFile.WriteAllText(Path.Combine(dir, "head_importance.tsv"), importance.ToTsv());
            AtomicFile.WriteAllText(Path.Combine(dir, "pruning_curve.tsv"), curve.ToTsv());
            new LinePlot { Title = "Iterative head pruning", XLabel = "fraction of heads removed", YLabel = "mean Pearson r (evaluation genes)", ShowLegend = false }
                .AddLine("pruned", curve.Steps.Select(s => s.Fraction).ToArray(), curve.Steps.Select(s => Finite(s.Metric)).ToArray())
                .AddPoints("steps", curve.Steps.Select(s => s.Fraction).ToArray(), curve.Steps.Select(s => Finite(s.Metric)).ToArray())
                .Render().Save(Path.Combine(dir, "pruning_curve.svg"));
            HeadPruning.Save(Path.Combine(dir, "pruned.safetensors"), model, info, removed);
            var chosen = curve.Steps.First(s => s.Removed == removed.Count);
            stdout.WriteLine(string.Create(inv, $"pruned.safetensors: {removed.Count} of {curve.Importance.HeadCount} heads removed, mean Pearson {chosen.Metric:F4} (unpruned {curve.Steps[0].Metric:F4}); wrote {dir}"));
            return 0;
        });
        return command;
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;

    private static (PromoterDataset Data, IReadOnlyList<int> Importance, IReadOnlyList<int> Evaluation, string Source) LoadData(
        string runDir, string? dataDir, string? sequences, string? expression, int cap)
    {
        if ((sequences is null) != (expression is null))
        {
            throw new CommandException("--sequences and --expression go together");
        }
        if (sequences is not null)
        {
            var join = SequenceJoin.Join(ExpressionTableReader.ReadWide(expression!), FastaReader.Read(sequences));
            if (join.Table.GeneCount < 4)
            {
                throw new CommandException($"{expression}: only {join.Table.GeneCount} genes have a sequence in {sequences}; at least 4 are needed");
            }
            var dataset = PromoterDataset.Create(join.Sequences.Select(s => s.Sequence).ToArray(), join.Table);
            var even = Enumerable.Range(0, dataset.Count).Where(i => i % 2 == 0).Take(cap).ToArray();
            var odd = Enumerable.Range(0, dataset.Count).Where(i => i % 2 == 1).ToArray();
            return (dataset, even, odd, expression!);
        }
        string folder = dataDir ?? RecordedDataFolder(runDir) ?? YeastStressTask.FindDataDirectory()
            ?? throw new CommandException("no data: pass --data DIR (the yeast task) or --sequences and --expression");
        if (!Directory.Exists(folder))
        {
            throw new CommandException($"{folder}: no such folder");
        }
        var task = YeastStressTask.Load(folder);
        var train = task.Split.Train.ToArray();
        new Generator(1).Shuffle<int>(train);
        return (task.Dataset, train.Take(cap).Order().ToArray(), task.Split.Validation, folder);
    }

    /// <summary>The data folder of a yeast-task run, from the expression file recorded in its <c>run.json</c>.</summary>
    private static string? RecordedDataFolder(string runDir)
    {
        string manifest = Path.Combine(runDir, RunManifest.FileName);
        if (!File.Exists(manifest))
        {
            return null;
        }
        string suffix = YeastStressTask.ExpressionFile.Replace('/', Path.DirectorySeparatorChar);
        foreach (var file in RunManifest.Load(manifest).Data.InputFiles)
        {
            string full = Path.GetFullPath(file.Path);
            if (full.EndsWith(suffix, StringComparison.Ordinal) && File.Exists(full))
            {
                return full[..^suffix.Length];
            }
        }
        return null;
    }
}
