using System.Globalization;

namespace Promptor.Genomics.Training;

/// <summary>
/// A progress reporter for logs and redirected output: one line when training starts, one line per
/// epoch (and a step line every <see cref="TrainerOptions.LogInterval"/> steps when set), one at the
/// end. Use <see cref="IsTerminal"/> to choose between it and an interactive progress bar.
/// </summary>
public sealed class PlainTextProgress : ITrainingProgress
{
    private readonly TextWriter writer;

    /// <summary>Writes to <paramref name="writer"/> (e.g. <see cref="Console.Out"/>).</summary>
    public PlainTextProgress(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        this.writer = writer;
    }

    /// <summary>True when standard output is an interactive terminal (not redirected to a file or pipe).</summary>
    public static bool IsTerminal => !Console.IsOutputRedirected;

    /// <inheritdoc/>
    public void Started(TrainingStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        writer.WriteLine(Invariant($"{(start.Resumed ? $"resuming at epoch {start.FirstEpoch}" : "training")}: {start.TrainGenes:N0} train / {start.ValidationGenes:N0} validation genes, {start.ParameterCount:N0} parameters, {start.Epochs} epochs × {start.StepsPerEpoch} steps"));
        writer.Flush();
    }

    /// <inheritdoc/>
    public void Step(StepProgress step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (step.IsLogStep)
        {
            writer.WriteLine(Invariant($"  step {step.Step}/{step.TotalSteps}  epoch {step.Epoch} batch {step.Batch}/{step.BatchesPerEpoch}  loss {step.Loss:F4}  lr {step.LearningRate:0.00e+00}  eta {Duration(step.EstimatedRemaining)}"));
            writer.Flush();
        }
    }

    /// <inheritdoc/>
    public void EpochCompleted(EpochSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var r = summary.Record;
        string auc = double.IsNaN(r.ValidationAuroc) ? "" : Invariant($"  auroc {r.ValidationAuroc:F3}  aupr {r.ValidationAupr:F3}");
        string mark = r.Improved ? " *" : "";
        string stop = summary.StoppingEarly ? Invariant($"  (no improvement for {summary.EpochsWithoutImprovement} epochs: stopping)") : "";
        writer.WriteLine(Invariant($"epoch {r.Epoch}/{summary.Epochs}  step {r.Step}  lr {r.LearningRate:0.00e+00}  train {r.TrainLoss:F4}  val {F(r.ValidationLoss)}  r {F(r.ValidationPearson)}  rho {F(r.ValidationSpearman)}{auc}  {r.Seconds:F1}s  eta {Duration(summary.EstimatedRemaining)}{mark}{stop}"));
        writer.Flush();
    }

    /// <inheritdoc/>
    public void Completed(TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        writer.WriteLine(Invariant($"done after {result.EpochsCompleted} epochs{(result.StoppedEarly ? " (stopped early)" : "")}; best epoch {result.BestEpoch} with validation {result.SelectionMetric} {F(result.BestMetric)}"));
        var undefined = result.BestValidation.Undefined;
        if (undefined.Count > 0 && undefined.Count < result.BestValidation.Rows.Count)
        {
            writer.WriteLine(Invariant($"no validation Pearson (fewer than {Metrics.MinimumCount} observed genes or constant values) for: {string.Join(", ", undefined)}"));
        }
        writer.Flush();
    }

    private static string F(double value) => double.IsNaN(value) ? "NA" : value.ToString("F4", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan t) => t.TotalHours >= 1
        ? Invariant($"{(int)t.TotalHours}h{t.Minutes:00}m")
        : Invariant($"{t.Minutes}m{t.Seconds:00}s");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
