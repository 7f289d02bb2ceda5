using Promptor.Genomics.Dna;
using Promptor.Tensors;

namespace Promptor.Genomics.Data;

/// <summary>
/// N promoters with T treatment targets: one-hot sequences <c>(N, L, 4)</c>, targets <c>(N, T)</c> and a
/// mask <c>(N, T)</c> (1 = observed). Masked targets are stored as 0 so that they can never turn a sum
/// into NaN; always weight by <see cref="Mask"/>. Batches are gathered by index arrays, optionally
/// shuffled with a seeded <see cref="Generator"/> and reverse-complement augmented.
/// </summary>
public sealed class PromoterDataset
{
    /// <summary>Wraps existing tensors (not copied).</summary>
    /// <param name="sequences">One-hot DNA <c>(N, L, 4)</c>.</param>
    /// <param name="targets">Targets <c>(N, T)</c>, finite.</param>
    /// <param name="mask">Mask <c>(N, T)</c> of 0/1.</param>
    /// <param name="geneIds">N gene ids.</param>
    /// <param name="treatments">T treatment names.</param>
    public PromoterDataset(Tensor sequences, Tensor targets, Tensor mask, IReadOnlyList<string> geneIds, IReadOnlyList<string> treatments)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(geneIds);
        ArgumentNullException.ThrowIfNull(treatments);
        if (sequences.Rank != 3 || sequences.Shape[2] != DnaAlphabet.Size)
        {
            throw new ArgumentException($"Sequences must have shape (N, L, 4), got {sequences.Shape}.", nameof(sequences));
        }
        int n = sequences.Shape[0];
        if (targets.Rank != 2 || targets.Shape[0] != n || targets.Shape[1] != treatments.Count)
        {
            throw new ArgumentException($"Targets must have shape ({n}, {treatments.Count}), got {targets.Shape}.", nameof(targets));
        }
        if (mask.Shape != targets.Shape)
        {
            throw new ArgumentException($"Mask shape {mask.Shape} differs from the targets' {targets.Shape}.", nameof(mask));
        }
        if (geneIds.Count != n)
        {
            throw new ArgumentException($"{geneIds.Count} gene ids for {n} sequences.", nameof(geneIds));
        }
        Sequences = sequences;
        Targets = targets;
        Mask = mask;
        GeneIds = geneIds.ToArray();
        Treatments = treatments.ToArray();
    }

    /// <summary>
    /// Builds a dataset from sequences and a table whose rows match them one to one (see <see cref="SequenceJoin"/>).
    /// </summary>
    /// <param name="sequences">N sequences, in table row order.</param>
    /// <param name="table">N genes × T treatments.</param>
    /// <param name="length">Fixed length policy; default null: all sequences must have one length.</param>
    public static PromoterDataset Create(IReadOnlyList<string> sequences, ExpressionTable table, FixedLength? length = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(table);
        if (sequences.Count != table.GeneCount)
        {
            throw new ArgumentException($"{sequences.Count} sequences for {table.GeneCount} table rows.", nameof(sequences));
        }
        var x = OneHot.EncodeBatch(sequences, length); // (N, L, 4)
        int n = table.GeneCount, t = table.ConditionCount;
        var y = new float[n * t];
        var m = new float[n * t];
        var values = table.Values;
        var observed = table.Observed;
        for (int i = 0; i < y.Length; i++)
        {
            if (observed[i])
            {
                y[i] = values[i];
                m[i] = 1f;
            }
        }
        return new PromoterDataset(x, new Tensor(new Shape(n, t), y), new Tensor(new Shape(n, t), m), table.GeneIds, table.Conditions);
    }

    /// <summary>One-hot sequences, shape <c>(N, L, 4)</c>.</summary>
    public Tensor Sequences { get; }

    /// <summary>Targets, shape <c>(N, T)</c>; 0 where masked.</summary>
    public Tensor Targets { get; }

    /// <summary>1 where observed, 0 where missing; shape <c>(N, T)</c>.</summary>
    public Tensor Mask { get; }

    /// <summary>The N gene ids.</summary>
    public IReadOnlyList<string> GeneIds { get; }

    /// <summary>The T treatment names.</summary>
    public IReadOnlyList<string> Treatments { get; }

    /// <summary>Number of promoters N.</summary>
    public int Count => Sequences.Shape[0];

    /// <summary>Sequence length L.</summary>
    public int SequenceLength => Sequences.Shape[1];

    /// <summary>Number of treatments T.</summary>
    public int TreatmentCount => Treatments.Count;

    /// <summary>
    /// Gathers the rows <paramref name="indices"/> into a batch; with <paramref name="reverseComplement"/>
    /// every sequence is reverse-complemented (for strand-averaged predictions).
    /// </summary>
    public PromoterBatch GetBatch(ReadOnlySpan<int> indices, bool reverseComplement = false)
    {
        var flags = new bool[indices.Length];
        Array.Fill(flags, reverseComplement);
        return Gather(indices, flags);
    }

    /// <summary>
    /// Splits <paramref name="indices"/> into batches of <paramref name="batchSize"/> (the last one smaller
    /// unless <paramref name="dropLast"/>). With a <paramref name="generator"/> the order is shuffled first
    /// (Fisher–Yates) and, with <paramref name="reverseComplementAugmentation"/>, each item is
    /// reverse-complemented with probability 0.5. The same generator state gives the same batches.
    /// </summary>
    /// <param name="indices">Dataset rows to draw from (e.g. <see cref="SplitAssignment.Train"/>); not modified.</param>
    /// <param name="batchSize">Items per batch (positive).</param>
    /// <param name="generator">Seeded randomness; null = keep the order and never augment.</param>
    /// <param name="reverseComplementAugmentation">Random strand flips; needs a generator. Default false.</param>
    /// <param name="dropLast">Drop a final incomplete batch; default false.</param>
    public IEnumerable<PromoterBatch> Batches(IReadOnlyList<int> indices, int batchSize, Generator? generator = null, bool reverseComplementAugmentation = false, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (reverseComplementAugmentation && generator is null)
        {
            throw new ArgumentException("Reverse-complement augmentation needs a generator.", nameof(generator));
        }
        foreach (int i in indices)
        {
            if ((uint)i >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {i} is outside 0..{Count - 1}.");
            }
        }
        return Iterate(indices.ToArray(), batchSize, generator, reverseComplementAugmentation, dropLast);
    }

    private IEnumerable<PromoterBatch> Iterate(int[] order, int batchSize, Generator? generator, bool augment, bool dropLast)
    {
        generator?.Shuffle<int>(order);
        for (int start = 0; start < order.Length; start += batchSize)
        {
            int b = Math.Min(batchSize, order.Length - start);
            if (b < batchSize && dropLast)
            {
                yield break;
            }
            var flags = new bool[b];
            if (augment)
            {
                for (int i = 0; i < b; i++)
                {
                    flags[i] = generator!.NextUInt64() >> 63 != 0;
                }
            }
            yield return Gather(order.AsSpan(start, b), flags);
        }
    }

    /// <summary>A new dataset holding copies of the rows <paramref name="indices"/>.</summary>
    public PromoterDataset Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var batch = GetBatch(indices.ToArray());
        return new PromoterDataset(batch.Sequences, batch.Targets, batch.Mask, indices.Select(i => GeneIds[i]).ToArray(), Treatments);
    }

    private PromoterBatch Gather(ReadOnlySpan<int> indices, bool[] reverseComplement)
    {
        int b = indices.Length, l = SequenceLength, t = TreatmentCount, stride = l * DnaAlphabet.Size;
        var x = new float[b * stride];
        var y = new float[b * t];
        var m = new float[b * t];
        for (int i = 0; i < b; i++)
        {
            int row = indices[i];
            var dest = x.AsSpan(i * stride, stride);
            Sequences.Data.AsSpan(row * stride, stride).CopyTo(dest);
            if (reverseComplement[i])
            {
                ReverseComplement.OneHotInPlace(dest);
            }
            Targets.Data.AsSpan(row * t, t).CopyTo(y.AsSpan(i * t, t));
            Mask.Data.AsSpan(row * t, t).CopyTo(m.AsSpan(i * t, t));
        }
        return new PromoterBatch(
            new Tensor(new Shape(b, l, DnaAlphabet.Size), x), // (B, L, 4)
            new Tensor(new Shape(b, t), y),                   // (B, T)
            new Tensor(new Shape(b, t), m),                   // (B, T)
            indices.ToArray(),
            reverseComplement);
    }
}
