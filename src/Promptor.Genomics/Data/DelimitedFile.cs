using System.Globalization;
using Promptor.Genomics.IO;

namespace Promptor.Genomics.Data;

/// <summary>Line-by-line reading of a delimited table with a header, shared by the table readers.</summary>
internal sealed class DelimitedFile : IDisposable
{
    private static readonly HashSet<string> s_missingTokens = new(StringComparer.OrdinalIgnoreCase) { "", "NA", "N/A", "NaN", "null", "None" };

    private readonly TextReader reader;

    private DelimitedFile(TextReader reader, string sourceName, char? delimiter)
    {
        this.reader = reader;
        SourceName = sourceName;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            LineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                break;
            }
        }
        if (line is null)
        {
            throw new DataFormatException(sourceName, 0, "file is empty (no header line)", "header");
        }
        Delimiter = delimiter ?? DelimitedText.DelimiterFromHeader(line);
        Header = DelimitedText.Split(line, Delimiter)?.Select(h => h.Trim()).ToArray()
            ?? throw new DataFormatException(sourceName, LineNumber, "unclosed quote in the header", "header");
        HeaderLine = LineNumber;
    }

    public string SourceName { get; }

    public char Delimiter { get; }

    public string[] Header { get; }

    public int HeaderLine { get; }

    public int LineNumber { get; private set; }

    public static DelimitedFile Open(string path, char? delimiter) =>
        Open(DataFile.OpenText(path), path, delimiter ?? DelimitedText.DelimiterFromPath(path));

    public static DelimitedFile Open(TextReader reader, string sourceName, char? delimiter)
    {
        try
        {
            return new DelimitedFile(reader, sourceName, delimiter);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>The next non-blank row, split; null at the end. Rows must have as many fields as the header.</summary>
    public List<string>? NextRow()
    {
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            LineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var fields = DelimitedText.Split(line, Delimiter)
                ?? throw new DataFormatException(SourceName, LineNumber, "unclosed quote", "row");
            if (fields.Count != Header.Length)
            {
                throw new DataFormatException(SourceName, LineNumber, $"expected {Header.Length} fields like the header, found {fields.Count} (delimiter {(Delimiter == '\t' ? "tab" : $"'{Delimiter}'")})", "row");
            }
            return fields;
        }
        return null;
    }

    /// <summary>Throws when two of <paramref name="columns"/> share a name.</summary>
    public void EnsureUniqueNames(IEnumerable<int> columns)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (int i in columns)
        {
            if (!seen.Add(Header[i]))
            {
                throw new DataFormatException(SourceName, HeaderLine, $"duplicate column name '{Header[i]}' in the header", Header[i]);
            }
        }
    }

    public int RequireColumn(string name, string role)
    {
        for (int i = 0; i < Header.Length; i++)
        {
            if (string.Equals(Header[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        throw new DataFormatException(SourceName, HeaderLine, $"no {role} column '{name}' in the header (columns: {string.Join(", ", Header)})", name);
    }

    /// <summary>Parses a value cell: NaN for a missing token (empty, NA, N/A, NaN, null, None), else a finite float.</summary>
    public float ParseValue(string text, string column)
    {
        var span = text.AsSpan().Trim();
        if (span.Length > 0 && (char.IsAsciiDigit(span[^1]) || span[^1] == '.')
            && double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out double quick) && double.IsFinite(quick) && Math.Abs(quick) <= float.MaxValue)
        {
            return (float)quick; // the common case: a plain number
        }
        string t = span.ToString();
        if (s_missingTokens.Contains(t))
        {
            return float.NaN;
        }
        string unsigned = t.TrimStart('+', '-');
        if (unsigned.Equals("inf", StringComparison.OrdinalIgnoreCase) || unsigned.Equals("infinity", StringComparison.OrdinalIgnoreCase) || unsigned == "∞")
        {
            throw new DataFormatException(SourceName, LineNumber, $"non-finite value '{t}' in column '{column}'", column);
        }
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
        {
            throw new DataFormatException(SourceName, LineNumber, $"non-numeric value '{t}' in column '{column}'", column);
        }
        if (!double.IsFinite(v) || Math.Abs(v) > float.MaxValue)
        {
            throw new DataFormatException(SourceName, LineNumber, $"non-finite value '{t}' in column '{column}'", column);
        }
        return (float)v;
    }

    public void Dispose() => reader.Dispose();
}
