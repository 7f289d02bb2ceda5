using System.Globalization;
using Promptor.Genomics.IO;

namespace Promptor.Genomics.Data;

/// <summary>Writes expression tables atomically as TSV or CSV (by extension; gzip for <c>.gz</c>); missing cells as <c>NA</c>.</summary>
public static class ExpressionTableWriter
{
    /// <summary>
    /// Writes <paramref name="table"/> in wide form: header <c>gene</c> + condition names, one row per gene.
    /// Values use the shortest round-trip representation.
    /// </summary>
    /// <param name="path">Output path; <c>.csv</c> gives commas, anything else tabs.</param>
    /// <param name="table">The table.</param>
    /// <param name="geneColumn">Header of the gene column; default <c>gene</c>.</param>
    public static void WriteWide(string path, ExpressionTable table, string geneColumn = "gene")
    {
        ArgumentNullException.ThrowIfNull(table);
        char d = DelimitedText.DelimiterFromPath(path) ?? '\t';
        DataFile.WriteTextAtomic(path, w =>
        {
            w.Write(Quote(geneColumn, d));
            foreach (var c in table.Conditions)
            {
                w.Write(d);
                w.Write(Quote(c, d));
            }
            w.WriteLine();
            for (int g = 0; g < table.GeneCount; g++)
            {
                w.Write(Quote(table.GeneIds[g], d));
                var row = table.Row(g);
                for (int c = 0; c < row.Length; c++)
                {
                    w.Write(d);
                    w.Write(Format(row[c]));
                }
                w.WriteLine();
            }
        });
    }

    /// <summary>Writes <paramref name="table"/> in long form (<c>gene, condition, value</c>), observed cells only.</summary>
    public static void WriteLong(string path, ExpressionTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        char d = DelimitedText.DelimiterFromPath(path) ?? '\t';
        DataFile.WriteTextAtomic(path, w =>
        {
            w.WriteLine($"gene{d}condition{d}value");
            for (int g = 0; g < table.GeneCount; g++)
            {
                for (int c = 0; c < table.ConditionCount; c++)
                {
                    if (table.IsObserved(g, c))
                    {
                        w.WriteLine($"{Quote(table.GeneIds[g], d)}{d}{Quote(table.Conditions[c], d)}{d}{Format(table[g, c])}");
                    }
                }
            }
        });
    }

    internal static string Format(float v) => float.IsNaN(v) ? "NA" : v.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string s, char d) =>
        s.Contains(d) || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
