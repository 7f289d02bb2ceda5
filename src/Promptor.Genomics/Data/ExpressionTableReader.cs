using Promptor.Genomics.IO;

namespace Promptor.Genomics.Data;

/// <summary>
/// Reads expression tables from TSV or CSV files (plain or gzip), wide (gene × condition) or long
/// (gene, condition, value). Missing values — empty cells, <c>NA</c>, <c>N/A</c>, <c>NaN</c>,
/// <c>null</c>, <c>None</c> (any case) — become masked cells, never zeros. Bad input raises
/// <see cref="DataFormatException"/> naming the line and the column: a non-numeric or infinite value,
/// a duplicate gene (or gene–condition pair), an empty gene id, a ragged row, a missing required
/// column, or a condition with no values at all.
/// </summary>
public static class ExpressionTableReader
{
    /// <summary>Reads a wide table: a header row, then one row per gene with one numeric column per condition.</summary>
    public static ExpressionTable ReadWide(string path, WideTableOptions? options = null)
    {
        options ??= new WideTableOptions();
        using var file = DelimitedFile.Open(path, options.Delimiter);
        return ReadWide(file, options);
    }

    /// <summary>Reads a wide table from <paramref name="reader"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static ExpressionTable ReadWide(TextReader reader, string sourceName, WideTableOptions? options = null)
    {
        options ??= new WideTableOptions();
        using var file = DelimitedFile.Open(reader, sourceName, options.Delimiter ?? DelimitedText.DelimiterFromPath(sourceName));
        return ReadWide(file, options);
    }

    /// <summary>Reads a long table: a header with gene, condition and value columns, one row per measurement.</summary>
    public static ExpressionTable ReadLong(string path, LongTableOptions? options = null)
    {
        options ??= new LongTableOptions();
        using var file = DelimitedFile.Open(path, options.Delimiter);
        return ReadLong(file, options);
    }

    /// <summary>Reads a long table from <paramref name="reader"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static ExpressionTable ReadLong(TextReader reader, string sourceName, LongTableOptions? options = null)
    {
        options ??= new LongTableOptions();
        using var file = DelimitedFile.Open(reader, sourceName, options.Delimiter ?? DelimitedText.DelimiterFromPath(sourceName));
        return ReadLong(file, options);
    }

    private static ExpressionTable ReadWide(DelimitedFile file, WideTableOptions options)
    {
        int geneColumn = options.GeneColumn is null ? 0 : file.RequireColumn(options.GeneColumn, "gene");
        var ignored = new HashSet<string>(options.IgnoredColumns, StringComparer.OrdinalIgnoreCase);
        var valueColumns = Enumerable.Range(0, file.Header.Length)
            .Where(i => i != geneColumn && !ignored.Contains(file.Header[i]))
            .ToArray();
        foreach (int i in valueColumns)
        {
            if (file.Header[i].Length == 0)
            {
                throw new DataFormatException(file.SourceName, file.HeaderLine, $"column {i + 1} has an empty name in the header", $"column {i + 1}");
            }
        }
        file.EnsureUniqueNames(valueColumns.Append(geneColumn));
        if (valueColumns.Length == 0)
        {
            throw new DataFormatException(file.SourceName, file.HeaderLine, "no condition columns in the header", "header");
        }
        var genes = new List<string>();
        var lineOfGene = new Dictionary<string, int>(StringComparer.Ordinal);
        var values = new List<float>();
        List<string>? row;
        while ((row = file.NextRow()) is not null)
        {
            string gene = ReadGene(file, row[geneColumn], file.Header[geneColumn], lineOfGene);
            genes.Add(gene);
            foreach (int i in valueColumns)
            {
                values.Add(file.ParseValue(row[i], file.Header[i]));
            }
        }
        var conditions = valueColumns.Select(i => file.Header[i]).ToArray();
        return Build(file, genes, conditions, values.ToArray());
    }

    private static ExpressionTable ReadLong(DelimitedFile file, LongTableOptions options)
    {
        int gc = file.RequireColumn(options.GeneColumn, "gene");
        int cc = file.RequireColumn(options.ConditionColumn, "condition");
        int vc = file.RequireColumn(options.ValueColumn, "value");
        var genes = new List<string>();
        var geneIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var conditions = new List<string>();
        var conditionIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var cells = new Dictionary<(int Gene, int Condition), (float Value, int Line)>();
        List<string>? row;
        while ((row = file.NextRow()) is not null)
        {
            string gene = row[gc].Trim();
            string condition = row[cc].Trim();
            if (gene.Length == 0)
            {
                throw new DataFormatException(file.SourceName, file.LineNumber, $"empty gene id in column '{file.Header[gc]}'", file.Header[gc]);
            }
            if (condition.Length == 0)
            {
                throw new DataFormatException(file.SourceName, file.LineNumber, $"empty condition in column '{file.Header[cc]}'", file.Header[cc]);
            }
            float value = file.ParseValue(row[vc], file.Header[vc]);
            if (!geneIndex.TryGetValue(gene, out int g))
            {
                geneIndex[gene] = g = genes.Count;
                genes.Add(gene);
            }
            if (!conditionIndex.TryGetValue(condition, out int c))
            {
                conditionIndex[condition] = c = conditions.Count;
                conditions.Add(condition);
            }
            if (!cells.TryAdd((g, c), (value, file.LineNumber)))
            {
                throw new DataFormatException(file.SourceName, file.LineNumber, $"duplicate gene '{gene}' under condition '{condition}' (first on line {cells[(g, c)].Line})", file.Header[gc]);
            }
        }
        var values = new float[genes.Count * conditions.Count];
        Array.Fill(values, float.NaN);
        foreach (var ((g, c), (v, _)) in cells)
        {
            values[g * conditions.Count + c] = v;
        }
        return Build(file, genes, conditions, values);
    }

    private static string ReadGene(DelimitedFile file, string text, string column, Dictionary<string, int> lineOfGene)
    {
        string gene = text.Trim();
        if (gene.Length == 0)
        {
            throw new DataFormatException(file.SourceName, file.LineNumber, $"empty gene id in column '{column}'", column);
        }
        if (!lineOfGene.TryAdd(gene, file.LineNumber))
        {
            throw new DataFormatException(file.SourceName, file.LineNumber, $"duplicate gene '{gene}' in column '{column}' (first on line {lineOfGene[gene]})", column);
        }
        return gene;
    }

    private static ExpressionTable Build(DelimitedFile file, List<string> genes, IReadOnlyList<string> conditions, float[] values)
    {
        if (genes.Count == 0)
        {
            throw new DataFormatException(file.SourceName, file.HeaderLine, "no data rows after the header", "row");
        }
        var table = new ExpressionTable(genes, conditions, values);
        for (int c = 0; c < table.ConditionCount; c++)
        {
            if (table.ObservedCountOf(c) == 0)
            {
                throw new DataFormatException(file.SourceName, file.HeaderLine, $"condition '{conditions[c]}' has no values (all missing)", conditions[c]);
            }
        }
        return table;
    }
}
