using Promptor.Tensors;

namespace Promptor.Nn;

/// <summary>
/// A trainable tensor owned by a <see cref="Module"/>. It is created with
/// <see cref="Tensor.RequiresGrad"/> set, so every forward pass that uses it records the gradient.
/// Setting <see cref="Tensor.RequiresGrad"/> to false afterwards freezes it, as in PyTorch:
/// optimizers skip parameters that have no gradient.
/// </summary>
public sealed class Parameter : Tensor
{
    /// <summary>A zero-filled parameter of <paramref name="shape"/>.</summary>
    public Parameter(Shape shape)
        : base(shape, requiresGrad: true)
    {
    }

    /// <summary>Wraps <paramref name="data"/> (not copied) as a parameter of <paramref name="shape"/>.</summary>
    public Parameter(Shape shape, float[] data)
        : base(shape, data, requiresGrad: true)
    {
    }

    /// <summary>A parameter sharing the values (not a copy) of <paramref name="values"/>, cut from any graph.</summary>
    public Parameter(Tensor values)
        : base(ValidShape(values), values.Data, requiresGrad: true)
    {
    }

    private static Shape ValidShape(Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Shape;
    }
}
