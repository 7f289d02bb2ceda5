using System.Globalization;

namespace Promptor.Nn.Optim.Schedules;

/// <summary>
/// Reduces the learning rate when a metric stops improving (PyTorch's <c>ReduceLROnPlateau</c>),
/// as a multiplier of each group's base learning rate. Feed it one metric per epoch with
/// <see cref="Report"/>: when the metric has not improved on the best for more than
/// <c>patience</c> reports, the multiplier is multiplied by <c>factor</c> (floored at
/// <c>minRatio</c>) and the next <c>cooldown</c> reports are not counted as bad.
/// <see cref="Multiplier"/> returns the current multiplier whatever the step, so it can be applied
/// with <see cref="LearningRateScheduleExtensions.Apply"/> like the other schedules.
/// Differences from PyTorch: the floor is a fraction of the base learning rate (PyTorch's
/// <c>min_lr</c> is absolute; with one base rate, <c>min_lr = minRatio × base</c>), and there is no
/// <c>eps</c> for ignoring tiny reductions. A NaN metric counts as no improvement.
/// </summary>
public sealed class ReduceOnPlateau : ILearningRateSchedule
{
    /// <summary>Creates the schedule (defaults as PyTorch).</summary>
    /// <param name="mode">Whether lower (default) or higher metrics are better.</param>
    /// <param name="factor">Reduction factor, in (0, 1) (default 0.1).</param>
    /// <param name="patience">Reports without improvement tolerated before reducing (≥ 0; default 10).</param>
    /// <param name="threshold">Minimum significant improvement (≥ 0; default 1e-4).</param>
    /// <param name="thresholdMode">Relative (default) or absolute threshold.</param>
    /// <param name="cooldown">Reports to wait after a reduction before counting bad reports again (≥ 0; default 0).</param>
    /// <param name="minRatio">Lowest multiplier, in [0, 1] (default 0).</param>
    public ReduceOnPlateau(PlateauMode mode = PlateauMode.Min, double factor = 0.1, int patience = 10,
        double threshold = 1e-4, ThresholdMode thresholdMode = ThresholdMode.Relative, int cooldown = 0, double minRatio = 0)
    {
        if (!(factor > 0 && factor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be in (0, 1).");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        if (!(threshold >= 0 && double.IsFinite(threshold)))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be finite and ≥ 0.");
        }
        if (!(minRatio >= 0 && minRatio <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(minRatio), minRatio, "The minimum ratio must be in [0, 1].");
        }
        if (!Enum.IsDefined(mode) || !Enum.IsDefined(thresholdMode))
        {
            throw new ArgumentException("Unknown plateau or threshold mode.");
        }
        Mode = mode;
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        ThresholdMode = thresholdMode;
        Cooldown = cooldown;
        MinRatio = minRatio;
        Best = mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity;
    }

    /// <summary>Whether lower or higher is better.</summary>
    public PlateauMode Mode { get; }

    /// <summary>Reduction factor.</summary>
    public double Factor { get; }

    /// <summary>Bad reports tolerated before reducing.</summary>
    public int Patience { get; }

    /// <summary>Minimum significant improvement.</summary>
    public double Threshold { get; }

    /// <summary>Relative or absolute threshold.</summary>
    public ThresholdMode ThresholdMode { get; }

    /// <summary>Reports ignored after a reduction.</summary>
    public int Cooldown { get; }

    /// <summary>Lowest multiplier.</summary>
    public double MinRatio { get; }

    /// <summary>The current multiplier (1 until the first reduction).</summary>
    public double CurrentMultiplier { get; private set; } = 1;

    /// <summary>The best metric so far (±∞ before the first report).</summary>
    public double Best { get; private set; }

    /// <summary>Consecutive reports without improvement (outside cooldown).</summary>
    public int BadReports { get; private set; }

    /// <summary>Reports of cooldown left.</summary>
    public int CooldownLeft { get; private set; }

    /// <summary>Number of reductions so far.</summary>
    public int Reductions { get; private set; }

    /// <inheritdoc/>
    public double Multiplier(long step) => CurrentMultiplier;

    /// <summary>Records one metric (once per epoch); returns true when this report reduced the multiplier.</summary>
    public bool Report(double metric)
    {
        if (IsBetter(metric))
        {
            Best = metric;
            BadReports = 0;
        }
        else
        {
            BadReports++;
        }
        if (CooldownLeft > 0)
        {
            CooldownLeft--;
            BadReports = 0;
        }
        if (BadReports > Patience)
        {
            double next = Math.Max(CurrentMultiplier * Factor, MinRatio);
            bool reduced = next < CurrentMultiplier;
            CurrentMultiplier = next;
            CooldownLeft = Cooldown;
            BadReports = 0;
            if (reduced)
            {
                Reductions++;
            }
            return reduced;
        }
        return false;
    }

    private bool IsBetter(double metric) => (Mode, ThresholdMode) switch
    {
        (PlateauMode.Min, ThresholdMode.Relative) => metric < Best * (1 - Threshold),
        (PlateauMode.Min, ThresholdMode.Absolute) => metric < Best - Threshold,
        (PlateauMode.Max, ThresholdMode.Relative) => metric > Best * (1 + Threshold),
        _ => metric > Best + Threshold,
    };

    /// <summary>The mutable state (multiplier, best, counters) for checkpoints, with invariant-culture values.</summary>
    public Dictionary<string, string> GetState() => new(StringComparer.Ordinal)
    {
        ["multiplier"] = CurrentMultiplier.ToString("R", CultureInfo.InvariantCulture),
        ["best"] = Best.ToString("R", CultureInfo.InvariantCulture),
        ["bad_reports"] = BadReports.ToString(CultureInfo.InvariantCulture),
        ["cooldown_left"] = CooldownLeft.ToString(CultureInfo.InvariantCulture),
        ["reductions"] = Reductions.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Restores a state from <see cref="GetState"/>; all five entries are required and checked before any is applied.</summary>
    /// <exception cref="ArgumentException">An entry is missing or malformed.</exception>
    public void LoadState(IReadOnlyDictionary<string, string> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        double multiplier = ParseDouble("multiplier");
        double best = ParseDouble("best");
        int bad = ParseInt("bad_reports"), cooldownLeft = ParseInt("cooldown_left"), reductions = ParseInt("reductions");
        if (!(multiplier >= 0 && multiplier <= 1))
        {
            throw new ArgumentException($"ReduceOnPlateau state 'multiplier' = {multiplier} is outside [0, 1].", nameof(state));
        }
        CurrentMultiplier = multiplier;
        Best = best;
        BadReports = bad;
        CooldownLeft = cooldownLeft;
        Reductions = reductions;

        string Get(string key) => state.TryGetValue(key, out var s) && s is not null
            ? s
            : throw new ArgumentException($"ReduceOnPlateau state lacks '{key}'.", nameof(state));

        double ParseDouble(string key) => double.TryParse(Get(key), NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new ArgumentException($"ReduceOnPlateau state '{key}' is not a number.", nameof(state));

        int ParseInt(string key) => int.TryParse(Get(key), NumberStyles.None, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new ArgumentException($"ReduceOnPlateau state '{key}' is not a non-negative integer.", nameof(state));
    }
}
