namespace Promptor.Genomics.Dna;

/// <summary>
/// A target sequence length and how to reach it. Padding uses <c>N</c>, which one-hot encodes as
/// 0.25 in every channel.
/// </summary>
/// <param name="Length">The target length L (positive).</param>
/// <param name="Mode">What may be done to other lengths; default <see cref="LengthMode.PadOrTrim"/>.</param>
/// <param name="Alignment">Which part is kept; default <see cref="SequenceAlignment.Center"/>.</param>
public sealed record FixedLength(int Length, LengthMode Mode = LengthMode.PadOrTrim, SequenceAlignment Alignment = SequenceAlignment.Center)
{
    /// <summary>The padding letter.</summary>
    public const char PadLetter = 'N';

    /// <summary>
    /// Fits <paramref name="sequence"/> to <see cref="Length"/>: returns it unchanged when it already
    /// has that length, otherwise pads with <c>N</c> or trims according to <see cref="Mode"/> and
    /// <see cref="Alignment"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The length differs and <see cref="Mode"/> forbids the change.</exception>
    public string Apply(string sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Length);
        int diff = Length - sequence.Length;
        if (diff == 0)
        {
            return sequence;
        }
        if (diff > 0)
        {
            if (Mode is LengthMode.Exact or LengthMode.Trim)
            {
                throw new ArgumentException($"Sequence of length {sequence.Length} is shorter than the required {Length} (allow padding to accept it).", nameof(sequence));
            }
            int left = Alignment switch
            {
                SequenceAlignment.Left => 0,
                SequenceAlignment.Right => diff,
                _ => diff / 2,
            };
            return string.Concat(new string(PadLetter, left), sequence, new string(PadLetter, diff - left));
        }
        if (Mode is LengthMode.Exact or LengthMode.Pad)
        {
            throw new ArgumentException($"Sequence of length {sequence.Length} is longer than the required {Length} (allow trimming to accept it).", nameof(sequence));
        }
        int excess = -diff;
        int start = Alignment switch
        {
            SequenceAlignment.Left => 0,
            SequenceAlignment.Right => excess,
            _ => excess / 2,
        };
        return sequence.Substring(start, Length);
    }
}
