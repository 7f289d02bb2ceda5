using Promptor.Tensors;

namespace Promptor.Genomics.Models.Gpt;

/// <summary>
/// Length-bucketed batching (as torchtext's BucketIterator and fairseq do): the shuffled
/// sequences are cut into pools of <c>poolBatches × batchSize</c>, each pool is sorted by length
/// and cut into batches, and the batch order is shuffled. Batches then hold sequences of similar
/// length, so padding to the longest sequence of a batch wastes little compute, while every epoch
/// still sees a fresh, seeded mix.
/// </summary>
public static class LengthBucketing
{
    /// <summary>
    /// Plans one epoch: returns the batches as arrays of sequence indices. Every index
    /// <c>0 .. lengths.Count − 1</c> appears exactly once; every batch but possibly the last of
    /// a pool holds <paramref name="batchSize"/> indices.
    /// </summary>
    /// <param name="lengths">Length (in tokens) of each sequence.</param>
    /// <param name="batchSize">Sequences per batch (≥ 1).</param>
    /// <param name="poolBatches">Batches per sorting pool (≥ 1): 1 sorts nothing across batches
    /// (plain shuffled batches, only each batch's members are sorted); larger pools give less padding
    /// and less randomness. A common choice is 50.</param>
    /// <param name="rng">Seeded generator for the two shuffles.</param>
    public static List<int[]> PlanEpoch(IReadOnlyList<int> lengths, int batchSize, int poolBatches, Generator rng)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(poolBatches);
        var order = Enumerable.Range(0, lengths.Count).ToArray();
        rng.Shuffle(order.AsSpan());
        int poolSize = checked(poolBatches * batchSize);
        var batches = new List<int[]>((lengths.Count + batchSize - 1) / batchSize);
        for (int poolStart = 0; poolStart < order.Length; poolStart += poolSize)
        {
            var pool = order.AsSpan(poolStart, Math.Min(poolSize, order.Length - poolStart)).ToArray();
            // Stable sort by length keeps the shuffled order among equal lengths.
            var sorted = pool.Select((index, position) => (index, position))
                .OrderBy(p => lengths[p.index]).ThenBy(p => p.position).Select(p => p.index).ToArray();
            for (int start = 0; start < sorted.Length; start += batchSize)
            {
                batches.Add(sorted.AsSpan(start, Math.Min(batchSize, sorted.Length - start)).ToArray());
            }
        }
        var batchOrder = batches.ToArray();
        rng.Shuffle(batchOrder.AsSpan());
        return [.. batchOrder];
    }

    /// <summary>Padded tokens of a plan: Σ over batches of (batch size × longest length − Σ lengths).</summary>
    /// <param name="lengths">Length of each sequence.</param>
    /// <param name="batches">Batches of indices into <paramref name="lengths"/>.</param>
    public static long PaddingTokens(IReadOnlyList<int> lengths, IEnumerable<int[]> batches)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentNullException.ThrowIfNull(batches);
        long padding = 0;
        foreach (var batch in batches)
        {
            int longest = batch.Max(i => lengths[i]);
            padding += batch.Sum(i => (long)(longest - lengths[i]));
        }
        return padding;
    }
}
