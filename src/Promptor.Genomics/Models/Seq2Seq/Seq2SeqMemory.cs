using Promptor.Tensors;

namespace Promptor.Genomics.Models.Seq2Seq;

/// <summary>
/// An encoded source batch: the encoder output <c>(B, S, d)</c> and the source padding
/// <c>(B, S)</c> (1 = pad, hidden from cross-attention; null when no source is padded).
/// </summary>
/// <param name="States">Encoder output <c>(B, S, d)</c>.</param>
/// <param name="Padding">Key padding <c>(B, S)</c>, or null.</param>
public sealed record Seq2SeqMemory(Tensor States, Tensor? Padding)
{
    /// <summary>B.</summary>
    public int Batch => States.Shape[0];

    /// <summary>S.</summary>
    public int Length => States.Shape[1];

    /// <summary>The memory of the given rows (e.g. one row repeated per beam); not recorded.</summary>
    public Seq2SeqMemory Rows(int[] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using (Promptor.Tensors.Autograd.Tape.NoGrad())
        {
            return new Seq2SeqMemory(States.IndexSelect(0, rows), Padding?.IndexSelect(0, rows));
        }
    }
}
