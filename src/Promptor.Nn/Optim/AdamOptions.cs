namespace Promptor.Nn.Optim;

/// <summary>Settings of <see cref="Adam"/> and <see cref="AdamW"/> (PyTorch's defaults).</summary>
public sealed record AdamOptions : OptimizerOptions
{
    /// <summary>Decay of the first-moment average, in [0, 1) (default 0.9).</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Decay of the second-moment average, in [0, 1) (default 0.999).</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Added to √v̂ after bias correction (default 1e-8).</summary>
    public double Eps { get; init; } = 1e-8;

    /// <inheritdoc/>
    public override void Validate()
    {
        if (!(Beta1 >= 0 && Beta1 < 1) || !(Beta2 >= 0 && Beta2 < 1))
        {
            throw new ArgumentException($"Adam betas must be in [0, 1), got ({Beta1}, {Beta2}).");
        }
        if (!(Eps >= 0 && double.IsFinite(Eps)))
        {
            throw new ArgumentException($"Adam eps must be finite and ≥ 0, got {Eps}.");
        }
    }
}
