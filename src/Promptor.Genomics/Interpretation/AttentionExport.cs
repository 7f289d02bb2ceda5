using System.Globalization;
using System.Text;
using Promptor.Genomics.IO;
using Promptor.Genomics.Reports.Svg;
using Promptor.Nn.Serialization;

namespace Promptor.Genomics.Interpretation;

/// <summary>
/// Writes attention maps for people and for Python: per-gene TSV (<c>treatment, head, p0 … p{L−1}</c>,
/// heads <c>0 … H−1</c> then <c>mean</c>), per-gene NumPy <c>.npy</c> (<c>(nT, S, L)</c> float32, the head
/// average in the last slot), per-gene SVG heat maps (treatments × positions with the sequence beneath),
/// and the example-gene table <c>gene, treatment, p0 … p{L−1}</c> (head average). Every file is written
/// atomically.
/// </summary>
public static class AttentionExport
{
    /// <summary>Name of the head-average rows in the per-gene TSV.</summary>
    public const string MeanHead = "mean";

    /// <summary>The per-gene TSV of gene <paramref name="gene"/>: one row per treatment × head (and mean).</summary>
    public static string GeneTsv(AttentionMapSet maps, int gene)
    {
        ArgumentNullException.ThrowIfNull(maps);
        var sb = new StringBuilder();
        sb.Append("treatment\thead");
        AppendPositionHeader(sb, maps.Length);
        for (int t = 0; t < maps.Treatments.Count; t++)
        {
            if (maps.KeepsHeads)
            {
                for (int h = 0; h < maps.Heads; h++)
                {
                    sb.Append(maps.Treatments[t]).Append('\t').Append(h.ToString(CultureInfo.InvariantCulture));
                    AppendValues(sb, maps.Map(gene, t, h));
                }
            }
            sb.Append(maps.Treatments[t]).Append('\t').Append(MeanHead);
            AppendValues(sb, maps.Map(gene, t));
        }
        return sb.ToString();
    }

    /// <summary>Writes <see cref="GeneTsv"/> to <paramref name="path"/>.</summary>
    public static void WriteGeneTsv(string path, AttentionMapSet maps, int gene) => AtomicFile.WriteAllText(path, GeneTsv(maps, gene));

    /// <summary>Writes gene <paramref name="gene"/>'s maps as a <c>(nT, S, L)</c> float32 <c>.npy</c> (head average last).</summary>
    public static void WriteGeneNpy(string path, AttentionMapSet maps, int gene)
    {
        ArgumentNullException.ThrowIfNull(maps);
        int block = maps.Treatments.Count * maps.Slots * maps.Length;
        NpyWriter.Write(path, [maps.Treatments.Count, maps.Slots, maps.Length], maps.BasePairs.AsSpan(gene * block, block).ToArray());
    }

    /// <summary>
    /// The SVG heat map of gene <paramref name="gene"/>: treatments × base pairs of the head average (or of
    /// <paramref name="head"/>), with <paramref name="sequence"/> beneath.
    /// </summary>
    public static SvgDocument GeneSvg(AttentionMapSet maps, int gene, string? sequence, int? head = null)
    {
        ArgumentNullException.ThrowIfNull(maps);
        var values = new double[maps.Treatments.Count, maps.Length];
        for (int t = 0; t < maps.Treatments.Count; t++)
        {
            var map = maps.Map(gene, t, head);
            for (int p = 0; p < maps.Length; p++)
            {
                values[t, p] = map[p];
            }
        }
        string which = head is int h ? $"head {h}" : "mean over heads";
        return new SequenceHeatmap(values, maps.Treatments, sequence)
        {
            Title = $"{maps.Genes[gene]}: treatment attention ({which})",
            ColorBarLabel = "attention per bp",
            RowHeight = Math.Clamp(360.0 / maps.Treatments.Count, 8, 18),
        }.Render();
    }

    /// <summary>
    /// The example-gene table: header <c>gene treatment p0 … p{L−1}</c>, then one row per listed gene and
    /// treatment with its head-averaged base-pair map.
    /// </summary>
    public static string ExampleGenesTsv(AttentionMapSet maps, IEnumerable<int> genes)
    {
        ArgumentNullException.ThrowIfNull(maps);
        ArgumentNullException.ThrowIfNull(genes);
        var sb = new StringBuilder();
        sb.Append("gene\ttreatment");
        AppendPositionHeader(sb, maps.Length);
        foreach (int g in genes)
        {
            for (int t = 0; t < maps.Treatments.Count; t++)
            {
                sb.Append(maps.Genes[g]).Append('\t').Append(maps.Treatments[t]);
                AppendValues(sb, maps.Map(g, t));
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// A file-name stem for a gene id: letters, digits, '.', '-' and '_' kept, anything else replaced by '_'
    /// (ids like <c>YAL001C</c> stay as they are).
    /// </summary>
    public static string FileStem(string geneId)
    {
        ArgumentException.ThrowIfNullOrEmpty(geneId);
        var chars = geneId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray();
        string stem = new(chars);
        return stem.Trim('.').Length == 0 ? "_" + stem : stem;
    }

    private static void AppendPositionHeader(StringBuilder sb, int length)
    {
        for (int p = 0; p < length; p++)
        {
            sb.Append("\tp").Append(p.ToString(CultureInfo.InvariantCulture));
        }
        sb.Append('\n');
    }

    private static void AppendValues(StringBuilder sb, ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            sb.Append('\t').Append(v.ToString("G6", CultureInfo.InvariantCulture));
        }
        sb.Append('\n');
    }
}
