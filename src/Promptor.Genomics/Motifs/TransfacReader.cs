using System.Globalization;
using Promptor.Genomics.IO;

namespace Promptor.Genomics.Motifs;

/// <summary>
/// Reads TRANSFAC-format count matrices as distributed by JASPAR (<c>AC</c> id, <c>ID</c> name, a
/// <c>PO</c>/<c>P0</c> header naming the A C G T columns, numbered count rows, <c>//</c> ending each
/// record). Counts become probabilities after adding a pseudocount. Plain or gzip. Bad input raises
/// <see cref="DataFormatException"/>.
/// </summary>
public static class TransfacReader
{
    /// <summary>Reads every matrix of the file at <paramref name="path"/>.</summary>
    /// <param name="path">The TRANSFAC file.</param>
    /// <param name="pseudocount">Added to every count before normalising each row; default 0 (plain frequencies).</param>
    public static IReadOnlyList<Motif> Read(string path, float pseudocount = 0f)
    {
        using var reader = DataFile.OpenText(path);
        return Read(reader, path, pseudocount);
    }

    /// <summary>Reads from <paramref name="reader"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static IReadOnlyList<Motif> Read(TextReader reader, string sourceName, float pseudocount = 0f)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!float.IsFinite(pseudocount) || pseudocount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pseudocount), "The pseudocount must be finite and non-negative.");
        }
        var motifs = new List<Motif>();
        var firstLineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        string? accession = null, name = null;
        int[]? columnOfBase = null; // file column → base index
        var counts = new List<float>();
        int recordLine = 0, lineNumber = 0;

        void Finish()
        {
            if (recordLine == 0)
            {
                return;
            }
            string id = accession ?? name ?? throw new DataFormatException(sourceName, recordLine, "record has neither AC nor ID line", "AC");
            if (counts.Count == 0)
            {
                throw new DataFormatException(sourceName, recordLine, $"record '{id}' has no count matrix (PO/P0 rows)", id);
            }
            if (!firstLineOf.TryAdd(id, recordLine))
            {
                throw new DataFormatException(sourceName, recordLine, $"duplicate matrix id '{id}' (first on line {firstLineOf[id]})", id);
            }
            var w = counts.Select(c => c + pseudocount).ToArray();
            motifs.Add(new Motif(id, w, name ?? "", counts[0] + counts[1] + counts[2] + counts[3]));
            accession = name = null;
            columnOfBase = null;
            counts.Clear();
            recordLine = 0;
        }

        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            string t = line.Trim();
            if (t.Length == 0)
            {
                continue;
            }
            if (t.StartsWith("//", StringComparison.Ordinal))
            {
                Finish();
                continue;
            }
            if (recordLine == 0)
            {
                recordLine = lineNumber;
            }
            var parts = t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            string tag = parts[0];
            switch (tag)
            {
                case "AC":
                    accession = parts.Length > 1 ? parts[1] : throw new DataFormatException(sourceName, lineNumber, "AC line without an accession", "AC");
                    break;
                case "ID":
                    name = parts.Length > 1 ? string.Join(' ', parts[1..]) : throw new DataFormatException(sourceName, lineNumber, "ID line without a name", "ID");
                    break;
                case "PO" or "P0":
                    columnOfBase = ParseBaseHeader(parts, sourceName, lineNumber);
                    break;
                case "XX" or "DE" or "CC" or "BF" or "BA" or "NA" or "DT" or "CO" or "RN" or "RA" or "RT" or "RL" or "RX" or "OS" or "SD":
                    break;
                default:
                    if (char.IsDigit(tag[0]))
                    {
                        if (columnOfBase is null)
                        {
                            throw new DataFormatException(sourceName, lineNumber, $"count row '{tag}' before the PO/P0 header", "PO");
                        }
                        ParseRow(parts, columnOfBase, counts, sourceName, lineNumber, accession ?? name ?? "?");
                    }
                    break;
            }
        }
        if (recordLine != 0)
        {
            Finish(); // a last record without '//'
        }
        if (motifs.Count == 0)
        {
            throw new DataFormatException(sourceName, lineNumber, lineNumber == 0 ? "file is empty" : "no matrices in the file", "PO");
        }
        return motifs;
    }

    private static int[] ParseBaseHeader(string[] parts, string sourceName, int lineNumber)
    {
        if (parts.Length != 5)
        {
            throw new DataFormatException(sourceName, lineNumber, $"PO header must name 4 bases, found {parts.Length - 1}", "PO");
        }
        var map = new int[4];
        var seen = new bool[4];
        for (int i = 0; i < 4; i++)
        {
            int b = parts[i + 1].Length == 1 ? Promptor.Genomics.Dna.DnaAlphabet.IndexOf(parts[i + 1][0]) : -1;
            if (b < 0 || seen[b])
            {
                throw new DataFormatException(sourceName, lineNumber, $"PO header column '{parts[i + 1]}' is not one of A, C, G, T (each once)", "PO");
            }
            seen[b] = true;
            map[i] = b;
        }
        return map;
    }

    private static void ParseRow(string[] parts, int[] columnOfBase, List<float> counts, string sourceName, int lineNumber, string id)
    {
        if (parts.Length < 5)
        {
            throw new DataFormatException(sourceName, lineNumber, $"matrix '{id}' row {parts[0]}: expected 4 counts, found {parts.Length - 1}", id);
        }
        Span<float> row = stackalloc float[4];
        for (int i = 0; i < 4; i++)
        {
            if (!float.TryParse(parts[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v) || v < 0)
            {
                throw new DataFormatException(sourceName, lineNumber, $"matrix '{id}' row {parts[0]}: count '{parts[i + 1]}' is not a non-negative number", id);
            }
            row[columnOfBase[i]] = v;
        }
        if (row[0] + row[1] + row[2] + row[3] <= 0)
        {
            throw new DataFormatException(sourceName, lineNumber, $"matrix '{id}' row {parts[0]}: all counts are 0", id);
        }
        foreach (float v in row)
        {
            counts.Add(v);
        }
    }
}
