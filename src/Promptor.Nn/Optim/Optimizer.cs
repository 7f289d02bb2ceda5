using System.Globalization;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Nn.Optim;

/// <summary>
/// Base of the optimizers: parameter groups with their own learning rate, weight decay and
/// options; <see cref="Step"/> updates every parameter that has a gradient (others are skipped and
/// keep their state, as in PyTorch); state is created lazily per parameter and can be saved and
/// restored with <see cref="GetState"/> / <see cref="LoadState"/>.
/// </summary>
public abstract class Optimizer
{
    private readonly OptimizerGroup[] groups;
    private readonly Tensor[] parameters;
    private readonly ParameterState?[] states;

    /// <summary>Resolves <paramref name="groups"/> against the optimizer's defaults and checks them.</summary>
    /// <param name="groups">The parameter groups (at least one; a parameter may appear in one group only).</param>
    /// <param name="learningRate">Default learning rate (finite, ≥ 0).</param>
    /// <param name="weightDecay">Default weight decay (finite, ≥ 0).</param>
    /// <param name="defaults">Default optimizer-specific settings; group options must have the same type.</param>
    protected Optimizer(IEnumerable<ParamGroup> groups, double learningRate, double weightDecay, OptimizerOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(defaults);
        defaults.Validate();
        var resolved = new List<OptimizerGroup>();
        var all = new List<Tensor>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var spec in groups)
        {
            ArgumentNullException.ThrowIfNull(spec);
            ArgumentNullException.ThrowIfNull(spec.Parameters);
            string name = spec.Name ?? resolved.Count.ToString(CultureInfo.InvariantCulture);
            var options = spec.Options ?? defaults;
            if (options.GetType() != defaults.GetType())
            {
                throw new ArgumentException($"Parameter group '{name}' has {options.GetType().Name} but {GetType().Name} needs {defaults.GetType().Name}.", nameof(groups));
            }
            options.Validate();
            foreach (var p in spec.Parameters)
            {
                if (p is null)
                {
                    throw new ArgumentException($"Parameter group '{name}' contains a null tensor.", nameof(groups));
                }
                if (!p.IsLeaf)
                {
                    throw new ArgumentException($"Parameter group '{name}' contains a non-leaf tensor ({p.OpName}); only leaves can be optimised.", nameof(groups));
                }
                if (!seen.Add(p))
                {
                    throw new ArgumentException($"A tensor {p.Shape} appears more than once in the parameter groups (seen again in '{name}').", nameof(groups));
                }
            }
            resolved.Add(new OptimizerGroup(name, spec.Parameters.ToArray(), all.Count,
                spec.LearningRate ?? learningRate, spec.WeightDecay ?? weightDecay, options));
            all.AddRange(spec.Parameters);
        }
        if (resolved.Count == 0)
        {
            throw new ArgumentException($"{GetType().Name} needs at least one parameter group.", nameof(groups));
        }
        this.groups = resolved.ToArray();
        parameters = all.ToArray();
        states = new ParameterState?[parameters.Length];
    }

    /// <summary>The parameter groups, in the order given.</summary>
    public IReadOnlyList<OptimizerGroup> Groups => groups;

    /// <summary>Number of <see cref="Step"/> calls so far.</summary>
    public long StepCount { get; private set; }

    /// <summary>Names of the per-parameter buffers this optimizer keeps (for validating loaded state).</summary>
    protected abstract IReadOnlyCollection<string> BufferNames { get; }

    /// <summary>
    /// Applies one update to every parameter with a gradient, under <see cref="Tape.NoGrad"/>.
    /// Gradients are read, never modified.
    /// </summary>
    public void Step()
    {
        using (Tape.NoGrad())
        {
            foreach (var group in groups)
            {
                for (int j = 0; j < group.Parameters.Count; j++)
                {
                    var p = group.Parameters[j];
                    if (!p.HasGrad)
                    {
                        continue;
                    }
                    var state = states[group.FirstIndex + j] ??= new ParameterState();
                    state.Step++;
                    Update(group, p, p.GradSpan, state);
                }
            }
        }
        StepCount++;
    }

    /// <summary>
    /// Updates <paramref name="parameter"/>'s values in place from <paramref name="gradient"/>
    /// (same length). <paramref name="state"/>'s step has already been incremented.
    /// </summary>
    protected abstract void Update(OptimizerGroup group, Tensor parameter, ReadOnlySpan<float> gradient, ParameterState state);

    /// <summary>Drops the gradients of all parameters in all groups.</summary>
    public void ZeroGrad()
    {
        foreach (var p in parameters)
        {
            p.ZeroGrad();
        }
    }

    /// <summary>A copy of the optimizer's state; see <see cref="OptimizerState"/> for the names.</summary>
    public OptimizerState GetState()
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var scalars = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["step_count"] = StepCount,
        };
        for (int g = 0; g < groups.Length; g++)
        {
            scalars[Invariant($"group.{g}.lr")] = groups[g].LearningRate;
            scalars[Invariant($"group.{g}.weight_decay")] = groups[g].WeightDecay;
        }
        for (int i = 0; i < states.Length; i++)
        {
            if (states[i] is not { } s)
            {
                continue;
            }
            scalars[Invariant($"state.{i}.step")] = s.Step;
            foreach (var (name, buffer) in s.Buffers)
            {
                tensors[Invariant($"state.{i}.{name}")] = new Tensor(parameters[i].Shape, (float[])buffer.Clone());
            }
        }
        return new OptimizerState(tensors, scalars);
    }

    /// <summary>
    /// Replaces the optimizer's state with <paramref name="state"/> (values are copied). Everything
    /// is checked first — known names, parameter indices in range, buffer shapes equal to the
    /// parameters' — so a failed load changes nothing. Groups' learning rates and weight decays are
    /// restored when present.
    /// </summary>
    /// <exception cref="ArgumentException">The state does not fit this optimizer.</exception>
    public void LoadState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(state.Tensors);
        ArgumentNullException.ThrowIfNull(state.Scalars);
        var steps = new Dictionary<int, long>();
        var groupValues = new List<(OptimizerGroup Group, bool IsLr, double Value)>();
        long stepCount = 0;
        foreach (var (key, value) in state.Scalars)
        {
            var parts = key.Split('.');
            if (key == "step_count")
            {
                stepCount = AsCount(key, value);
            }
            else if (parts.Length == 3 && parts[0] == "group" && parts[2] is "lr" or "weight_decay")
            {
                var group = groups[Index(key, parts[1], groups.Length)];
                if (!(value >= 0 && double.IsFinite(value)))
                {
                    throw new ArgumentException($"Optimizer state '{key}' = {value} is not a finite non-negative number.", nameof(state));
                }
                groupValues.Add((group, parts[2] == "lr", value));
            }
            else if (parts.Length == 3 && parts[0] == "state" && parts[2] == "step")
            {
                steps[Index(key, parts[1], parameters.Length)] = AsCount(key, value);
            }
            else
            {
                throw new ArgumentException($"Unknown optimizer state scalar '{key}' for {GetType().Name}.", nameof(state));
            }
        }
        var buffers = new List<(int Index, string Name, Tensor Value)>();
        foreach (var (key, tensor) in state.Tensors)
        {
            var parts = key.Split('.', 3);
            if (parts.Length != 3 || parts[0] != "state" || !BufferNames.Contains(parts[2]))
            {
                throw new ArgumentException($"Unknown optimizer state tensor '{key}' for {GetType().Name} (buffers: {string.Join(", ", BufferNames)}).", nameof(state));
            }
            int i = Index(key, parts[1], parameters.Length);
            if (tensor is null || tensor.Shape != parameters[i].Shape)
            {
                throw new ArgumentException($"Optimizer state '{key}' has shape {tensor?.Shape.ToString() ?? "null"} but parameter {i} is {parameters[i].Shape}.", nameof(state));
            }
            if (!steps.ContainsKey(i))
            {
                throw new ArgumentException($"Optimizer state has '{key}' but no 'state.{i}.step'.", nameof(state));
            }
            buffers.Add((i, parts[2], tensor));
        }

        Array.Clear(states);
        foreach (var (i, step) in steps)
        {
            states[i] = new ParameterState { Step = step };
        }
        foreach (var (i, name, tensor) in buffers)
        {
            states[i]!.SetBuffer(name, tensor.ToArray());
        }
        foreach (var (group, isLr, value) in groupValues)
        {
            if (isLr)
            {
                group.LearningRate = value;
            }
            else
            {
                group.WeightDecay = value;
            }
        }
        StepCount = stepCount;

        static int Index(string key, string text, int count) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i < count
                ? i
                : throw new ArgumentException($"Optimizer state '{key}' refers to index {text}, but there are only {count}.", nameof(state));

        static long AsCount(string key, double value) =>
            value >= 0 && value <= long.MaxValue && Math.Floor(value) == value
                ? (long)value
                : throw new ArgumentException($"Optimizer state '{key}' = {value} is not a non-negative integer.", nameof(state));
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
