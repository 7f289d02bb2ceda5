using System.Globalization;
using Promptor.Genomics.IO;

namespace Promptor.Genomics.Motifs;

/// <summary>
/// Reads per-base importance tracks from a tab-separated table: a header whose first two columns are
/// <c>gene</c> and <c>treatment</c> and whose remaining columns (any names, e.g. <c>p0 … p{L-1}</c>) hold
/// one value per base; then one row per gene and treatment. This is the layout of the attention
/// export's <c>example_genes.tsv</c>. Plain or gzip; comma-separated when the header has no tab.
/// Bad input raises <see cref="DataFormatException"/> naming file, line and column.
/// </summary>
public static class ImportanceTrackReader
{
    /// <summary>Reads every track of the file at <paramref name="path"/>.</summary>
    public static IReadOnlyList<ImportanceTrack> Read(string path)
    {
        using var reader = DataFile.OpenText(path);
        return Read(reader, path);
    }

    /// <summary>Reads from <paramref name="reader"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static IReadOnlyList<ImportanceTrack> Read(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string? header = reader.ReadLine();
        int lineNumber = 1;
        while (header is not null && header.Trim().Length == 0)
        {
            header = reader.ReadLine();
            lineNumber++;
        }
        if (header is null)
        {
            throw new DataFormatException(sourceName, 0, "track file is empty (expected a header 'gene, treatment, values…')", "gene");
        }
        char delimiter = DelimitedText.DelimiterFromHeader(header);
        var columns = header.Split(delimiter);
        if (columns.Length < 3 || !columns[0].Trim().Equals("gene", StringComparison.OrdinalIgnoreCase)
            || !columns[1].Trim().Equals("treatment", StringComparison.OrdinalIgnoreCase))
        {
            throw new DataFormatException(sourceName, lineNumber, "header must start with the columns 'gene' and 'treatment', then one column per base", "gene");
        }
        int length = columns.Length - 2;
        var tracks = new List<ImportanceTrack>();
        var firstLineOf = new Dictionary<(string, string), int>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }
            var fields = line.Split(delimiter);
            if (fields.Length != columns.Length)
            {
                throw new DataFormatException(sourceName, lineNumber, $"{fields.Length} fields, but the header has {columns.Length} (gene, treatment and {length} values)", "values");
            }
            string gene = fields[0].Trim(), treatment = fields[1].Trim();
            if (gene.Length == 0 || treatment.Length == 0)
            {
                throw new DataFormatException(sourceName, lineNumber, "empty gene or treatment", gene.Length == 0 ? "gene" : "treatment");
            }
            if (!firstLineOf.TryAdd((gene, treatment), lineNumber))
            {
                throw new DataFormatException(sourceName, lineNumber, $"duplicate track for gene '{gene}' and treatment '{treatment}' (first on line {firstLineOf[(gene, treatment)]})", "gene");
            }
            var values = new float[length];
            for (int i = 0; i < length; i++)
            {
                if (!float.TryParse(fields[i + 2], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !float.IsFinite(values[i]))
                {
                    throw new DataFormatException(sourceName, lineNumber, $"column '{columns[i + 2].Trim()}': '{fields[i + 2]}' is not a finite number", columns[i + 2].Trim());
                }
            }
            tracks.Add(new ImportanceTrack(gene, treatment, values, lineNumber));
        }
        if (tracks.Count == 0)
        {
            throw new DataFormatException(sourceName, lineNumber, "no tracks after the header", "gene");
        }
        return tracks;
    }
}
