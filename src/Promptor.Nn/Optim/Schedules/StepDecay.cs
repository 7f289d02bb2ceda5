namespace Promptor.Nn.Optim.Schedules;

/// <summary>
/// Multiplies the learning rate by <c>gamma</c> every <c>stepSize</c> steps (PyTorch's <c>StepLR</c>):
/// <c>multiplier(s) = gamma^⌊s / stepSize⌋</c>.
/// </summary>
public sealed class StepDecay : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="stepSize">Steps between decays (≥ 1).</param>
    /// <param name="gamma">Decay factor (finite, ≥ 0; default 0.1).</param>
    public StepDecay(long stepSize, double gamma = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        if (!(gamma >= 0 && double.IsFinite(gamma)))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Gamma must be finite and ≥ 0.");
        }
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>Steps between decays.</summary>
    public long StepSize { get; }

    /// <summary>Decay factor.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public double Multiplier(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return Math.Pow(Gamma, step / StepSize);
    }
}
