namespace Promptor.Nn.Layers;

/// <summary>
/// An indexed list of child modules named <c>"0"</c>, <c>"1"</c>, … (PyTorch's <c>nn.ModuleList</c>),
/// so stacked layers get the parameter names <c>layers.0.…</c>.
/// </summary>
/// <typeparam name="T">The module type held.</typeparam>
public sealed class ModuleList<T> : Module
    where T : Module
{
    private readonly List<T> items = [];

    /// <summary>Creates the list from <paramref name="modules"/>.</summary>
    public ModuleList(IEnumerable<T> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules)
        {
            items.Add(RegisterModule(items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), m));
        }
    }

    /// <summary>Number of modules.</summary>
    public int Count => items.Count;

    /// <summary>The module at <paramref name="index"/>.</summary>
    public T this[int index] => items[index];

    /// <summary>The modules in order.</summary>
    public IReadOnlyList<T> Items => items;
}
