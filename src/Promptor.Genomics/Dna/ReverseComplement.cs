using Promptor.Tensors;

namespace Promptor.Genomics.Dna;

/// <summary>
/// Reverse complements of DNA strings (IUPAC-aware, case preserved) and of one-hot encodings.
/// With channels ordered A, C, G, T the complement swaps channels 0↔3 and 1↔2, i.e. reverses the
/// channel axis; so reverse-complementing a <c>(L, 4)</c> block is reversing its flat storage.
/// </summary>
public static class ReverseComplement
{
    /// <summary>The reverse complement of <paramref name="sequence"/> (IUPAC codes complemented, case kept).</summary>
    /// <exception cref="ArgumentException">An illegal character.</exception>
    public static string Of(string sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        return string.Create(sequence.Length, sequence, static (dest, src) => Of(src, dest));
    }

    /// <summary>Writes the reverse complement of <paramref name="sequence"/> into <paramref name="destination"/> (same length; must not overlap).</summary>
    public static void Of(ReadOnlySpan<char> sequence, Span<char> destination)
    {
        if (destination.Length != sequence.Length)
        {
            throw new ArgumentException("Destination length must equal the sequence length.", nameof(destination));
        }
        int n = sequence.Length;
        for (int i = 0; i < n; i++)
        {
            destination[n - 1 - i] = DnaAlphabet.Complement(sequence[i]);
        }
    }

    /// <summary>Reverse-complements one encoded sequence of layout <c>(L, 4)</c> in place.</summary>
    public static void OneHotInPlace(Span<float> encoding)
    {
        if (encoding.Length % DnaAlphabet.Size != 0)
        {
            throw new ArgumentException($"Encoding length {encoding.Length} is not a multiple of 4.", nameof(encoding));
        }
        encoding.Reverse();
    }

    /// <summary>
    /// The reverse complement of a one-hot batch <c>(B, L, 4)</c> (or a single <c>(L, 4)</c>): positions
    /// reversed and A↔T, C↔G swapped. Returns a new tensor with no autograd history.
    /// </summary>
    public static Tensor OfOneHot(Tensor encoding)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        if (encoding.Rank is not (2 or 3) || encoding.Shape[-1] != DnaAlphabet.Size)
        {
            throw new ArgumentException($"Expected a one-hot tensor of shape (B, L, 4) or (L, 4), got {encoding.Shape}.", nameof(encoding));
        }
        var data = encoding.ToArray();
        int stride = encoding.Shape[-2] * DnaAlphabet.Size;
        for (int offset = 0; offset < data.Length; offset += stride)
        {
            data.AsSpan(offset, stride).Reverse();
        }
        return new Tensor(encoding.Shape, data);
    }
}
