namespace Promptor.Nn.Init;

/// <summary>Which fan Kaiming initialisation preserves the variance of.</summary>
public enum FanMode
{
    /// <summary>Preserve the variance of activations in the forward pass (PyTorch's default, <c>fan_in</c>).</summary>
    FanIn,

    /// <summary>Preserve the variance of gradients in the backward pass (<c>fan_out</c>).</summary>
    FanOut,
}
