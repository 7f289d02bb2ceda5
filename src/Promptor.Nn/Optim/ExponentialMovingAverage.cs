using Tensor = Promptor.Tensors.Tensor;

namespace Promptor.Nn.Optim;

/// <summary>
/// An exponential moving average of a module's weights (Polyak averaging; timm's <c>ModelEmaV2</c>,
/// PyTorch's <c>torch.optim.swa_utils.AveragedModel</c> with an EMA function and <c>use_buffers</c>):
/// after each optimizer step <see cref="Update"/> sets, for every parameter and running statistic θ
/// and its average θ̄, <c>θ̄ ← d·θ̄ + (1 − d)·θ</c>. Evaluating with the averaged weights smooths out the optimizer's
/// last steps, which on small, noisy data acts much like an ensemble of the late checkpoints.
/// <para>
/// With <see cref="Warmup"/> (default) the decay of the n-th update (n counted from 0) is
/// <c>min(d, (1 + n) / (10 + n))</c>, TensorFlow's <c>num_updates</c> rule, so the average does not
/// stay anchored to the random initial weights early in training. Persistent buffers of rank ≥ 1
/// (batch-norm running means and variances) are averaged with the parameters, so the statistics
/// match the averaged weights' activations; scalar buffers (counters such as
/// <c>num_batches_tracked</c>) are taken from the live module by <see cref="StateDict"/>.
/// </para>
/// </summary>
public sealed class ExponentialMovingAverage
{
    private readonly (string Name, Tensor Live, Tensor Average)[] entries;

    /// <summary>Starts the average at <paramref name="module"/>'s current parameters and running statistics.</summary>
    /// <param name="module">The module whose weights to average.</param>
    /// <param name="decay">The decay d, in [0, 1); 0.999 keeps an effective window of about 1,000 steps.</param>
    /// <param name="warmup">Lower the decay early in training (see the class remarks). Default true.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decay"/> is outside [0, 1).</exception>
    public ExponentialMovingAverage(Module module, double decay, bool warmup = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (!(decay >= 0 && decay < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "The decay must be in [0, 1).");
        }
        Decay = decay;
        Warmup = warmup;
        var parameters = module.NamedParameters().Select(p => (p.Name, Live: (Tensor)p.Parameter));
        var statistics = module.StateDict().Where(p => p.Value is not Parameter && p.Value.Shape.Rank >= 1).Select(p => (p.Key, Live: p.Value));
        entries = parameters.Concat(statistics).Select(e => (e.Item1, e.Live, e.Live.Clone())).ToArray();
    }

    /// <summary>The decay d.</summary>
    public double Decay { get; }

    /// <summary>Whether the decay is lowered early in training.</summary>
    public bool Warmup { get; }

    /// <summary>How many times <see cref="Update"/> has run.</summary>
    public long Updates { get; private set; }

    /// <summary>The decay the next <see cref="Update"/> uses.</summary>
    public double CurrentDecay => Warmup ? Math.Min(Decay, (1.0 + Updates) / (10.0 + Updates)) : Decay;

    /// <summary>The averaged parameters and running statistics by dotted name (the live averages, not copies).</summary>
    public IReadOnlyDictionary<string, Tensor> Averages => entries.ToDictionary(e => e.Name, e => e.Average, StringComparer.Ordinal);

    /// <summary>Moves every average towards its live tensor's current value by the factor <c>1 − </c><see cref="CurrentDecay"/>.</summary>
    public void Update()
    {
        float keep = (float)CurrentDecay;
        float take = 1f - keep;
        foreach (var (_, live, average) in entries)
        {
            Blend(average.Data, live.Data, keep, take);
        }
        Updates++;
    }

    /// <summary>
    /// A state dict for <see cref="Module.LoadStateDict"/>: the averages, and the scalar buffers of
    /// <paramref name="module"/> (the module the average was made from).
    /// </summary>
    public Dictionary<string, Tensor> StateDict(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var state = module.StateDict();
        foreach (var (name, _, average) in entries)
        {
            state[name] = average;
        }
        return state;
    }

    /// <summary>Restores averages and the update count saved from an average of the same module (for an exact resume).</summary>
    /// <exception cref="ArgumentException">An average is missing or has another shape.</exception>
    public void Load(IReadOnlyDictionary<string, Tensor> averages, long updates)
    {
        ArgumentNullException.ThrowIfNull(averages);
        ArgumentOutOfRangeException.ThrowIfNegative(updates);
        foreach (var (name, _, average) in entries)
        {
            if (!averages.TryGetValue(name, out var saved))
            {
                throw new ArgumentException($"The saved average lacks '{name}'.", nameof(averages));
            }
            if (saved.Shape != average.Shape)
            {
                throw new ArgumentException($"The saved average of '{name}' has shape {saved.Shape}, the module's tensor {average.Shape}.", nameof(averages));
            }
        }
        foreach (var (name, _, average) in entries)
        {
            averages[name].Data.AsSpan().CopyTo(average.Data);
        }
        Updates = updates;
    }

    /// <summary><c>average ← keep·average + take·value</c>, element by element.</summary>
    internal static void Blend(Span<float> average, ReadOnlySpan<float> value, float keep, float take)
    {
        for (int i = 0; i < average.Length; i++)
        {
            average[i] = keep * average[i] + take * value[i];
        }
    }
}
