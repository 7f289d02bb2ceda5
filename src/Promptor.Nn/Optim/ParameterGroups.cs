using Promptor.Tensors;

namespace Promptor.Nn.Optim;

/// <summary>Builders of common parameter-group layouts.</summary>
public static class ParameterGroups
{
    /// <summary>
    /// The standard split (nanoGPT, BERT): a group <c>"decay"</c> with <paramref name="weightDecay"/>
    /// holding every parameter of rank ≥ 2 (Linear/Conv weights, embeddings), and a group
    /// <c>"no_decay"</c> with weight decay 0 holding rank-0/1 parameters (biases, norm scales and
    /// shifts). Both groups are always returned (possibly empty) so group indices are stable.
    /// </summary>
    public static IReadOnlyList<ParamGroup> WithWeightDecay(Module module, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(module);
        return WithWeightDecay(module.NamedParameters().Select(p => (p.Name, (Tensor)p.Parameter)), weightDecay);
    }

    /// <summary>The same split over named parameters (the names are not used by the rule; duplicates by reference are kept once).</summary>
    public static IReadOnlyList<ParamGroup> WithWeightDecay(IEnumerable<(string Name, Tensor Parameter)> namedParameters, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(namedParameters);
        if (!(weightDecay >= 0 && double.IsFinite(weightDecay)))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be finite and ≥ 0.");
        }
        var decay = new List<Tensor>();
        var noDecay = new List<Tensor>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (name, p) in namedParameters)
        {
            if (p is null)
            {
                throw new ArgumentException($"Parameter '{name}' is null.", nameof(namedParameters));
            }
            if (seen.Add(p))
            {
                (p.Rank >= 2 ? decay : noDecay).Add(p);
            }
        }
        return
        [
            new ParamGroup(decay) { Name = "decay", WeightDecay = weightDecay },
            new ParamGroup(noDecay) { Name = "no_decay", WeightDecay = 0 },
        ];
    }
}
