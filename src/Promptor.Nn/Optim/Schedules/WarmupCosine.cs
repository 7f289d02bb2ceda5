namespace Promptor.Nn.Optim.Schedules;

/// <summary>
/// Linear warm-up from 0, then cosine decay to a floor (nanoGPT, Hugging Face's
/// <c>get_cosine_schedule_with_warmup</c> with a minimum):
/// <c>s/W</c> for <c>s &lt; W</c>; then with <c>progress = min(1, (s − W)/(T − W))</c>,
/// <c>r + (1 − r)·½(1 + cos(π·progress))</c>, staying at <c>r</c> from step T on.
/// With W &gt; 0 the first step (s = 0) has learning rate 0.
/// </summary>
public sealed class WarmupCosine : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="warmupSteps">Warm-up length W (≥ 0).</param>
    /// <param name="totalSteps">Step T at which the floor is reached (≥ W).</param>
    /// <param name="minRatio">Floor r as a fraction of the base learning rate, in [0, 1] (default 0).</param>
    public WarmupCosine(long warmupSteps, long totalSteps, double minRatio = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        if (totalSteps < warmupSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, $"Total steps must be ≥ the warm-up steps ({warmupSteps}).");
        }
        if (!(minRatio >= 0 && minRatio <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(minRatio), minRatio, "The minimum ratio must be in [0, 1].");
        }
        WarmupSteps = warmupSteps;
        TotalSteps = totalSteps;
        MinRatio = minRatio;
    }

    /// <summary>Warm-up length W.</summary>
    public long WarmupSteps { get; }

    /// <summary>Step T where the cosine reaches the floor.</summary>
    public long TotalSteps { get; }

    /// <summary>Floor r as a fraction of the base learning rate.</summary>
    public double MinRatio { get; }

    /// <inheritdoc/>
    public double Multiplier(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < WarmupSteps)
        {
            return (double)step / WarmupSteps;
        }
        long decaySteps = TotalSteps - WarmupSteps;
        double progress = decaySteps == 0 ? 1 : Math.Min(1.0, (double)(step - WarmupSteps) / decaySteps);
        return MinRatio + (1 - MinRatio) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
