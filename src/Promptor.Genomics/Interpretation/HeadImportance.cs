using Promptor.Genomics.Data;
using Promptor.Genomics.Models;
using Promptor.Genomics.Training;
using Promptor.Nn;
using Promptor.Nn.Attention;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Genomics.Interpretation;

/// <summary>
/// Head importance as in Michel, Levy and Neubig (2019), "Are Sixteen Heads Really Better than
/// One?": every head's output is multiplied by a gate ξ_h (1 for a kept head, 0 for a pruned one;
/// <see cref="MultiHeadAttention.HeadGates"/>), and <c>I_h = E_x |∂L(x)/∂ξ_h|</c>, the expected
/// first-order change of the loss when the head is removed. The expectation runs over batches of
/// genes (the loss is the training loss: masked MSE on standardised targets); scores are then
/// normalised by the ℓ2 norm of their layer. Parameters are frozen and the model runs in evaluation
/// mode; the gates keep their values (pruned heads stay pruned).
/// </summary>
public static class HeadImportance
{
    /// <summary>The multi-head attention layers of <paramref name="model"/> (encoder self-attention, then treatment side).</summary>
    public static IReadOnlyList<HeadImportanceLayer> AttentionLayers(CondPromoter model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var encoder = new HashSet<Module>(model.Encoder?.NamedModules().Select(m => m.Module) ?? [], ReferenceEqualityComparer.Instance);
        return model.NamedModules()
            .Where(m => m.Module is MultiHeadAttention)
            .Select(m => new HeadImportanceLayer(m.Name, (MultiHeadAttention)m.Module, !encoder.Contains(m.Module)))
            .ToArray();
    }

    /// <summary>
    /// Measures head importance on the dataset rows <paramref name="rows"/>.
    /// </summary>
    /// <param name="model">A regression CondPromoter with at least one attention layer.</param>
    /// <param name="dataset">Genes with targets in original units.</param>
    /// <param name="rows">Rows to average over (e.g. a sample of the training genes).</param>
    /// <param name="scaler">The model's target standardisation (from its checkpoint); null = identity.</param>
    /// <param name="options">Batch size and per-treatment scores; default <see cref="HeadImportanceOptions"/>.</param>
    /// <exception cref="ArgumentException">The model has no attention layer, is not a regression model, or does not fit the data.</exception>
    public static HeadImportanceResult Compute(CondPromoter model, PromoterDataset dataset, IReadOnlyList<int> rows, TargetScaler? scaler = null, HeadImportanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(rows);
        options ??= new HeadImportanceOptions();
        options.Validate();
        var layers = AttentionLayers(model);
        if (layers.Count == 0)
        {
            throw new ArgumentException($"The model ({model.Options.Conditioning} conditioning, {model.Options.SelfAttentionBlocks} self-attention blocks) has no attention layer, so no heads to score.");
        }
        if (model.OutputsPerTreatment != 1)
        {
            throw new ArgumentException("Head importance needs a regression model (one output per treatment).");
        }
        if (model.TreatmentCount != dataset.TreatmentCount)
        {
            throw new ArgumentException($"The model predicts {model.TreatmentCount} treatments but the data has {dataset.TreatmentCount}.");
        }
        if (rows.Count == 0)
        {
            throw new ArgumentException("Head importance needs at least one gene.");
        }
        int t = dataset.TreatmentCount;
        var raw = layers.Select(l => new double[l.Heads]).ToArray();
        bool split = options.PerTreatment && layers.Any(l => l.TreatmentSide);
        var perTreatment = layers.Select(l => split && l.TreatmentSide ? Enumerable.Range(0, l.Heads).Select(_ => new double[t]).ToArray() : null).ToArray();
        var treatmentBatches = new int[t];
        int batches = 0;
        var gates = layers.Select(l => l.Attention.HeadGates).ToArray();
        AttributionModel.Frozen(model, () =>
        {
            foreach (var gate in gates)
            {
                gate.RequiresGrad = true;
            }
            try
            {
                foreach (var batch in dataset.Batches(rows, options.BatchSize))
                {
                    var targets = scaler is null ? batch.Targets : scaler.Transform(batch.Targets, batch.Mask);
                    model.Forward(batch.Sequences).MseLoss(targets, batch.Mask).Backward();
                    Accumulate(gates, raw, (layer, head, g) => raw[layer][head] += g);
                    batches++;
                    if (!split)
                    {
                        continue;
                    }
                    Tensor memory;
                    using (Tape.NoGrad())
                    {
                        memory = model.Encode(batch.Sequences);                 // (B, T', d), shared by all treatments
                    }
                    for (int k = 0; k < t; k++)
                    {
                        var mask = new float[batch.Count * t];
                        bool any = false;
                        for (int i = 0; i < batch.Count; i++)
                        {
                            mask[i * t + k] = batch.Mask.Data[i * t + k];
                            any |= mask[i * t + k] != 0f;
                        }
                        if (!any)
                        {
                            continue;
                        }
                        treatmentBatches[k]++;
                        model.ForwardEncoded(memory, needWeights: false).Predictions.MseLoss(targets, new Tensor(batch.Mask.Shape, mask)).Backward();
                        Accumulate(gates, raw, (layer, head, g) =>
                        {
                            if (perTreatment[layer] is { } values)
                            {
                                values[head][k] += g;
                            }
                        });
                    }
                }
            }
            finally
            {
                foreach (var gate in gates)
                {
                    gate.ZeroGrad();
                    gate.RequiresGrad = false;
                }
            }
            return 0;
        });
        for (int l = 0; l < layers.Count; l++)
        {
            for (int h = 0; h < raw[l].Length; h++)
            {
                raw[l][h] /= batches;
                if (perTreatment[l] is { } values)
                {
                    for (int k = 0; k < t; k++)
                    {
                        values[h][k] = treatmentBatches[k] > 0 ? values[h][k] / treatmentBatches[k] : 0;
                    }
                }
            }
        }
        var normalized = raw.Select(Normalize).ToArray();
        return new HeadImportanceResult(layers, raw, normalized, dataset.Treatments, perTreatment, batches);
    }

    /// <summary>Divides the scores of one layer by their ℓ2 norm (all zero stays zero).</summary>
    public static double[] Normalize(double[] scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        double norm = Math.Sqrt(scores.Sum(s => s * s));
        return scores.Select(s => norm > 0 ? s / norm : 0).ToArray();
    }

    private static void Accumulate(Tensor[] gates, double[][] raw, Action<int, int, double> add)
    {
        for (int l = 0; l < gates.Length; l++)
        {
            var grad = gates[l].HasGrad ? gates[l].GradSpan : default;
            for (int h = 0; h < raw[l].Length; h++)
            {
                add(l, h, grad.IsEmpty ? 0 : Math.Abs(grad[h]));
            }
            gates[l].ZeroGrad();
        }
    }
}
