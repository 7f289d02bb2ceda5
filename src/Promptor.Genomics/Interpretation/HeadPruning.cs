using System.Text.Json;
using Promptor.Genomics.Data;
using Promptor.Genomics.Models;
using Promptor.Genomics.Training;
using Promptor.Nn.Serialization;

namespace Promptor.Genomics.Interpretation;

/// <summary>
/// Iterative head pruning (Michel, Levy and Neubig 2019): remove the least important heads (by
/// normalised importance, ranked across all layers) a step at a time by setting their gates to 0,
/// re-estimate importance, and record the metric against the fraction of heads removed. A pruned
/// model is exported by baking its gates into the output projections (a head with gate 0 gets zero
/// columns), so a plain reload reproduces it; the removed heads are also listed in the checkpoint's
/// metadata under <see cref="PrunedHeadsKey"/>.
/// </summary>
public static class HeadPruning
{
    /// <summary>Checkpoint metadata key listing the removed heads (JSON array of <c>"layer:head"</c>).</summary>
    public const string PrunedHeadsKey = TrainingCheckpoint.Prefix + "pruned_heads";

    /// <summary>
    /// The pruning curve of <paramref name="model"/>: importance measured on <paramref name="importanceRows"/>,
    /// the metric (mean Pearson r over treatments, via <see cref="Evaluation"/>) on <paramref name="evaluationRows"/>.
    /// The model's gates are restored to their values on entry before returning.
    /// </summary>
    /// <param name="model">A regression CondPromoter with attention layers.</param>
    /// <param name="dataset">Genes with targets in original units.</param>
    /// <param name="importanceRows">Rows for the importance estimates (e.g. a sample of training genes).</param>
    /// <param name="evaluationRows">Rows for the metric (e.g. validation genes).</param>
    /// <param name="settings">Evaluation settings (scaler, strand averaging), e.g. <see cref="EvaluationSettings.From(CheckpointInfo, bool)"/>.</param>
    /// <param name="options">Step size, extent, re-estimation; default <see cref="HeadPruningOptions"/>.</param>
    /// <param name="progress">Called after each step; default none.</param>
    public static HeadPruningResult Curve(CondPromoter model, PromoterDataset dataset, IReadOnlyList<int> importanceRows, IReadOnlyList<int> evaluationRows,
        EvaluationSettings settings, HeadPruningOptions? options = null, Action<HeadPruningStep>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(evaluationRows);
        ArgumentNullException.ThrowIfNull(settings);
        options ??= new HeadPruningOptions();
        options.Validate();
        if (evaluationRows.Count < 2)
        {
            throw new ArgumentException("The pruning curve needs at least two evaluation genes.");
        }
        var layers = HeadImportance.AttentionLayers(model);
        var saved = layers.Select(l => l.Attention.HeadGates.ToArray()).ToArray();
        try
        {
            var initial = HeadImportance.Compute(model, dataset, importanceRows, settings.Scaler, options.Importance);
            int total = initial.HeadCount;
            int perStep = Math.Max(1, (int)Math.Round(options.StepFraction * total));
            int limit = Math.Max(1, (int)Math.Round(options.MaxFraction * total));
            double Metric() => Evaluation.Evaluate(model, dataset, evaluationRows, settings).Metrics.MeanPearson;
            var steps = new List<HeadPruningStep> { new(0, 0, Metric(), []) };
            progress?.Invoke(steps[0]);
            var importance = initial;
            int removed = 0;
            while (removed < limit)
            {
                if (options.Reestimate && removed > 0)
                {
                    importance = HeadImportance.Compute(model, dataset, importanceRows, settings.Scaler, options.Importance);
                }
                var ranked = Remaining(importance)
                    .OrderBy(h => h.Score).ThenBy(h => h.Layer).ThenBy(h => h.Head)
                    .Take(Math.Min(perStep, limit - removed))
                    .Select(h => (layers[h.Layer].Name, h.Head))
                    .ToArray();
                if (ranked.Length == 0)
                {
                    break;
                }
                Apply(model, ranked);
                removed += ranked.Length;
                var step = new HeadPruningStep(removed, removed / (double)total, Metric(), ranked);
                steps.Add(step);
                progress?.Invoke(step);
            }
            return new HeadPruningResult(initial, steps);
        }
        finally
        {
            for (int l = 0; l < layers.Count; l++)
            {
                saved[l].CopyTo(layers[l].Attention.HeadGates.Data, 0);
            }
        }
    }

    /// <summary>Gates off <paramref name="heads"/> (layer name, head index) of <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">A layer name or head index does not exist.</exception>
    public static void Apply(CondPromoter model, IEnumerable<(string Layer, int Head)> heads)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(heads);
        var layers = HeadImportance.AttentionLayers(model).ToDictionary(l => l.Name, StringComparer.Ordinal);
        foreach (var (name, head) in heads)
        {
            if (!layers.TryGetValue(name, out var layer))
            {
                throw new ArgumentException($"The model has no attention layer '{name}' (layers: {string.Join(", ", layers.Keys)}).");
            }
            if ((uint)head >= (uint)layer.Heads)
            {
                throw new ArgumentException($"Layer '{name}' has {layer.Heads} heads; head {head} does not exist.");
            }
            layer.Attention.HeadGates.Data[head] = 0f;
        }
    }

    /// <summary>
    /// Folds every layer's gates into its output projection (column block of head h multiplied by ξ_h)
    /// and resets the gates to 1: the model computes the same function with weights alone.
    /// </summary>
    public static void BakeGates(CondPromoter model)
    {
        ArgumentNullException.ThrowIfNull(model);
        foreach (var layer in HeadImportance.AttentionLayers(model))
        {
            var gates = layer.Attention.HeadGates.Data;
            var weight = layer.Attention.OutProj.Weight;                   // (E_out, E_in), head h owns input columns [h·D, (h+1)·D)
            int e = weight.Shape[1], d = e / gates.Length;
            for (int h = 0; h < gates.Length; h++)
            {
                if (gates[h] == 1f)
                {
                    continue;
                }
                for (int row = 0; row < weight.Shape[0]; row++)
                {
                    var block = weight.Data.AsSpan(row * e + h * d, d);
                    for (int j = 0; j < d; j++)
                    {
                        block[j] *= gates[h];
                    }
                }
                gates[h] = 1f;
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="model"/> with <paramref name="heads"/> removed to <paramref name="path"/>
    /// (atomically), as a checkpoint <see cref="TrainingCheckpoint.LoadCondPromoter"/> reads: the gates
    /// are baked into the weights of a copy, the removed heads listed under <see cref="PrunedHeadsKey"/>.
    /// <paramref name="model"/> itself is not changed.
    /// </summary>
    public static void Save(string path, CondPromoter model, CheckpointInfo info, IReadOnlyList<(string Layer, int Head)> heads)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(heads);
        var copy = new CondPromoter(model.Options, new Promptor.Tensors.Generator(0));
        copy.LoadStateDict(model.StateDict());
        var sourceLayers = HeadImportance.AttentionLayers(model);
        var copyLayers = HeadImportance.AttentionLayers(copy);
        for (int l = 0; l < sourceLayers.Count; l++)
        {
            sourceLayers[l].Attention.HeadGates.Data.CopyTo(copyLayers[l].Attention.HeadGates.Data, 0);
        }
        Apply(copy, heads);
        BakeGates(copy);
        var metadata = TrainingCheckpoint.ToMetadata(info);
        metadata[PrunedHeadsKey] = JsonSerializer.Serialize(heads.Select(h => $"{h.Layer}:{h.Head}").ToArray());
        SafeTensors.Save(path, copy.StateDict(), metadata);
    }

    /// <summary>The removed heads recorded in a checkpoint's metadata (empty for an unpruned checkpoint).</summary>
    public static IReadOnlyList<(string Layer, int Head)> ReadPrunedHeads(string path)
    {
        var metadata = SafeTensors.ReadHeader(path).Metadata;
        if (!metadata.TryGetValue(PrunedHeadsKey, out var json))
        {
            return [];
        }
        var entries = JsonSerializer.Deserialize<string[]>(json) ?? [];
        return entries.Select(e =>
        {
            int colon = e.LastIndexOf(':');
            return (e[..colon], int.Parse(e[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }).ToArray();
    }

    private static IEnumerable<(int Layer, int Head, double Score)> Remaining(HeadImportanceResult importance)
    {
        for (int l = 0; l < importance.Layers.Count; l++)
        {
            var gates = importance.Layers[l].Attention.HeadGates.Data;
            var kept = importance.Raw[l].Select((s, h) => gates[h] != 0f ? s : 0).ToArray();
            var normalized = HeadImportance.Normalize(kept);
            for (int h = 0; h < gates.Length; h++)
            {
                if (gates[h] != 0f)
                {
                    yield return (l, h, normalized[h]);
                }
            }
        }
    }
}
