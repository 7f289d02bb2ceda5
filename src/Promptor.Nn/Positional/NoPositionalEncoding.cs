using Promptor.Tensors;

namespace Promptor.Nn.Positional;

/// <summary>
/// The identity: no absolute positions. Attention over such inputs is permutation-equivariant
/// (permuting the tokens permutes the outputs), so use it with relative positions or when order
/// should not matter. No parameters.
/// </summary>
public sealed class NoPositionalEncoding : PositionalEncoding
{
    /// <summary>Returns <paramref name="input"/> itself (any shape; <paramref name="offset"/> must be ≥ 0).</summary>
    public override Tensor Forward(Tensor input, int offset)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return input;
    }
}
