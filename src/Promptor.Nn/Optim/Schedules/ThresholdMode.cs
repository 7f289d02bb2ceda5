namespace Promptor.Nn.Optim.Schedules;

/// <summary>How <see cref="ReduceOnPlateau"/> decides that a metric improved on the best so far.</summary>
public enum ThresholdMode
{
    /// <summary>Relative: better than <c>best·(1 ∓ threshold)</c> (PyTorch's default, <c>rel</c>).</summary>
    Relative,

    /// <summary>Absolute: better than <c>best ∓ threshold</c> (<c>abs</c>).</summary>
    Absolute,
}
