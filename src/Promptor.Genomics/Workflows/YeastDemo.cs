using System.Diagnostics;
using System.Globalization;
using System.Text;
using Promptor.Genomics.Data;
using Promptor.Genomics.Models;
using Promptor.Genomics.Motifs;
using Promptor.Genomics.Reports;
using Promptor.Genomics.Training;
using Promptor.Nn.Serialization;
using Promptor.Tensors;

namespace Promptor.Genomics.Workflows;

/// <summary>
/// The main job: train the treatment-conditioned promoter model on the bundled yeast stress data
/// (Causton et al. 2001, 34 treatments, 1 kb promoters), pick the epoch by validation Pearson on
/// chromosome XV, and evaluate on the held-out chromosome IV. Writes the training run
/// (<c>best.safetensors</c>, <c>run.json</c>, <c>metrics.tsv</c>, …) plus
/// <c>test_predictions.tsv</c>, <c>test_metrics.tsv</c>, <c>summary.md</c> and the HTML report <c>report.html</c>.
/// </summary>
public static class YeastDemo
{
    /// <summary>File of per-gene test predictions.</summary>
    public const string TestPredictionsFile = "test_predictions.tsv";

    /// <summary>File of per-treatment test metrics.</summary>
    public const string TestMetricsFile = "test_metrics.tsv";

    /// <summary>Human-readable summary.</summary>
    public const string SummaryFile = "summary.md";

    /// <summary>Treatments shown in the summary table of DESIGN.md.</summary>
    public static IReadOnlyList<string> HighlightedTreatments { get; } = ["Heat 15'", "Peroxide 20'", "msn2/4 acid 20'"];

    /// <summary>Runs the demo; progress goes to <paramref name="progress"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The bundled data folder cannot be found.</exception>
    /// <exception cref="IOException">The output folder already holds a run and <see cref="DemoOptions.Force"/> is not set.</exception>
    public static DemoResult Run(DemoOptions options, ITrainingProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        string dataDirectory = options.DataDirectory ?? YeastStressTask.FindDataDirectory()
            ?? YeastStressTask.FindDataDirectory(AppContext.BaseDirectory)
            ?? throw new DirectoryNotFoundException("The bundled data folder (data/ with yeast-causton2001-stress and yeast-promoters-r64) was not found; pass --data.");
        var task = YeastStressTask.Load(dataDirectory);
        var modelOptions = (options.Model ?? new CondPromoterOptions { TreatmentCount = task.Treatments.Count })
            with { TreatmentCount = task.Treatments.Count, SequenceLength = task.Dataset.SequenceLength };
        var model = new CondPromoter(modelOptions, new Generator(options.Seed));
        var trainer = new Trainer(new TrainerOptions
        {
            Epochs = options.Epochs,
            LearningRate = options.LearningRate,
            BatchSize = options.BatchSize,
            Patience = options.Patience,
            Seed = options.Seed,
            OutputDirectory = options.OutputDirectory,
            Overwrite = options.Force,
            MaxBatchesPerEpoch = options.MaxBatchesPerEpoch,
            ReverseComplementAugmentation = options.ReverseComplement,
            ReverseComplementAveraging = options.ReverseComplement,
            WeightAverageDecay = options.WeightAverageDecay,
        }, progress);
        var inputs = new[] { YeastStressTask.ExpressionFile, YeastStressTask.PromoterFile }.Select(f => Path.Combine(dataDirectory, f));
        var training = trainer.Fit(model, task.Dataset, task.Split, inputs);
        var test = trainer.Evaluate(model, task.Dataset, task.Split.Test);

        PredictionWriter.Write(Path.Combine(options.OutputDirectory, TestPredictionsFile), test);
        AtomicFile.WriteAllText(Path.Combine(options.OutputDirectory, TestMetricsFile), test.Metrics.ToTsv());
        Interpret(options.OutputDirectory, model, task, dataDirectory);
        var result = new DemoResult(training, test, clock.Elapsed, options.OutputDirectory);
        AtomicFile.WriteAllText(Path.Combine(options.OutputDirectory, SummaryFile), Summary(result, task));
        HtmlReport.Write(options.OutputDirectory);
        return result;
    }

    /// <summary>Treatments whose attention the demo searches for motifs: the highlighted ones and the wild-type acid course beside the mutant's.</summary>
    public static IReadOnlyList<string> MotifTreatments { get; } = ["Heat 15'", "Peroxide 20'", "Acid 20'", "msn2/4 acid 20'"];

    /// <summary>
    /// Attention maps of the test genes, example genes and motifs from attention matched against the
    /// bundled yeast motifs (<see cref="RunInterpretation"/>), written into the run folder.
    /// </summary>
    private static RunInterpretationResult Interpret(string directory, CondPromoter model, YeastStressTask task, string dataDirectory)
    {
        var test = task.Split.Test;
        int t = task.Treatments.Count;
        var targets = new float[test.Length * t];
        for (int i = 0; i < test.Length; i++)
        {
            for (int j = 0; j < t; j++)
            {
                int k = test[i] * t + j;
                targets[i * t + j] = task.Dataset.Mask.Data[k] > 0 ? task.Dataset.Targets.Data[k] : float.NaN;
            }
        }
        string databasePath = Path.Combine(dataDirectory, "motifs", "SwissRegulon_s_cer.meme");
        var database = File.Exists(databasePath) ? MemeReader.Read(databasePath).Motifs : null;
        return RunInterpretation.Write(directory, model, test.Select(i => task.Promoters[i]).ToArray(), targets,
            task.Treatments, MotifTreatments, database);
    }

    /// <summary>A short Markdown report: data, model, best epoch, and the per-treatment test table.</summary>
    public static string Summary(DemoResult result, YeastStressTask task)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(task);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# Promptor demo: yeast stress response (Causton et al. 2001)");
        sb.AppendLine();
        sb.AppendLine(inv, $"- genes: {task.Dataset.Count:N0} ({task.Split}); treatments: {task.Treatments.Count}");
        sb.AppendLine(inv, $"- best epoch {result.Training.BestEpoch} of {result.Training.EpochsCompleted} by validation {result.Training.SelectionMetric} = {result.Training.BestMetric:F3}");
        sb.AppendLine(inv, $"- test (chromosome IV): mean Pearson {result.Test.Metrics.MeanPearson:F3}, mean Spearman {result.Test.Metrics.MeanSpearman:F3}");
        sb.AppendLine(inv, $"- wall time {result.Elapsed.TotalMinutes:F1} min");
        sb.AppendLine();
        sb.AppendLine("| treatment | genes | Pearson | Spearman |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var row in result.Test.Metrics.Rows)
        {
            sb.AppendLine(inv, $"| {row.Treatment} | {row.Count} | {TreatmentMetrics.Format(row.Pearson)} | {TreatmentMetrics.Format(row.Spearman)} |");
        }
        return sb.ToString();
    }
}
