using Promptor.Tensors;

namespace Promptor.Nn;

/// <summary>
/// A module with one tensor in and one tensor out (layers, activations, blocks). This is what
/// <see cref="Layers.Sequential"/> chains and what interpretation code calls as a
/// <c>Func&lt;Tensor, Tensor&gt;</c> (<c>module.Forward</c>). Modules with a second input implement
/// <see cref="IContextModule"/>; modules may implement both, and may add richer overloads.
/// </summary>
public interface IModule
{
    /// <summary>Runs the module on <paramref name="input"/>; shapes are documented by each module.</summary>
    Tensor Forward(Tensor input);
}
