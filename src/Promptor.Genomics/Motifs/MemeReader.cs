using System.Globalization;
using Promptor.Genomics.IO;

namespace Promptor.Genomics.Motifs;

/// <summary>
/// Reads DNA motif files in MEME minimal motif format (version 4+): the <c>MEME version</c> line,
/// <c>ALPHABET= ACGT</c> (or a DNA custom alphabet block), optional <c>strands:</c> and background
/// frequencies, then per motif <c>MOTIF id [alt-name]</c> followed by
/// <c>letter-probability matrix: alength= 4 w= W …</c> and W rows of four numbers. Log-odds matrices and
/// <c>URL</c> lines are skipped. Plain or gzip. Bad input raises <see cref="DataFormatException"/>.
/// </summary>
public static class MemeReader
{
    /// <summary>How far a matrix row's probabilities may sum from 1 (rounding in published files) before the row is rejected: 0.1.</summary>
    public const double RowSumTolerance = 0.1;

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    public static MemeFile Read(string path)
    {
        using var reader = DataFile.OpenText(path);
        return Read(reader, path);
    }

    /// <summary>Reads from <paramref name="reader"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static MemeFile Read(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var lines = new LineReader(reader);
        var motifs = new List<Motif>();
        var firstLineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        float[] background = [0.25f, 0.25f, 0.25f, 0.25f];
        bool sawVersion = false;
        string? id = null, name = null;
        int motifLine = 0;
        bool hasMatrix = false;

        void FinishMotif()
        {
            if (id is not null && !hasMatrix)
            {
                throw new DataFormatException(sourceName, motifLine, $"motif '{id}' has no letter-probability matrix", id);
            }
        }

        string? line;
        while ((line = lines.Next()) is not null)
        {
            string t = line.Trim();
            if (t.Length == 0)
            {
                continue;
            }
            if (!sawVersion)
            {
                if (!t.StartsWith("MEME version", StringComparison.Ordinal))
                {
                    throw new DataFormatException(sourceName, lines.Number, "not a MEME motif file: the first line must be 'MEME version …'", "MEME version");
                }
                sawVersion = true;
                continue;
            }
            if (t.StartsWith("ALPHABET", StringComparison.Ordinal))
            {
                ReadAlphabet(t, lines, sourceName);
            }
            else if (t.StartsWith("Background letter frequencies", StringComparison.Ordinal))
            {
                background = ReadBackground(lines, sourceName);
            }
            else if (t.StartsWith("MOTIF", StringComparison.Ordinal))
            {
                FinishMotif();
                var parts = t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 2)
                {
                    throw new DataFormatException(sourceName, lines.Number, "MOTIF line without an id", "MOTIF");
                }
                id = parts[1];
                name = parts.Length > 2 ? string.Join(' ', parts[2..]) : "";
                motifLine = lines.Number;
                hasMatrix = false;
                if (!firstLineOf.TryAdd(id, lines.Number))
                {
                    throw new DataFormatException(sourceName, lines.Number, $"duplicate motif id '{id}' (first on line {firstLineOf[id]})", id);
                }
            }
            else if (t.StartsWith("letter-probability matrix", StringComparison.Ordinal))
            {
                if (id is null)
                {
                    throw new DataFormatException(sourceName, lines.Number, "letter-probability matrix before any MOTIF line", "MOTIF");
                }
                if (hasMatrix)
                {
                    throw new DataFormatException(sourceName, lines.Number, $"motif '{id}' has two letter-probability matrices", id);
                }
                motifs.Add(ReadMatrix(t, lines, sourceName, id, name!));
                hasMatrix = true;
            }
            else if (t.StartsWith("log-odds matrix", StringComparison.Ordinal))
            {
                SkipMatrix(t, lines);
            }
            // strands:, URL and any other annotation lines are ignored.
        }
        if (!sawVersion)
        {
            throw new DataFormatException(sourceName, 0, "file is empty (no 'MEME version' line)", "MEME version");
        }
        FinishMotif();
        if (motifs.Count == 0)
        {
            throw new DataFormatException(sourceName, lines.Number, "no motifs in the file", "MOTIF");
        }
        return new MemeFile(motifs, background);
    }

    private static void ReadAlphabet(string t, LineReader lines, string sourceName)
    {
        int eq = t.IndexOf('=', StringComparison.Ordinal);
        if (eq >= 0)
        {
            string letters = t[(eq + 1)..].Trim();
            if (letters != "ACGT")
            {
                throw new DataFormatException(sourceName, lines.Number, $"alphabet '{letters}' is not DNA (ACGT)", "ALPHABET");
            }
            return;
        }
        // MEME 5 custom alphabet block: ALPHABET "name" DNA-LIKE … END ALPHABET
        int startLine = lines.Number;
        if (!t.Contains("DNA", StringComparison.OrdinalIgnoreCase))
        {
            throw new DataFormatException(sourceName, lines.Number, $"alphabet '{t}' is not DNA", "ALPHABET");
        }
        string? line;
        while ((line = lines.Next()) is not null)
        {
            if (line.Trim().StartsWith("END ALPHABET", StringComparison.Ordinal))
            {
                return;
            }
        }
        throw new DataFormatException(sourceName, startLine, "ALPHABET block without 'END ALPHABET'", "ALPHABET");
    }

    private static float[] ReadBackground(LineReader lines, string sourceName)
    {
        string? line;
        while ((line = lines.Next()) is not null && line.Trim().Length == 0)
        {
        }
        var parts = (line ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var background = new float[4];
        var seen = new bool[4];
        if (parts.Length != 8)
        {
            throw new DataFormatException(sourceName, lines.Number, "background line must read 'A p C p G p T p'", "background");
        }
        for (int i = 0; i < parts.Length; i += 2)
        {
            int b = Promptor.Genomics.Dna.DnaAlphabet.IndexOf(parts[i].Length == 1 ? parts[i][0] : '?');
            if (b < 0 || seen[b] || !float.TryParse(parts[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out float p) || !float.IsFinite(p) || p < 0)
            {
                throw new DataFormatException(sourceName, lines.Number, $"bad background entry '{parts[i]} {parts[i + 1]}'", "background");
            }
            background[b] = p;
            seen[b] = true;
        }
        return background;
    }

    private static Dictionary<string, string> ParseKeyValues(string header)
    {
        // "letter-probability matrix: alength= 4 w= 7 nsites= 65 E= 0"
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        int colon = header.IndexOf(':', StringComparison.Ordinal);
        var tokens = header[(colon + 1)..].Replace("=", "= ", StringComparison.Ordinal).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i + 1 < tokens.Length; i++)
        {
            if (tokens[i].EndsWith('='))
            {
                result[tokens[i].TrimEnd('=')] = tokens[i + 1];
                i++;
            }
        }
        return result;
    }

    private static Motif ReadMatrix(string header, LineReader lines, string sourceName, string id, string name)
    {
        int headerLine = lines.Number;
        var keys = ParseKeyValues(header);
        if (keys.TryGetValue("alength", out var al) && al != "4")
        {
            throw new DataFormatException(sourceName, headerLine, $"motif '{id}': alength= {al}, expected 4", "alength");
        }
        int width = -1;
        if (keys.TryGetValue("w", out var ws) && (!int.TryParse(ws, NumberStyles.None, CultureInfo.InvariantCulture, out width) || width <= 0))
        {
            throw new DataFormatException(sourceName, headerLine, $"motif '{id}': w= '{ws}' is not a positive integer", "w");
        }
        double? sites = keys.TryGetValue("nsites", out var ns) && double.TryParse(ns, NumberStyles.Float, CultureInfo.InvariantCulture, out double n) ? n : null;
        var values = new List<float>();
        int rows = 0;
        string? line;
        while ((width < 0 || rows < width) && (line = lines.Peek()) is not null)
        {
            string t = line.Trim();
            if (t.Length == 0)
            {
                lines.Next();
                if (width < 0 && rows > 0)
                {
                    break; // without w=, a blank line ends the matrix
                }
                continue;
            }
            if (!(char.IsDigit(t[0]) || t[0] is '.' or '-' or '+'))
            {
                if (width < 0 && rows > 0)
                {
                    break;
                }
                lines.Next();
                throw new DataFormatException(sourceName, lines.Number, $"motif '{id}': expected {(width < 0 ? "matrix" : width.ToString(CultureInfo.InvariantCulture))} rows of 4 probabilities, found '{Shorten(t)}' after {rows}", id);
            }
            lines.Next();
            var parts = t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 4)
            {
                throw new DataFormatException(sourceName, lines.Number, $"motif '{id}' row {rows + 1}: expected 4 probabilities, found {parts.Length}", id);
            }
            double sum = 0;
            foreach (var p in parts)
            {
                if (!float.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v) || v < 0)
                {
                    throw new DataFormatException(sourceName, lines.Number, $"motif '{id}' row {rows + 1}: '{p}' is not a probability", id);
                }
                values.Add(v);
                sum += v;
            }
            if (Math.Abs(sum - 1) > RowSumTolerance)
            {
                throw new DataFormatException(sourceName, lines.Number, $"motif '{id}' row {rows + 1}: probabilities sum to {sum:0.###}, not 1", id);
            }
            rows++;
        }
        if (rows == 0 || (width > 0 && rows < width))
        {
            throw new DataFormatException(sourceName, lines.Number, $"motif '{id}': expected {(width < 0 ? 1 : width)} matrix rows, found {rows}", id);
        }
        return new Motif(id, values.ToArray(), name, sites);
    }

    private static void SkipMatrix(string header, LineReader lines)
    {
        var keys = ParseKeyValues(header);
        int width = keys.TryGetValue("w", out var ws) && int.TryParse(ws, out int w) ? w : int.MaxValue;
        int rows = 0;
        string? line;
        while (rows < width && (line = lines.Peek()) is not null)
        {
            string t = line.Trim();
            if (t.Length > 0 && !(char.IsDigit(t[0]) || t[0] is '.' or '-' or '+'))
            {
                return;
            }
            lines.Next();
            if (t.Length > 0)
            {
                rows++;
            }
        }
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";

    /// <summary>Line reader with one line of look-ahead and 1-based line numbers.</summary>
    private sealed class LineReader(TextReader reader)
    {
        private string? peeked;
        private bool hasPeeked;

        public int Number { get; private set; }

        public string? Peek()
        {
            if (!hasPeeked)
            {
                peeked = reader.ReadLine();
                hasPeeked = true;
            }
            return peeked;
        }

        public string? Next()
        {
            string? line = Peek();
            hasPeeked = false;
            if (line is not null)
            {
                Number++;
            }
            return line;
        }
    }
}
