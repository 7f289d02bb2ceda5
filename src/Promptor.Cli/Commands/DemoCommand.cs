using System.CommandLine;
using System.Globalization;
using Promptor.Genomics.Training;
using Promptor.Genomics.Workflows;

namespace Promptor.Cli.Commands;

/// <summary><c>promptor demo</c>: the main job on the bundled yeast stress data.</summary>
public static class DemoCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for the run and its reports.", DefaultValueFactory = _ => "promptor-demo" };
        var data = new Option<string?>("--data") { Description = "Folder with the bundled data (default: the repository's data/)." };
        var epochs = new Option<int?>("--epochs") { Description = "Training epochs (default 6; --full: 12)." };
        var full = new Option<bool>("--full") { Description = "Train longer with the measured recipe: attended batch norm, batches of 32, 12 epochs with early stopping, no strand augmentation, a moving average of the weights (about 6 minutes on 2 cores)." };
        var learningRate = new Option<double?>("--lr") { Description = "Peak learning rate (default 1e-3)." };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
        var force = new Option<bool>("--force") { Description = "Replace a run already in --out." };
        var weightAverage = new Option<double?>("--weight-average")
        {
            Description = "Validate and keep a moving average of the weights with this decay, e.g. 0.999; 0 keeps the trained weights (default 0; --full: 0.999).",
        };
        var command = new Command("demo", "Train the treatment-conditioned model on the bundled yeast stress data and evaluate it on held-out chromosome IV.")
        {
            output, data, epochs, full, learningRate, seed, force, weightAverage,
        };
        command.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            return CommandErrors.Run(parse.InvocationConfiguration.Error, () =>
            {
                var options = Options(parse.GetValue(full), parse.GetValue(epochs), parse.GetValue(learningRate), parse.GetValue(weightAverage)) with
                {
                    OutputDirectory = parse.GetValue(output)!,
                    DataDirectory = parse.GetValue(data),
                    Seed = parse.GetValue(seed),
                    Force = parse.GetValue(force),
                };
                var result = YeastDemo.Run(options, ConsoleProgress.Create(o, isTerminal: !Console.IsOutputRedirected && o == Console.Out));
                o.WriteLine();
                o.WriteLine("Test genes (chromosome IV), per treatment:");
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"treatment",-22} {"genes",6} {"Pearson",8} {"Spearman",9}"));
                foreach (var row in result.Test.Metrics.Rows)
                {
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{row.Treatment,-22} {row.Count,6} {TreatmentMetrics.Format(Math.Round(row.Pearson, 3)),8} {TreatmentMetrics.Format(Math.Round(row.Spearman, 3)),9}"));
                }
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"mean test Pearson {result.Test.Metrics.MeanPearson:F3}, Spearman {result.Test.Metrics.MeanSpearman:F3}; best epoch {result.Training.BestEpoch}; {result.Elapsed.TotalMinutes:F1} min"));
                o.WriteLine($"Wrote {Path.GetFullPath(result.OutputDirectory)}");
                o.WriteLine($"Report: {Path.GetFullPath(Path.Combine(result.OutputDirectory, Promptor.Genomics.Reports.ReportFiles.DefaultReport))}");
                return 0;
            });
        });
        return command;
    }

    /// <summary>The demo's training settings: the 10-minute default or <see cref="DemoOptions.Full"/>, with <c>--epochs</c>, <c>--lr</c> and <c>--weight-average</c> on top.</summary>
    public static DemoOptions Options(bool full, int? epochs, double? learningRate, double? weightAverage = null)
    {
        var options = full ? DemoOptions.Full : new DemoOptions();
        return options with
        {
            Epochs = epochs ?? options.Epochs,
            LearningRate = learningRate ?? options.LearningRate,
            WeightAverageDecay = weightAverage ?? options.WeightAverageDecay,
        };
    }
}
