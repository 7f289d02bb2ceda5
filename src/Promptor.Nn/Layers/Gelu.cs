using Promptor.Tensors;

namespace Promptor.Nn.Layers;

/// <summary>
/// Element-wise GELU, any shape; no parameters. Exact (erf) by default, or PyTorch's
/// <c>approximate="tanh"</c> form.
/// </summary>
public sealed class Gelu : Module, IModule
{
    /// <summary>Creates the activation; <paramref name="approximateTanh"/> selects the tanh approximation (default false: erf).</summary>
    public Gelu(bool approximateTanh = false) => ApproximateTanh = approximateTanh;

    /// <summary>True for the tanh approximation, false for the exact erf form.</summary>
    public bool ApproximateTanh { get; }

    /// <summary>Applies GELU to <paramref name="input"/> (same shape out).</summary>
    public Tensor Forward(Tensor input) => input.Gelu(ApproximateTanh);

    /// <inheritdoc/>
    protected override string ExtraRepresentation => ApproximateTanh ? "approximate=tanh" : "";
}
