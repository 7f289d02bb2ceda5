using System.Globalization;
using Promptor.Genomics.Training;

namespace Promptor.Cli;

/// <summary>
/// Training progress for a terminal: one line redrawn in place with epoch, batch, loss and ETA,
/// and a permanent line per epoch. When output is redirected, <see cref="Create"/> returns the
/// plain one-line-per-epoch reporter instead.
/// </summary>
public sealed class ConsoleProgress : ITrainingProgress
{
    private readonly TextWriter writer;
    private readonly PlainTextProgress lines;
    private DateTime lastDraw = DateTime.MinValue;

    private ConsoleProgress(TextWriter writer)
    {
        this.writer = writer;
        lines = new PlainTextProgress(writer);
    }

    /// <summary>A bar on a terminal, plain lines otherwise.</summary>
    public static ITrainingProgress Create(TextWriter writer, bool isTerminal)
        => isTerminal ? new ConsoleProgress(writer) : new PlainTextProgress(writer);

    /// <inheritdoc/>
    public void Started(TrainingStart start) => lines.Started(start);

    /// <inheritdoc/>
    public void Step(StepProgress step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var now = DateTime.UtcNow;
        if ((now - lastDraw).TotalMilliseconds < 200 && step.Batch != step.BatchesPerEpoch)
        {
            return;
        }
        lastDraw = now;
        const int width = 24;
        int filled = (int)Math.Round(width * (double)step.Batch / Math.Max(1, step.BatchesPerEpoch));
        string bar = new string('#', filled) + new string('.', width - filled);
        writer.Write(string.Create(CultureInfo.InvariantCulture,
            $"\repoch {step.Epoch}/{step.Epochs} [{bar}] {step.Batch}/{step.BatchesPerEpoch} loss {step.Loss:F4} ETA {Format(step.EstimatedRemaining)}   "));
    }

    /// <inheritdoc/>
    public void EpochCompleted(EpochSummary summary)
    {
        writer.Write("\r" + new string(' ', 90) + "\r");
        lines.EpochCompleted(summary);
    }

    /// <inheritdoc/>
    public void Completed(TrainingResult result) => lines.Completed(result);

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
