using System.CommandLine;
using Promptor.Cli.Options;
using Promptor.Genomics.Data;
using Promptor.Genomics.IO;
using Promptor.Genomics.Training;
using Promptor.Nn.Serialization;
using Promptor.Tensors;

namespace Promptor.Cli.Commands;

/// <summary>
/// <c>promptor evaluate --run DIR</c> (or <c>--checkpoint F</c>): scores a trained model on one part of
/// the split (test by default) of the same kind of data <c>train</c> reads, prints the per-treatment table
/// and writes the metrics TSV (and optionally the predictions) atomically. Several <c>--run</c> (or
/// <c>--checkpoint</c>) options score their ensemble: the models' predictions averaged (e.g. seeds).
/// </summary>
public static class EvaluateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = new DataFlags();
        var run = new Option<string[]>("--run") { Description = "Run folder written by train (uses its best.safetensors); repeat to score the ensemble of several runs" };
        var checkpoint = new Option<string[]>("--checkpoint") { Description = "A checkpoint (.safetensors) written by train; repeat to score an ensemble" };
        var part = new Option<DataSplit>("--part") { Description = "Which genes: Test (default), Validation or Train", DefaultValueFactory = _ => DataSplit.Test };
        var output = new Option<string?>("--out") { Description = "Metrics TSV (default: evaluate_<part>_metrics.tsv beside the checkpoint)" };
        var predictions = new Option<string?>("--predictions") { Description = "Also write the predictions (gene × treatment TSV) here" };
        var noAveraging = new Option<bool>("--no-rc-average") { Description = "Predict the given strand only (default: average both strands)" };
        var force = new Option<bool>("--force") { Description = "Overwrite existing output files" };
        var command = new Command("evaluate", "Score a trained model per treatment on the test (or another) part of the split.");
        command.Options.Add(run);
        command.Options.Add(checkpoint);
        data.AddTo(command);
        foreach (var option in new Option[] { part, output, predictions, noAveraging, force })
        {
            command.Options.Add(option);
        }
        CommandErrors.SetAction(command, (parse, stdout, stderr) =>
        {
            string[] runDirs = parse.GetValue(run) ?? [], checkpointPaths = parse.GetValue(checkpoint) ?? [];
            if ((runDirs.Length == 0) == (checkpointPaths.Length == 0))
            {
                throw new CommandException("give either --run DIR or --checkpoint FILE (each may be repeated for an ensemble)");
            }
            foreach (var dir in runDirs)
            {
                if (!Directory.Exists(dir))
                {
                    throw new CommandException($"{dir}: no such folder");
                }
            }
            var paths = runDirs.Length > 0 ? runDirs.Select(d => Path.Combine(d, Trainer.BestFileName)).ToArray() : checkpointPaths;
            foreach (var p in paths)
            {
                if (!File.Exists(p))
                {
                    throw new CommandException($"{p}: no such checkpoint");
                }
            }
            string checkpointPath = paths[0];
            var which = parse.GetValue(part);
            if (paths.Length > 1 && parse.GetValue(output) is null)
            {
                throw new CommandException("an ensemble of several models needs --out for its metrics TSV");
            }
            string metricsPath = parse.GetValue(output)
                ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(checkpointPath))!, $"evaluate_{which.ToString().ToLowerInvariant()}_metrics.tsv");
            bool overwrite = parse.GetValue(force);
            CommandErrors.CheckOutputFile(metricsPath, overwrite);
            string? predictionsPath = parse.GetValue(predictions);
            if (predictionsPath is not null)
            {
                CommandErrors.CheckOutputFile(predictionsPath, overwrite);
            }

            var members = paths.Select(TrainingCheckpoint.LoadCondPromoter).ToArray();
            var (model, info) = members[0];
            foreach (var (other, otherInfo) in members.Skip(1))
            {
                string at = paths[Array.FindIndex(members, m => m.Model == other)];
                if (!otherInfo.Treatments.SequenceEqual(info.Treatments, StringComparer.Ordinal) || otherInfo.Task != info.Task
                    || other.Options.SequenceLength != model.Options.SequenceLength)
                {
                    throw new CommandException($"{at}: its treatments, task or sequence length differ from {checkpointPath}'s; an ensemble needs models of the same data");
                }
            }
            var task = data.Load(parse, stderr, requiredLength: model.Options.SequenceLength);
            var dataset = InCheckpointOrder(task, info.Treatments);
            var rows = task.Split.IndicesOf(which);
            if (rows.Length == 0)
            {
                throw new CommandException($"the split has no {which.ToString().ToLowerInvariant()} genes ({task.Split})");
            }
            bool average = !parse.GetValue(noAveraging);
            var evaluations = members.Select(m => Evaluation.Evaluate(m.Model, dataset, rows, EvaluationSettings.From(m.Info, average))).ToArray();
            var result = evaluations.Length == 1 ? evaluations[0] : Evaluation.Ensemble(evaluations, dataset, EvaluationSettings.From(info, average));
            AtomicFile.WriteAllText(metricsPath, result.Metrics.ToTsv());
            if (predictionsPath is not null)
            {
                PredictionWriter.Write(predictionsPath, result);
            }
            if (evaluations.Length > 1)
            {
                for (int i = 0; i < evaluations.Length; i++)
                {
                    stdout.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"member {i + 1}: {paths[i]} (epoch {members[i].Info.Epoch}): mean Pearson {evaluations[i].Metrics.MeanPearson:F4}"));
                }
                stdout.WriteLine($"ensemble of {evaluations.Length} models (mean of their predictions) on {rows.Length:N0} {which.ToString().ToLowerInvariant()} genes; {task.Description}");
            }
            else
            {
                stdout.WriteLine($"{Path.GetFileName(checkpointPath)} (epoch {info.Epoch}) on {rows.Length:N0} {which.ToString().ToLowerInvariant()} genes; {task.Description}");
            }
            MetricsTable.Print(stdout, result.Metrics);
            stdout.WriteLine($"Wrote {metricsPath}{(predictionsPath is null ? "" : " and " + predictionsPath)}");
            return 0;
        });
        return command;
    }

    /// <summary>The data's columns reordered to the checkpoint's treatments; a treatment missing from the data is an error naming the table.</summary>
    internal static PromoterDataset InCheckpointOrder(TaskData task, IReadOnlyList<string> treatments)
    {
        var d = task.Dataset;
        var columns = new int[treatments.Count];
        for (int j = 0; j < columns.Length; j++)
        {
            columns[j] = d.Treatments.ToList().IndexOf(treatments[j]);
            if (columns[j] < 0)
            {
                throw new DataFormatException(task.ExpressionFile, 0,
                    $"the checkpoint predicts treatment '{treatments[j]}', which is not a column of the table ({d.TreatmentCount} treatments)", treatments[j]);
            }
        }
        if (columns.SequenceEqual(Enumerable.Range(0, d.TreatmentCount)))
        {
            return d;
        }
        int n = d.Count, t = d.TreatmentCount, k = columns.Length;
        var y = new float[n * k];
        var m = new float[n * k];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < k; j++)
            {
                y[i * k + j] = d.Targets.Data[i * t + columns[j]];
                m[i * k + j] = d.Mask.Data[i * t + columns[j]];
            }
        }
        return new PromoterDataset(d.Sequences, new Tensor(new Shape(n, k), y), new Tensor(new Shape(n, k), m), d.GeneIds, treatments);
    }
}
