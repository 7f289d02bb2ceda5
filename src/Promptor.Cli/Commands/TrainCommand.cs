using System.CommandLine;
using System.Globalization;
using Promptor.Cli.Options;
using Promptor.Genomics.Models;
using Promptor.Genomics.Training;
using Promptor.Genomics.Workflows;
using Promptor.Nn.Serialization;
using Promptor.Tensors;

namespace Promptor.Cli.Commands;

/// <summary>
/// <c>promptor train</c>: trains a <see cref="CondPromoter"/> with the <see cref="Trainer"/> on the bundled
/// yeast task or the user's promoters and expression table, writes the run folder (checkpoints,
/// <c>run.json</c>, per-epoch metrics) plus the test predictions and metrics, and prints the test table.
/// With <c>--hold-out</c>, the named treatments' targets are masked in training and the model is scored
/// on them afterwards (needs <c>--descriptors</c>).
/// </summary>
public static class TrainCommand
{
    /// <summary>Test metrics per treatment.</summary>
    public const string TestMetricsFile = YeastDemo.TestMetricsFile;

    /// <summary>Test predictions, gene × treatment.</summary>
    public const string TestPredictionsFile = YeastDemo.TestPredictionsFile;

    /// <summary>Test metrics of the held-out treatments.</summary>
    public const string HeldOutMetricsFile = "held_out_metrics.tsv";

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = new DataFlags();
        var model = new ModelFlags();
        var trainer = new TrainerFlags();
        var output = new Option<string>("--out") { Description = "Run folder (checkpoints, run.json, metrics, test predictions)", DefaultValueFactory = _ => "promptor-run" };
        var force = new Option<bool>("--force") { Description = "Replace a run already in --out" };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last completed epoch (same data and options)" };
        var holdOut = new Option<string[]>("--hold-out")
        {
            Description = "Treatment whose targets are masked in training and scored afterwards (repeatable; needs --descriptors)",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("train", "Train the treatment-conditioned promoter model and test it on the held-out genes.");
        data.AddTo(command);
        model.AddTo(command);
        trainer.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(force);
        command.Options.Add(resume);
        command.Options.Add(holdOut);
        CommandErrors.SetAction(command, (parse, stdout, stderr) =>
        {
            string outDir = parse.GetValue(output)!;
            bool overwrite = parse.GetValue(force), resuming = parse.GetValue(resume);
            if (overwrite && resuming)
            {
                throw new CommandException("--force and --resume exclude each other");
            }
            if (!overwrite && !resuming)
            {
                CheckNoRun(outDir);
            }
            var task = data.Load(parse, stderr);
            var dataset = task.Dataset;
            var modelOptions = model.Build(parse, dataset.Treatments, dataset.SequenceLength);
            var heldOut = parse.GetValue(holdOut) ?? [];
            if (heldOut.Length > 0 && modelOptions.TreatmentDescriptors is null)
            {
                throw new CommandException("--hold-out needs --descriptors: a learned embedding cannot know a treatment it never saw");
            }
            var trainingData = heldOut.Length > 0 ? TreatmentDescriptorHoldOut.Mask(dataset, heldOut) : dataset;
            var trainerOptions = trainer.Build(parse) with { OutputDirectory = outDir, Overwrite = overwrite, Resume = resuming };
            stdout.WriteLine(task.Description);
            var network = new CondPromoter(modelOptions, new Generator(trainerOptions.Seed));
            var fit = new Trainer(trainerOptions, ConsoleProgress.Create(stdout, isTerminal: !Console.IsOutputRedirected && stdout == Console.Out));
            var training = fit.Fit(network, trainingData, task.Split, task.InputFiles);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"best epoch {training.BestEpoch} of {training.EpochsCompleted} (validation {training.SelectionMetric} {training.BestMetric:F3}); {network.ParameterCount:N0} parameters"));
            if (task.Split.Test.Length == 0)
            {
                stdout.WriteLine($"no test genes in the split; wrote {Path.GetFullPath(outDir)}");
                return 0;
            }
            var test = fit.Evaluate(network, dataset, task.Split.Test);
            PredictionWriter.Write(Path.Combine(outDir, TestPredictionsFile), test);
            AtomicFile.WriteAllText(Path.Combine(outDir, TestMetricsFile), test.Metrics.ToTsv());
            stdout.WriteLine();
            stdout.WriteLine($"Test genes ({test.Indices.Length:N0}), per treatment:");
            MetricsTable.Print(stdout, test.Metrics);
            if (heldOut.Length > 0)
            {
                var heldOutMetrics = TreatmentDescriptorHoldOut.Select(test.Metrics, heldOut);
                AtomicFile.WriteAllText(Path.Combine(outDir, HeldOutMetricsFile), heldOutMetrics.ToTsv());
                stdout.WriteLine();
                stdout.WriteLine("Held-out treatments (never seen in training), test genes:");
                MetricsTable.Print(stdout, heldOutMetrics);
            }
            stdout.WriteLine($"Wrote {Path.GetFullPath(outDir)}");
            return 0;
        });
        return command;
    }

    /// <summary>Fails when <paramref name="directory"/> already holds a run (before any data is read).</summary>
    internal static void CheckNoRun(string directory)
    {
        if (File.Exists(directory))
        {
            throw new CommandException($"{directory} is a file, not a folder");
        }
        foreach (var file in new[] { RunManifest.FileName, Trainer.BestFileName, Trainer.ResumeFileName, TestMetricsFile })
        {
            if (File.Exists(Path.Combine(directory, file)))
            {
                throw new CommandException($"{Path.Combine(directory, file)}: the output folder already holds a run; pass --force to replace it or --resume to continue it");
            }
        }
    }
}
