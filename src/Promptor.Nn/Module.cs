using System.Text;
using Promptor.Tensors;

namespace Promptor.Nn;

/// <summary>
/// Base class of every layer and model. A module registers its parameters, buffers and child
/// modules by name in its constructor (<see cref="RegisterParameter"/>, <see cref="RegisterBuffer"/>,
/// <see cref="RegisterModule{T}"/>); everything else — dotted names (<c>"fc1.weight"</c>), state
/// dicts, train/eval mode, gradient reset — walks that registry, in registration order, the way
/// PyTorch's <c>nn.Module</c> does. Forward passes are not part of this class: single-input modules
/// implement <see cref="IModule"/>, conditioned ones <see cref="IContextModule"/>, and others
/// (embeddings, models with several inputs) define their own typed <c>Forward</c>.
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Parameter Value)> parameters = [];
    private readonly List<(string Name, Tensor Value, bool Persistent)> buffers = [];
    private readonly List<(string Name, Module Value)> children = [];
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    /// <summary>True in training mode (the default), false after <see cref="Eval"/>.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Total number of trainable values (shared parameters counted once).</summary>
    public long ParameterCount => Parameters().Sum(p => (long)p.Size);

    /// <summary>Registers <paramref name="parameter"/> under <paramref name="name"/> (no dots) and returns it.</summary>
    protected Parameter RegisterParameter(string name, Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        Claim(name);
        parameters.Add((name, parameter));
        return parameter;
    }

    /// <summary>
    /// Registers a non-trainable tensor (running statistics, fixed encodings) under
    /// <paramref name="name"/> and returns it. Persistent buffers are part of <see cref="StateDict"/>
    /// and therefore of checkpoints; non-persistent ones (caches that can be recomputed) are not.
    /// Update buffers in place so the registered tensor stays the one the module uses.
    /// </summary>
    protected Tensor RegisterBuffer(string name, Tensor buffer, bool persistent = true)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        Claim(name);
        buffers.Add((name, buffer, persistent));
        return buffer;
    }

    /// <summary>Registers <paramref name="module"/> as a child under <paramref name="name"/> and returns it.</summary>
    protected T RegisterModule<T>(string name, T module)
        where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        if (ReferenceEquals(module, this))
        {
            throw new ArgumentException($"{GetType().Name} cannot be its own child.", nameof(module));
        }
        Claim(name);
        children.Add((name, module));
        module.Train(IsTraining);
        return module;
    }

    private void Claim(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Module member name '{name}' must not contain '.'.", nameof(name));
        }
        if (!names.Add(name))
        {
            throw new ArgumentException($"{GetType().Name} already has a member named '{name}'.", nameof(name));
        }
    }

    /// <summary>The direct children, in registration order.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => children.Select(c => (c.Name, c.Value));

    /// <summary>
    /// This module (name <c>""</c>) and all descendants, pre-order, with dotted names
    /// (<c>"encoder.0"</c>). A module reachable by two paths is listed once, under the first.
    /// </summary>
    public IEnumerable<(string Name, Module Module)> NamedModules()
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        return Walk(this, "", seen);

        static IEnumerable<(string, Module)> Walk(Module m, string prefix, HashSet<Module> seen)
        {
            if (!seen.Add(m))
            {
                yield break;
            }
            yield return (prefix, m);
            foreach (var (name, child) in m.children)
            {
                foreach (var item in Walk(child, Join(prefix, name), seen))
                {
                    yield return item;
                }
            }
        }
    }

    /// <summary>
    /// Every parameter with its dotted name (<c>"fc1.weight"</c>): a module's own parameters in
    /// registration order, then its children's, recursively (PyTorch's order). A parameter shared
    /// by several modules is listed once, under its first name.
    /// </summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters()
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, m) in NamedModules())
        {
            foreach (var (name, p) in m.parameters)
            {
                if (seen.Add(p))
                {
                    yield return (Join(prefix, name), p);
                }
            }
        }
    }

    /// <summary>The parameters of <see cref="NamedParameters"/>, without names.</summary>
    public IEnumerable<Parameter> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Every buffer (persistent or not) with its dotted name, in the order of <see cref="NamedParameters"/>.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers()
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, m) in NamedModules())
        {
            foreach (var (name, b, _) in m.buffers)
            {
                if (seen.Add(b))
                {
                    yield return (Join(prefix, name), b);
                }
            }
        }
    }

    /// <summary>
    /// Parameters and persistent buffers by dotted name: per module its parameters, then its
    /// buffers, then its children (PyTorch's <c>state_dict</c> order and names). The values are
    /// the module's live tensors, not copies; <see cref="Tensor.Clone"/> them for a snapshot.
    /// Shared tensors appear under every name, as in PyTorch.
    /// </summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var dict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        Collect(this, "", dict, new HashSet<Module>(ReferenceEqualityComparer.Instance));
        return dict;

        static void Collect(Module m, string prefix, Dictionary<string, Tensor> dict, HashSet<Module> path)
        {
            if (!path.Add(m))
            {
                throw new InvalidOperationException($"Module tree has a cycle at '{prefix}'.");
            }
            foreach (var (name, p) in m.parameters)
            {
                dict[Join(prefix, name)] = p;
            }
            foreach (var (name, b, persistent) in m.buffers)
            {
                if (persistent)
                {
                    dict[Join(prefix, name)] = b;
                }
            }
            foreach (var (name, child) in m.children)
            {
                Collect(child, Join(prefix, name), dict, path);
            }
            path.Remove(m);
        }
    }

    /// <summary>
    /// Copies values from <paramref name="stateDict"/> into this module's parameters and persistent
    /// buffers, matched by dotted name. Everything is checked before anything is copied, so a
    /// failed load leaves the module unchanged. A shape mismatch always throws; names missing from
    /// the dict or not known to the module throw when <paramref name="strict"/> (default) and are
    /// reported in the result otherwise. The dict's tensors are copied, never aliased.
    /// </summary>
    /// <exception cref="StateDictMismatchException">Shapes differ, or names differ under <paramref name="strict"/>.</exception>
    public LoadStateDictResult LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var own = StateDict();
        var missing = own.Keys.Where(k => !stateDict.ContainsKey(k)).ToList();
        var unexpected = stateDict.Keys.Where(k => !own.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var mismatched = new List<string>();
        foreach (var (name, target) in own)
        {
            if (stateDict.TryGetValue(name, out var source))
            {
                if (source is null)
                {
                    mismatched.Add($"{name}: null tensor");
                }
                else if (source.Shape != target.Shape)
                {
                    mismatched.Add($"{name}: checkpoint {source.Shape}, module {target.Shape}");
                }
            }
        }
        if (mismatched.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
        {
            throw new StateDictMismatchException(GetType().Name, missing, unexpected, mismatched);
        }
        foreach (var (name, target) in own)
        {
            if (stateDict.TryGetValue(name, out var source) && !ReferenceEquals(source.Data, target.Data))
            {
                source.Data.AsSpan().CopyTo(target.Data);
            }
        }
        return new LoadStateDictResult(missing, unexpected);
    }

    /// <summary>Sets training mode on this module and all descendants; returns this module.</summary>
    public Module Train(bool mode = true)
    {
        foreach (var (_, m) in NamedModules())
        {
            m.IsTraining = mode;
        }
        return this;
    }

    /// <summary>Sets evaluation mode (<c>Train(false)</c>) on this module and all descendants; returns this module.</summary>
    public Module Eval() => Train(false);

    /// <summary>Drops the gradients of all parameters (PyTorch's <c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters())
        {
            p.ZeroGrad();
        }
    }

    /// <summary>Calls <paramref name="action"/> on every descendant and then on this module (PyTorch's <c>apply</c>, used for custom initialisation).</summary>
    public Module Apply(Action<Module> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        foreach (var (_, child) in children)
        {
            child.Apply(action);
        }
        action(this);
        return this;
    }

    /// <summary>The settings shown between the parentheses of <see cref="ToString"/>, e.g. <c>in=8, out=16, bias=true</c>.</summary>
    protected virtual string ExtraRepresentation => "";

    /// <summary>A PyTorch-style tree of the module and its children.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Append(sb, 0);
        return sb.ToString();
    }

    private void Append(StringBuilder sb, int indent)
    {
        sb.Append(GetType().Name).Append('(').Append(ExtraRepresentation);
        if (children.Count > 0)
        {
            sb.Append('\n');
            foreach (var (name, child) in children)
            {
                sb.Append(' ', indent + 2).Append('(').Append(name).Append("): ");
                child.Append(sb, indent + 2);
                sb.Append('\n');
            }
            sb.Append(' ', indent);
        }
        sb.Append(')');
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;
}
