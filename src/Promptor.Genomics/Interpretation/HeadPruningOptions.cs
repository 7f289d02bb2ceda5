namespace Promptor.Genomics.Interpretation;

/// <summary>Options of <see cref="HeadPruning.Curve"/>.</summary>
public sealed record HeadPruningOptions
{
    /// <summary>Fraction of all heads removed per step (at least one head). Default 0.1.</summary>
    public double StepFraction { get; init; } = 0.1;

    /// <summary>Stop once this fraction of heads is removed. Default 1 (every head).</summary>
    public double MaxFraction { get; init; } = 1.0;

    /// <summary>Re-estimate importance with the current gates before every step (Michel et al.'s iterative pruning). Default true.</summary>
    public bool Reestimate { get; init; } = true;

    /// <summary>How importance is measured. Default <see cref="HeadImportanceOptions"/> without per-treatment scores.</summary>
    public HeadImportanceOptions Importance { get; init; } = new() { PerTreatment = false };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (!(StepFraction > 0 && StepFraction <= 1))
        {
            throw new ArgumentException($"The step fraction must lie in (0, 1], got {StepFraction}.");
        }
        if (!(MaxFraction > 0 && MaxFraction <= 1))
        {
            throw new ArgumentException($"The maximum fraction must lie in (0, 1], got {MaxFraction}.");
        }
        ArgumentNullException.ThrowIfNull(Importance);
        Importance.Validate();
    }
}
