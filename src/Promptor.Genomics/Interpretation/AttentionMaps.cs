using Promptor.Genomics.Dna;
using Promptor.Genomics.IO;
using Promptor.Genomics.Models;
using Promptor.Tensors.Autograd;

namespace Promptor.Genomics.Interpretation;

/// <summary>
/// Base-pair attention maps of a trained <see cref="CondPromoter"/>: for each gene × treatment × head
/// (and the head average), the treatment's cross-attention over the encoded positions
/// (<see cref="CondPromoter.ForwardWithAttention"/>, <c>(B, H, nT, T')</c>), optionally rolled back
/// through the self-attention blocks (<see cref="AttentionRollout"/>), then spread onto base pairs
/// through the receptive fields of the convolution stack (<see cref="ReceptiveField"/>,
/// <see cref="AttentionUpsampler"/>). Each map sums to 1.
/// </summary>
public static class AttentionMaps
{
    /// <summary>True when <paramref name="options"/> describe a model with treatment cross-attention (the only conditionings with maps).</summary>
    public static bool HasAttention(CondPromoterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Conditioning is ConditioningMethod.CrossAttention or ConditioningMethod.CrossAttentionEveryBlock;
    }

    /// <summary>
    /// Computes the maps of <paramref name="genes"/> (each of the model's sequence length) in evaluation
    /// mode without gradients; the model's train/eval mode is restored afterwards.
    /// </summary>
    /// <param name="model">A cross-attention <see cref="CondPromoter"/>.</param>
    /// <param name="genes">The promoters; ids name the maps.</param>
    /// <param name="treatments">The names of all the model's treatments, in its order.</param>
    /// <param name="options">Upsampling and rollout; default <see cref="AttentionMapOptions"/>.</param>
    /// <param name="selectedTreatments">Treatments to keep, by name (default all, in model order).</param>
    /// <param name="keepHeads">Keep per-head maps (default true); false keeps only the head average, H + 1 times less memory.</param>
    /// <exception cref="ArgumentException">A model without cross-attention, a sequence of another length or with illegal letters, or an unknown treatment name.</exception>
    public static AttentionMapSet Compute(CondPromoter model, IReadOnlyList<FastaRecord> genes, IReadOnlyList<string> treatments,
        AttentionMapOptions? options = null, IReadOnlyList<string>? selectedTreatments = null, bool keepHeads = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(genes);
        ArgumentNullException.ThrowIfNull(treatments);
        options ??= new AttentionMapOptions();
        options.Validate();
        var o = model.Options;
        if (!HasAttention(o))
        {
            throw new ArgumentException($"A CondPromoter with {o.Conditioning} conditioning has no treatment attention to map.");
        }
        if (treatments.Count != o.TreatmentCount)
        {
            throw new ArgumentException($"The model predicts {o.TreatmentCount} treatments but {treatments.Count} names were given.", nameof(treatments));
        }
        var selected = SelectTreatments(treatments, selectedTreatments);
        foreach (var g in genes)
        {
            if (g.Length != o.SequenceLength)
            {
                throw new ArgumentException($"Sequence '{g.Id}' has {g.Length} bp; the model reads {o.SequenceLength} bp.", nameof(genes));
            }
        }

        var field = ReceptiveField.Of(o);
        var upsampler = new AttentionUpsampler(field, options);
        int heads = o.CrossAttentionHeads;
        int slots = keepHeads ? heads + 1 : 1, l = o.SequenceLength, tp = field.OutputLength, nT = selected.Length;
        var basePairs = new float[checked((long)genes.Count * nT * slots * l)];
        var encoded = new float[(long)genes.Count * nT * slots * tp];
        bool rollout = options.Rollout && model.Encoder is not null;

        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using var noGrad = Tape.NoGrad();
            var average = new float[tp];
            for (int start = 0; start < genes.Count; start += options.BatchSize)
            {
                int count = Math.Min(options.BatchSize, genes.Count - start);
                var batch = OneHot.EncodeBatch(genes.Skip(start).Take(count).Select(g => g.Sequence).ToArray());
                var weights = model.ForwardWithAttention(batch).Attention!;            // (B, H, nT_all, T')
                if (weights.Shape[-1] != tp || weights.Shape[1] != heads)
                {
                    throw new InvalidOperationException($"The model returned attention {weights.Shape}; expected {heads} heads over the {tp} positions of its convolution stack.");
                }
                var selfWeights = rollout ? AttentionRollout.SelfAttentionWeights(model, batch) : [];
                for (int b = 0; b < count; b++)
                {
                    float[]? rolled = rollout
                        ? AttentionRollout.Rollout(selfWeights.Select(w => w.Data.AsSpan(b * tp * tp, tp * tp).ToArray()).ToList(), tp)
                        : null;
                    int gene = start + b;
                    for (int ti = 0; ti < nT; ti++)
                    {
                        Array.Clear(average);
                        long cell = ((long)gene * nT + ti) * slots;
                        for (int h = 0; h < heads; h++)
                        {
                            var row = weights.Data.AsSpan(((b * heads + h) * o.TreatmentCount + selected[ti]) * tp, tp);
                            ReadOnlySpan<float> mapped = rolled is null ? row : AttentionRollout.Apply(row, rolled);
                            for (int p = 0; p < tp; p++)
                            {
                                average[p] += mapped[p] / heads;
                            }
                            if (keepHeads)
                            {
                                mapped.CopyTo(encoded.AsSpan(checked((int)((cell + h) * tp)), tp));
                                upsampler.Accumulate(mapped, basePairs.AsSpan(checked((int)((cell + h) * l)), l));
                            }
                        }
                        long last = cell + slots - 1;
                        average.CopyTo(encoded.AsSpan(checked((int)(last * tp)), tp));
                        upsampler.Accumulate(average, basePairs.AsSpan(checked((int)(last * l)), l));
                    }
                }
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
        return new AttentionMapSet(genes.Select(g => g.Id).ToArray(), selected.Select(i => treatments[i]).ToArray(),
            heads, keepHeads, l, tp, basePairs, encoded);
    }

    /// <summary>Indices of <paramref name="selected"/> in <paramref name="treatments"/> (all when null).</summary>
    /// <exception cref="ArgumentException">An unknown or repeated name; the message lists the known ones.</exception>
    public static int[] SelectTreatments(IReadOnlyList<string> treatments, IReadOnlyList<string>? selected)
    {
        ArgumentNullException.ThrowIfNull(treatments);
        if (selected is null)
        {
            return Enumerable.Range(0, treatments.Count).ToArray();
        }
        var indices = new List<int>();
        foreach (var name in selected)
        {
            int index = -1;
            for (int i = 0; i < treatments.Count; i++)
            {
                if (string.Equals(treatments[i], name, StringComparison.Ordinal))
                {
                    index = i;
                    break;
                }
            }
            if (index < 0)
            {
                throw new ArgumentException($"unknown treatment '{name}' (the model knows: {string.Join(", ", treatments)})");
            }
            if (indices.Contains(index))
            {
                throw new ArgumentException($"treatment '{name}' is listed twice");
            }
            indices.Add(index);
        }
        return [.. indices];
    }
}
