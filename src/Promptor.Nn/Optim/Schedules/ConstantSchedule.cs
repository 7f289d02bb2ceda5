namespace Promptor.Nn.Optim.Schedules;

/// <summary>The same multiplier at every step (default 1: each group keeps its base learning rate).</summary>
public sealed class ConstantSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule with <paramref name="multiplier"/> (finite, ≥ 0; default 1).</summary>
    public ConstantSchedule(double multiplier = 1)
    {
        if (!(multiplier >= 0 && double.IsFinite(multiplier)))
        {
            throw new ArgumentOutOfRangeException(nameof(multiplier), multiplier, "The multiplier must be finite and ≥ 0.");
        }
        Value = multiplier;
    }

    /// <summary>The multiplier.</summary>
    public double Value { get; }

    /// <inheritdoc/>
    public double Multiplier(long step) => Value;
}
