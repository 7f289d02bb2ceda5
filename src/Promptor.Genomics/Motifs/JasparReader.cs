using System.Globalization;
using Promptor.Genomics.Dna;
using Promptor.Genomics.IO;

namespace Promptor.Genomics.Motifs;

/// <summary>
/// Reads count matrices in JASPAR's <c>.jaspar</c> format: per matrix a header line
/// <c>&gt;MA0004.1 Arnt</c> (id, then an optional name) followed by four rows, one per base,
/// <c>A [ 4 19 0 … ]</c>. The base letter and the brackets may be omitted (the plain <c>.pfm</c>
/// layout); rows without a letter are read in the order A, C, G, T. Counts become probabilities after
/// adding a pseudocount. Plain or gzip. Bad input raises <see cref="DataFormatException"/>.
/// </summary>
public static class JasparReader
{
    /// <summary>Reads every matrix of the file at <paramref name="path"/>.</summary>
    /// <param name="path">The <c>.jaspar</c> file.</param>
    /// <param name="pseudocount">Added to every count before normalising each column; default 0.</param>
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
        string? id = null, name = null;
        int headerLine = 0, lineNumber = 0;
        var rows = new float[DnaAlphabet.Size][];
        var seen = new bool[DnaAlphabet.Size];
        int rowCount = 0;

        void Finish()
        {
            if (id is null)
            {
                return;
            }
            if (rowCount != DnaAlphabet.Size)
            {
                throw new DataFormatException(sourceName, lineNumber, $"matrix '{id}' has {rowCount} base rows, expected 4 (A, C, G, T)", id);
            }
            int width = rows[0].Length;
            var weights = new float[width * DnaAlphabet.Size];
            for (int w = 0; w < width; w++)
            {
                float sum = 0;
                for (int b = 0; b < DnaAlphabet.Size; b++)
                {
                    sum += rows[b][w];
                    weights[w * DnaAlphabet.Size + b] = rows[b][w] + pseudocount;
                }
                if (sum + DnaAlphabet.Size * pseudocount <= 0)
                {
                    throw new DataFormatException(sourceName, headerLine, $"matrix '{id}' column {w + 1}: all counts are 0", id);
                }
            }
            double sites = rows[0][0] + rows[1][0] + rows[2][0] + rows[3][0];
            motifs.Add(new Motif(id, weights, name ?? "", sites));
            id = null;
        }

        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            string t = line.Trim();
            if (t.Length == 0 || t[0] == '#')
            {
                continue;
            }
            if (t[0] == '>')
            {
                Finish();
                var parts = t[1..].Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (parts.Length == 0)
                {
                    throw new DataFormatException(sourceName, lineNumber, "header '>' without a matrix id", "id");
                }
                id = parts[0];
                name = parts.Length > 1 ? parts[1] : "";
                if (!firstLineOf.TryAdd(id, lineNumber))
                {
                    throw new DataFormatException(sourceName, lineNumber, $"duplicate matrix id '{id}' (first on line {firstLineOf[id]})", id);
                }
                headerLine = lineNumber;
                rowCount = 0;
                Array.Clear(seen);
                continue;
            }
            if (id is null)
            {
                throw new DataFormatException(sourceName, lineNumber, "count row before any '>id name' header", "header");
            }
            ReadRow(t, sourceName, lineNumber, id, rows, seen, ref rowCount);
        }
        Finish();
        if (motifs.Count == 0)
        {
            throw new DataFormatException(sourceName, lineNumber, lineNumber == 0 ? "file is empty" : "no matrices in the file", "header");
        }
        return motifs;
    }

    private static void ReadRow(string t, string sourceName, int lineNumber, string id, float[][] rows, bool[] seen, ref int rowCount)
    {
        if (rowCount == DnaAlphabet.Size)
        {
            throw new DataFormatException(sourceName, lineNumber, $"matrix '{id}' has more than 4 base rows", id);
        }
        int baseIndex = rowCount;
        string numbers = t;
        if (char.IsLetter(t[0]))
        {
            baseIndex = t.Length > 1 && (char.IsWhiteSpace(t[1]) || t[1] == '[') ? DnaAlphabet.IndexOf(char.ToUpperInvariant(t[0])) : -1;
            if (baseIndex < 0)
            {
                throw new DataFormatException(sourceName, lineNumber, $"matrix '{id}': row label '{t.Split(' ')[0]}' is not one of A, C, G, T", id);
            }
            numbers = t[1..];
        }
        if (seen[baseIndex])
        {
            throw new DataFormatException(sourceName, lineNumber, $"matrix '{id}': base {DnaAlphabet.Bases[baseIndex]} appears twice", id);
        }
        numbers = numbers.Replace('[', ' ').Replace(']', ' ');
        var fields = numbers.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0)
        {
            throw new DataFormatException(sourceName, lineNumber, $"matrix '{id}' row {DnaAlphabet.Bases[baseIndex]}: no counts", id);
        }
        var values = new float[fields.Length];
        for (int i = 0; i < fields.Length; i++)
        {
            if (!float.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !float.IsFinite(values[i]) || values[i] < 0)
            {
                throw new DataFormatException(sourceName, lineNumber, $"matrix '{id}' row {DnaAlphabet.Bases[baseIndex]}: count '{fields[i]}' is not a non-negative number", id);
            }
        }
        if (rowCount > 0)
        {
            int width = rows[Array.IndexOf(seen, true)].Length;
            if (values.Length != width)
            {
                throw new DataFormatException(sourceName, lineNumber, $"matrix '{id}' row {DnaAlphabet.Bases[baseIndex]}: {values.Length} counts, but earlier rows have {width}", id);
            }
        }
        rows[baseIndex] = values;
        seen[baseIndex] = true;
        rowCount++;
    }
}
