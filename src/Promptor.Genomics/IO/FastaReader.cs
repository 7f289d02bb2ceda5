using System.Text;
using Promptor.Genomics.Dna;

namespace Promptor.Genomics.IO;

/// <summary>
/// Reads DNA FASTA files, plain or gzip/bgzip-compressed (detected from the content). Records may
/// span many lines; the id is the first word of the header and the rest is kept as the description.
/// Sequence letters must be A, C, G, T or IUPAC codes in either case (lowercase soft-masking is
/// accepted and uppercased unless <c>keepCase</c>); spaces and tabs inside sequence lines are
/// ignored, blank lines skipped. Malformed input raises <see cref="DataFormatException"/>: an empty
/// file, sequence before the first header, a header without id, a record without sequence, a
/// duplicate id, or an illegal character (with its line and column).
/// </summary>
public static class FastaReader
{
    /// <summary>Reads every record of the file at <paramref name="path"/>.</summary>
    /// <param name="path">A <c>.fa</c>/<c>.fasta</c> file, optionally gzip- or bgzip-compressed.</param>
    /// <param name="keepCase">Keep lowercase letters instead of uppercasing them; default false.</param>
    public static IReadOnlyList<FastaRecord> Read(string path, bool keepCase = false)
    {
        using var reader = DataFile.OpenText(path);
        return Read(reader, path, keepCase);
    }

    /// <summary>Reads every record from <paramref name="reader"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static IReadOnlyList<FastaRecord> Read(TextReader reader, string sourceName, bool keepCase = false)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var records = new List<FastaRecord>();
        var firstLineOfId = new Dictionary<string, int>(StringComparer.Ordinal);
        var sequence = new StringBuilder();
        string? id = null, description = null;
        int headerLine = 0, lineNumber = 0;

        void Finish()
        {
            if (id is null)
            {
                return;
            }
            if (sequence.Length == 0)
            {
                throw new DataFormatException(sourceName, headerLine, $"record '{id}' has no sequence", id);
            }
            records.Add(new FastaRecord(id, description!, sequence.ToString()));
            sequence.Clear();
        }

        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length > 0 && line[0] == '>')
            {
                Finish();
                var header = line.AsSpan(1).Trim();
                int space = header.IndexOfAny(' ', '\t');
                id = (space < 0 ? header : header[..space]).ToString();
                description = space < 0 ? "" : header[(space + 1)..].Trim().ToString();
                headerLine = lineNumber;
                if (id.Length == 0)
                {
                    throw new DataFormatException(sourceName, lineNumber, "header line has no record id", "id");
                }
                if (!firstLineOfId.TryAdd(id, lineNumber))
                {
                    throw new DataFormatException(sourceName, lineNumber, $"duplicate record id '{id}' (first seen on line {firstLineOfId[id]})", id);
                }
                continue;
            }
            var text = line.AsSpan().Trim();
            if (text.Length == 0)
            {
                continue;
            }
            if (id is null)
            {
                throw new DataFormatException(sourceName, lineNumber, "sequence before the first '>' header line", "header");
            }
            AppendSequence(text, line, sequence, keepCase, sourceName, lineNumber, id);
        }
        Finish();
        if (records.Count == 0)
        {
            throw new DataFormatException(sourceName, lineNumber == 0 ? 0 : 1, lineNumber == 0 ? "file is empty (no FASTA records)" : "no FASTA records (no '>' header line)", "header");
        }
        return records;
    }

    /// <summary>
    /// Reads the file into a dictionary id → sequence (insertion order kept), e.g. a genome:
    /// chromosome name → sequence.
    /// </summary>
    public static Dictionary<string, string> ReadDictionary(string path, bool keepCase = false)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in Read(path, keepCase))
        {
            result.Add(record.Id, record.Sequence);
        }
        return result;
    }

    private static void AppendSequence(ReadOnlySpan<char> text, string line, StringBuilder sequence, bool keepCase, string sourceName, int lineNumber, string id)
    {
        foreach (char c in text)
        {
            if (c is ' ' or '\t')
            {
                continue;
            }
            if (!DnaAlphabet.IsLegal(c))
            {
                int column = line.IndexOf(c, StringComparison.Ordinal) + 1;
                string shown = char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString();
                throw new DataFormatException(sourceName, lineNumber, $"illegal character '{shown}' (column {column}) in sequence of record '{id}'", id);
            }
            sequence.Append(keepCase ? c : char.ToUpperInvariant(c));
        }
    }
}
