using System.Globalization;
using Promptor.Tensors;

namespace Promptor.Nn.Layers;

/// <summary>
/// Runs single-input modules one after another. Children are named <c>"0"</c>, <c>"1"</c>, … as in
/// PyTorch's <c>nn.Sequential</c>, or by the names given (<c>"fc1"</c>, <c>"act"</c>), which then
/// prefix the parameter names (<c>"fc1.weight"</c>).
/// </summary>
public sealed class Sequential : Module, IModule
{
    private readonly List<IModule> layers = [];

    /// <summary>An empty chain (the identity).</summary>
    public Sequential()
    {
    }

    /// <summary>Chains <paramref name="modules"/>, named by position; each must implement <see cref="IModule"/>.</summary>
    public Sequential(params Module[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules)
        {
            Add(layers.Count.ToString(CultureInfo.InvariantCulture), m);
        }
    }

    /// <summary>Chains named modules; each must implement <see cref="IModule"/>.</summary>
    public Sequential(params (string Name, Module Module)[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var (name, m) in modules)
        {
            Add(name, m);
        }
    }

    /// <summary>Number of layers.</summary>
    public int Count => layers.Count;

    /// <summary>The layer at <paramref name="index"/>.</summary>
    public Module this[int index] => (Module)layers[index];

    private void Add(string name, Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (module is not IModule layer)
        {
            throw new ArgumentException($"Sequential needs single-input modules (IModule); {module.GetType().Name} ('{name}') is not one.", nameof(module));
        }
        RegisterModule(name, module);
        layers.Add(layer);
    }

    /// <summary>Feeds <paramref name="input"/> through every layer in order; an empty chain returns its input.</summary>
    public Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in layers)
        {
            x = layer.Forward(x);
        }
        return x;
    }
}
