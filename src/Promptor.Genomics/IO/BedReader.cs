using System.Globalization;

namespace Promptor.Genomics.IO;

/// <summary>
/// Reads BED files (BED3 to BED6 and beyond; columns 7+ are kept verbatim), plain or gzip. Columns are
/// tab-separated (lines without a tab are split on runs of spaces). Blank lines, <c>#</c> comments and
/// <c>track</c>/<c>browser</c> lines are skipped. Coordinates are 0-based half-open. Malformed lines
/// raise <see cref="DataFormatException"/> naming the line and the column.
/// </summary>
public static class BedReader
{
    private static readonly string[] s_columnNames = ["chrom", "chromStart", "chromEnd", "name", "score", "strand"];

    /// <summary>Reads every feature of the file at <paramref name="path"/>.</summary>
    public static IReadOnlyList<BedRecord> Read(string path)
    {
        using var reader = DataFile.OpenText(path);
        return Read(reader, path);
    }

    /// <summary>Reads every feature from <paramref name="reader"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static IReadOnlyList<BedRecord> Read(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var records = new List<BedRecord>();
        string? line;
        int lineNumber = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || line[0] == '#'
                || line.StartsWith("track", StringComparison.Ordinal) || line.StartsWith("browser", StringComparison.Ordinal))
            {
                continue;
            }
            records.Add(ParseLine(line, sourceName, lineNumber));
        }
        return records;
    }

    private static BedRecord ParseLine(string line, string sourceName, int lineNumber)
    {
        string[] f = line.Contains('\t')
            ? line.TrimEnd('\t', ' ').Split('\t')
            : line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 3)
        {
            throw new DataFormatException(sourceName, lineNumber, $"expected at least 3 columns (chrom, chromStart, chromEnd), found {f.Length}", "chromEnd");
        }
        string chrom = f[0].Trim();
        if (chrom.Length == 0)
        {
            throw new DataFormatException(sourceName, lineNumber, "empty chromosome name in column 'chrom'", "chrom");
        }
        int start = ParseCoordinate(f[1], 1, sourceName, lineNumber);
        int end = ParseCoordinate(f[2], 2, sourceName, lineNumber);
        if (end < start)
        {
            throw new DataFormatException(sourceName, lineNumber, $"chromEnd {end} is smaller than chromStart {start}", "chromEnd");
        }
        string? name = f.Length > 3 ? f[3].Trim() : null;
        double? score = null;
        if (f.Length > 4)
        {
            string s = f[4].Trim();
            if (s != ".")
            {
                if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                {
                    throw new DataFormatException(sourceName, lineNumber, $"score '{s}' in column 'score' is not a number", "score");
                }
                score = v;
            }
        }
        var strand = Strand.None;
        if (f.Length > 5)
        {
            strand = f[5].Trim() switch
            {
                "+" => Strand.Plus,
                "-" => Strand.Minus,
                "." or "" => Strand.None,
                var s => throw new DataFormatException(sourceName, lineNumber, $"strand '{s}' in column 'strand' is not '+', '-' or '.'", "strand"),
            };
        }
        IReadOnlyList<string> extra = f.Length > 6 ? f[6..] : [];
        return new BedRecord(chrom, start, end, name, score, strand, lineNumber, extra);
    }

    private static int ParseCoordinate(string text, int column, string sourceName, int lineNumber)
    {
        string name = s_columnNames[column];
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int v))
        {
            throw new DataFormatException(sourceName, lineNumber, $"{name} '{text}' in column '{name}' is not a non-negative integer", name);
        }
        return v;
    }
}
