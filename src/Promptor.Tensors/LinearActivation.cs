namespace Promptor.Tensors;

/// <summary>The activation a fused linear map applies to its result (<see cref="Ops.LinearInference"/>).</summary>
public enum LinearActivation
{
    /// <summary>No activation: the affine map alone.</summary>
    None,

    /// <summary><c>max(y, 0)</c>.</summary>
    Relu,

    /// <summary>The exact (erf) GELU <c>y·Φ(y)</c>, as <see cref="Ops.Gelu"/> without the tanh approximation.</summary>
    Gelu,
}
