namespace Promptor.Nn.Optim;

/// <summary>Settings of <see cref="Sgd"/> (PyTorch's defaults: plain SGD).</summary>
public sealed record SgdOptions : OptimizerOptions
{
    /// <summary>Momentum factor μ ≥ 0 (default 0: no momentum buffer).</summary>
    public double Momentum { get; init; }

    /// <summary>Dampening d of the gradient added to the buffer, <c>buf = μ·buf + (1 − d)·g</c> (default 0).</summary>
    public double Dampening { get; init; }

    /// <summary>Nesterov momentum: step with <c>g + μ·buf</c> instead of <c>buf</c> (default false; needs μ &gt; 0 and d = 0).</summary>
    public bool Nesterov { get; init; }

    /// <inheritdoc/>
    public override void Validate()
    {
        if (!(Momentum >= 0 && double.IsFinite(Momentum)))
        {
            throw new ArgumentException($"SGD momentum must be finite and ≥ 0, got {Momentum}.");
        }
        if (!(Dampening >= 0 && Dampening <= 1))
        {
            throw new ArgumentException($"SGD dampening must be in [0, 1], got {Dampening}.");
        }
        if (Nesterov && (Momentum <= 0 || Dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum needs momentum > 0 and dampening 0.");
        }
    }
}
