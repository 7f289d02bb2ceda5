using Promptor.Tensors;

namespace Promptor.Genomics.Data;

/// <summary>One mini-batch of a <see cref="PromoterDataset"/>.</summary>
/// <param name="Sequences">One-hot DNA, shape <c>(B, L, 4)</c>.</param>
/// <param name="Targets">Targets, shape <c>(B, T)</c>; 0 where masked.</param>
/// <param name="Mask">1 where a target was observed, 0 where missing, shape <c>(B, T)</c>.</param>
/// <param name="Indices">The dataset row of each batch item.</param>
/// <param name="ReverseComplemented">Whether each item's sequence was reverse-complemented.</param>
public sealed record PromoterBatch(Tensor Sequences, Tensor Targets, Tensor Mask, int[] Indices, bool[] ReverseComplemented)
{
    /// <summary>The batch size B.</summary>
    public int Count => Indices.Length;
}
