namespace Promptor.Nn.Init;

/// <summary>The activation following a layer, for <see cref="Initializers.CalculateGain"/>.</summary>
public enum Nonlinearity
{
    /// <summary>No activation (also convolutions): gain 1.</summary>
    Linear,

    /// <summary>Sigmoid: gain 1.</summary>
    Sigmoid,

    /// <summary>Tanh: gain 5/3.</summary>
    Tanh,

    /// <summary>ReLU: gain √2.</summary>
    Relu,

    /// <summary>Leaky ReLU with negative slope <c>a</c>: gain √(2 / (1 + a²)).</summary>
    LeakyRelu,

    /// <summary>SELU: gain 3/4.</summary>
    Selu,
}
