using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Genomics.Models.Gpt;

/// <summary>The next-token objective and its metrics.</summary>
public static class LanguageModelLoss
{
    /// <summary>
    /// Mean next-token cross-entropy (nats per token), a scalar: <paramref name="logits"/>
    /// <c>(B, T, V)</c> against <paramref name="targets"/> (B·T ids); targets equal to
    /// <paramref name="ignoreIndex"/> (the pad id) are left out of the mean.
    /// </summary>
    public static Tensor NextToken(Tensor logits, int[] targets, int ignoreIndex)
    {
        ArgumentNullException.ThrowIfNull(logits);
        return logits.Reshape(-1, logits.Shape[-1]).CrossEntropy(targets, ignoreIndex);
    }

    /// <summary>
    /// Summed cross-entropy (nats), correct top-1 predictions and counted tokens of
    /// <paramref name="logits"/> <c>(B, T, V)</c> against <paramref name="targets"/>, skipping
    /// <paramref name="ignoreIndex"/>. Not recorded.
    /// </summary>
    public static (double Nats, long Correct, long Tokens) Score(Tensor logits, int[] targets, int ignoreIndex)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        int v = logits.Shape[-1];
        long tokens = 0, correct = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            if (targets[i] != ignoreIndex)
            {
                tokens++;
                if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits.Data.AsSpan(i * v, v)) == targets[i])
                {
                    correct++;
                }
            }
        }
        float mean;
        using (Tape.NoGrad())
        {
            mean = NextToken(logits, targets, ignoreIndex).Item();
        }
        return ((double)mean * tokens, correct, tokens);
    }

    /// <summary>
    /// Metrics of <paramref name="model"/> (in evaluation mode, restored afterwards) on
    /// <paramref name="sequences"/>, in batches of <paramref name="batchSize"/> (default 32), each
    /// sequence cropped to the context length + 1 tokens.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="sequences">Sequences of ≥ 2 ids.</param>
    /// <param name="padId">The padding id (ignored as a target).</param>
    /// <param name="batchSize">Sequences per forward pass.</param>
    /// <param name="labels">One label per sequence for conditional models, or null.</param>
    public static LanguageModelMetrics Evaluate(Gpt model, IReadOnlyList<int[]> sequences, int padId, int batchSize = 32, IReadOnlyList<int>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        bool wasTraining = model.IsTraining;
        model.Eval();
        double nats = 0;
        long correct = 0, tokens = 0;
        try
        {
            using (Tape.NoGrad())
            {
                // Sequences sorted by length share batches with their like, so little goes into padding;
                // the metrics are sums over tokens and do not depend on the order.
                var byLength = Enumerable.Range(0, sequences.Count).OrderBy(i => sequences[i].Length).ToArray();
                for (int start = 0; start < byLength.Length; start += batchSize)
                {
                    var picked = Range(byLength, start, Math.Min(batchSize, byLength.Length - start));
                    var batch = LanguageModelBatch.Create(picked.Select(i => sequences[i]).ToArray(), padId, model.Options.ContextLength,
                        labels is null ? null : picked.Select(i => labels[i]).ToArray());
                    var logits = model.Forward(batch.Inputs, batch.Batch, batch.Labels);
                    var (n, c, t) = Score(logits, batch.Targets, padId);
                    nats += n;
                    correct += c;
                    tokens += t;
                }
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
        return tokens == 0 ? new LanguageModelMetrics(0, 0, 0) : new LanguageModelMetrics(nats / tokens, (double)correct / tokens, tokens);
    }

    internal static T[] Range<T>(IReadOnlyList<T> items, int start, int count)
    {
        var result = new T[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = items[start + i];
        }
        return result;
    }
}
