namespace Promptor.Genomics.Generative;

/// <summary>Cuts long DNA sequences into consecutive non-overlapping windows for a language model.</summary>
public static class SequenceWindows
{
    /// <summary>
    /// Windows of <paramref name="length"/> bases from the start of each sequence; a shorter last
    /// window is kept when it has at least <paramref name="minLength"/> bases (default: half the length).
    /// </summary>
    public static IReadOnlyList<string> Cut(IEnumerable<string> sequences, int length, int? minLength = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        int min = minLength ?? Math.Max(1, length / 2);
        var result = new List<string>();
        foreach (var s in sequences)
        {
            for (int start = 0; start < s.Length; start += length)
            {
                int n = Math.Min(length, s.Length - start);
                if (n >= min)
                {
                    result.Add(s.Substring(start, n));
                }
            }
        }
        return result;
    }
}
