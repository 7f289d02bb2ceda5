namespace Promptor.Genomics.IO;

/// <summary>Writes FASTA files atomically (see <see cref="DataFile.WriteTextAtomic"/>); gzip when the path ends in <c>.gz</c>.</summary>
public static class FastaWriter
{
    /// <summary>
    /// Writes <paramref name="records"/> to <paramref name="path"/> as <c>&gt;id description</c> headers
    /// followed by the sequence wrapped at <paramref name="lineWidth"/> letters (default 60; 0 = one line).
    /// </summary>
    /// <exception cref="ArgumentException">A record with an empty id, or an id containing whitespace.</exception>
    public static void Write(string path, IEnumerable<FastaRecord> records, int lineWidth = 60)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentOutOfRangeException.ThrowIfNegative(lineWidth);
        DataFile.WriteTextAtomic(path, writer => Write(writer, records, lineWidth));
    }

    /// <summary>Writes <paramref name="records"/> to <paramref name="writer"/> (not atomic).</summary>
    public static void Write(TextWriter writer, IEnumerable<FastaRecord> records, int lineWidth = 60)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(records);
        foreach (var r in records)
        {
            if (r.Id.Length == 0 || r.Id.AsSpan().IndexOfAny(" \t\r\n") >= 0)
            {
                throw new ArgumentException($"FASTA id '{r.Id}' must be non-empty and contain no whitespace.", nameof(records));
            }
            writer.Write('>');
            writer.Write(r.Id);
            if (r.Description.Length > 0)
            {
                writer.Write(' ');
                writer.Write(r.Description);
            }
            writer.WriteLine();
            var s = r.Sequence.AsSpan();
            int width = lineWidth == 0 ? Math.Max(s.Length, 1) : lineWidth;
            for (int i = 0; i < s.Length; i += width)
            {
                writer.Write(s.Slice(i, Math.Min(width, s.Length - i)));
                writer.WriteLine();
            }
        }
    }
}
