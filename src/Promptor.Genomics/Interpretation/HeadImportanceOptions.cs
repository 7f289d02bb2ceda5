namespace Promptor.Genomics.Interpretation;

/// <summary>Options of <see cref="HeadImportance"/>.</summary>
public sealed record HeadImportanceOptions
{
    /// <summary>Genes per gradient; the expectation of |∂L/∂ξ| is taken over these batches. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Also measure the importance of the treatment-side heads for each treatment's loss alone. Default true.</summary>
    public bool PerTreatment { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> on a non-positive batch size.</summary>
    public void Validate()
    {
        if (BatchSize < 1)
        {
            throw new ArgumentException($"The batch size must be positive, got {BatchSize}.");
        }
    }
}
