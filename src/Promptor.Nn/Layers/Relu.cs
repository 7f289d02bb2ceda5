using Promptor.Tensors;

namespace Promptor.Nn.Layers;

/// <summary>Element-wise <c>max(x, 0)</c>, any shape; no parameters.</summary>
public sealed class Relu : Module, IModule
{
    /// <summary>Applies ReLU to <paramref name="input"/> (same shape out).</summary>
    public Tensor Forward(Tensor input) => input.Relu();
}
