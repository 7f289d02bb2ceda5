using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Promptor.Tensors;

namespace Promptor.Genomics.Dna;

/// <summary>
/// One-hot encoding of DNA with layout <c>(L, 4)</c> per sequence, channels A, C, G, T. Ambiguity
/// codes (including the padding letter <c>N</c>) encode as 0.25 in each channel by default (Selene's
/// convention); lowercase letters encode like uppercase.
/// </summary>
public static class OneHot
{
    /// <summary>Encodes one sequence into a new array of length <c>L * 4</c>, layout <c>(L, 4)</c>.</summary>
    /// <exception cref="ArgumentException">The sequence holds a character that is not a DNA letter.</exception>
    public static float[] Encode(ReadOnlySpan<char> sequence, AmbiguityEncoding ambiguity = AmbiguityEncoding.Uniform)
    {
        var result = new float[sequence.Length * DnaAlphabet.Size];
        EncodeInto(sequence, result, ambiguity);
        return result;
    }

    /// <summary>
    /// Encodes <paramref name="sequence"/> into <paramref name="destination"/> (length <c>L * 4</c>,
    /// layout <c>(L, 4)</c>), overwriting it.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong destination length or an illegal character.</exception>
    public static void EncodeInto(ReadOnlySpan<char> sequence, Span<float> destination, AmbiguityEncoding ambiguity = AmbiguityEncoding.Uniform)
    {
        if (destination.Length != sequence.Length * DnaAlphabet.Size)
        {
            throw new ArgumentException($"Destination holds {destination.Length} values; a sequence of length {sequence.Length} needs {sequence.Length * DnaAlphabet.Size}.", nameof(destination));
        }
        // One 16-byte row copy per base from a (128, 4) weight table.
        var rows = MemoryMarshal.Cast<float, Vector128<float>>(DnaAlphabet.WeightTable(ambiguity));
        var dest = MemoryMarshal.Cast<float, Vector128<float>>(destination);
        for (int i = 0; i < sequence.Length; i++)
        {
            char c = sequence[i];
            if (!DnaAlphabet.IsLegal(c))
            {
                throw new ArgumentException($"Illegal character '{c}' at position {i + 1} of a DNA sequence.", nameof(sequence));
            }
            dest[i] = rows[c];
        }
    }

    /// <summary>
    /// Encodes a batch into a tensor of shape <c>(B, L, 4)</c>. Without <paramref name="length"/> all
    /// sequences must have the same length L; with it, each sequence is first fitted by
    /// <see cref="FixedLength.Apply"/> (padding with N = 0.25, or trimming).
    /// </summary>
    /// <param name="sequences">The B sequences (B may be 0 only when <paramref name="length"/> is given).</param>
    /// <param name="length">Optional target length and policy; default null (lengths must already agree).</param>
    /// <param name="ambiguity">Encoding of ambiguity codes; default <see cref="AmbiguityEncoding.Uniform"/>.</param>
    /// <exception cref="ArgumentException">Unequal lengths without <paramref name="length"/>, a length the policy forbids, or an illegal character; the message names the sequence index.</exception>
    public static Tensor EncodeBatch(IReadOnlyList<string> sequences, FixedLength? length = null, AmbiguityEncoding ambiguity = AmbiguityEncoding.Uniform)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        int l;
        if (length is not null)
        {
            l = length.Length;
        }
        else if (sequences.Count > 0)
        {
            l = sequences[0].Length;
        }
        else
        {
            throw new ArgumentException("Cannot infer the length of an empty batch; pass a FixedLength.", nameof(sequences));
        }
        int stride = l * DnaAlphabet.Size;
        var data = new float[sequences.Count * stride];
        for (int b = 0; b < sequences.Count; b++)
        {
            string s = sequences[b];
            try
            {
                if (length is not null)
                {
                    s = length.Apply(s);
                }
                else if (s.Length != l)
                {
                    throw new ArgumentException($"length {s.Length} differs from the first sequence's {l} (pass a FixedLength to pad or trim).");
                }
                EncodeInto(s, data.AsSpan(b * stride, stride), ambiguity);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Sequence {b}: {e.Message}", nameof(sequences), e);
            }
        }
        return new Tensor(new Shape(sequences.Count, l, DnaAlphabet.Size), data);
    }

    /// <summary>
    /// Decodes a one-hot (or soft) encoding of layout <c>(L, 4)</c> back to letters: the base of the
    /// largest channel, or <c>N</c> when all four channels are equal (e.g. 0.25 each).
    /// </summary>
    public static string Decode(ReadOnlySpan<float> encoding)
    {
        if (encoding.Length % DnaAlphabet.Size != 0)
        {
            throw new ArgumentException($"Encoding length {encoding.Length} is not a multiple of 4.", nameof(encoding));
        }
        int l = encoding.Length / DnaAlphabet.Size;
        return string.Create(l, encoding.ToArray(), static (chars, enc) =>
        {
            for (int i = 0; i < chars.Length; i++)
            {
                var row = enc.AsSpan(i * DnaAlphabet.Size, DnaAlphabet.Size);
                int best = 0;
                bool allEqual = true;
                for (int c = 1; c < DnaAlphabet.Size; c++)
                {
                    if (row[c] != row[0])
                    {
                        allEqual = false;
                    }
                    if (row[c] > row[best])
                    {
                        best = c;
                    }
                }
                chars[i] = allEqual ? 'N' : DnaAlphabet.Bases[best];
            }
        });
    }
}
