using Promptor.Tensors;

namespace Promptor.Nn;

/// <summary>
/// A module that reads a second tensor besides its input, such as cross-attention
/// (<c>Forward(x, context)</c>: queries from <c>x</c>, keys and values from <c>context</c>) or
/// FiLM-style conditioning. Masks and options belong in the implementing module's own overloads.
/// </summary>
public interface IContextModule
{
    /// <summary>Runs the module on <paramref name="input"/> conditioned on <paramref name="context"/>.</summary>
    Tensor Forward(Tensor input, Tensor context);
}
