using System.Globalization;
using Promptor.Genomics.IO;

namespace Promptor.Genomics.Motifs;

/// <summary>
/// Reads per-base importance tracks from NumPy <c>.npy</c> float32 arrays (<see cref="NpyReader"/>), in two
/// layouts:
/// <list type="bullet">
/// <item><description>one array for all genes (<see cref="ReadStacked"/>): shape <c>(G, T, L)</c> — genes in the
/// order of their FASTA file, treatments in the order of the names given, one value per base — or
/// <c>(G, L)</c> for a single treatment;</description></item>
/// <item><description>one array per gene (<see cref="ReadGene"/>), as the attention export writes
/// <c>maps/GENE.npy</c>: shape <c>(T, S, L)</c> with the head average in the last slot (the one used), or
/// <c>(T, L)</c>.</description></item>
/// </list>
/// A wrong element type, a shape that does not fit the genes, the treatments or the sequence length, or a
/// non-finite value raises a one-line <see cref="DataFormatException"/> naming the file and the field
/// (<c>descr</c>, <c>shape</c> or <c>data</c>).
/// </summary>
public static class NpyTrackReader
{
    /// <summary>Reads the tracks of every gene from one array of shape <c>(G, T, L)</c> or <c>(G, L)</c>.</summary>
    /// <param name="path">The <c>.npy</c> file.</param>
    /// <param name="genes">The G genes (id and sequence) in the array's order; every sequence must have L bases.</param>
    /// <param name="treatments">The T treatment names in the array's order (one name for a <c>(G, L)</c> array).</param>
    /// <returns>G × T tracks, gene by gene, treatments in the given order.</returns>
    /// <exception cref="DataFormatException">Not a float32 C-order array, a shape that does not fit, or a non-finite value.</exception>
    public static IReadOnlyList<ImportanceTrack> ReadStacked(string path, IReadOnlyList<FastaRecord> genes, IReadOnlyList<string> treatments)
    {
        ArgumentNullException.ThrowIfNull(genes);
        ArgumentNullException.ThrowIfNull(treatments);
        var array = NpyReader.Read(path);
        var shape = array.Shape;
        string given = ShapeText(shape);
        if (shape.Count is not (2 or 3))
        {
            throw Error(path, $"shape {given} has {shape.Count} dimensions; expected (genes, treatments, bases) or (genes, bases)", "shape");
        }
        int g = shape[0], t = shape.Count == 3 ? shape[1] : 1, l = shape[^1];
        if (g != genes.Count)
        {
            throw Error(path, $"shape {given} holds {g} genes but the sequences are {genes.Count}", "shape");
        }
        if (t != treatments.Count)
        {
            throw Error(path, $"shape {given} holds {t} treatment{(t == 1 ? "" : "s")} but {treatments.Count} treatment name{(treatments.Count == 1 ? " was" : "s were")} given ({string.Join(", ", treatments)})", "shape");
        }
        CheckLengths(path, given, l, genes);
        var tracks = new List<ImportanceTrack>(g * t);
        for (int n = 0; n < g; n++)
        {
            for (int k = 0; k < t; k++)
            {
                var values = array.Data.AsSpan((n * t + k) * l, l).ToArray();
                CheckFinite(path, values, genes[n].Id, treatments[k]);
                tracks.Add(new ImportanceTrack(genes[n].Id, treatments[k], values));
            }
        }
        return tracks;
    }

    /// <summary>
    /// Reads one gene's tracks from an array of shape <c>(T, S, L)</c> (the head average, slot <c>S − 1</c>, is
    /// used) or <c>(T, L)</c>.
    /// </summary>
    /// <param name="path">The gene's <c>.npy</c> file.</param>
    /// <param name="gene">The gene; its sequence must have L bases.</param>
    /// <param name="treatments">The T treatment names in the array's order.</param>
    /// <returns>T tracks in the given treatment order.</returns>
    /// <exception cref="DataFormatException">Not a float32 C-order array, a shape that does not fit, or a non-finite value.</exception>
    public static IReadOnlyList<ImportanceTrack> ReadGene(string path, FastaRecord gene, IReadOnlyList<string> treatments)
    {
        ArgumentNullException.ThrowIfNull(gene);
        ArgumentNullException.ThrowIfNull(treatments);
        var array = NpyReader.Read(path);
        var shape = array.Shape;
        string given = ShapeText(shape);
        if (shape.Count is not (2 or 3))
        {
            throw Error(path, $"shape {given} has {shape.Count} dimensions; expected (treatments, heads + 1, bases) or (treatments, bases)", "shape");
        }
        int t = shape[0], slots = shape.Count == 3 ? shape[1] : 1, l = shape[^1];
        if (t != treatments.Count)
        {
            throw Error(path, $"shape {given} holds {t} treatment{(t == 1 ? "" : "s")} but {treatments.Count} treatment name{(treatments.Count == 1 ? " was" : "s were")} given ({string.Join(", ", treatments)})", "shape");
        }
        if (slots == 0)
        {
            throw Error(path, $"shape {given} has no head slot", "shape");
        }
        CheckLengths(path, given, l, [gene]);
        var tracks = new List<ImportanceTrack>(t);
        for (int k = 0; k < t; k++)
        {
            var values = array.Data.AsSpan(((k * slots) + slots - 1) * l, l).ToArray();
            CheckFinite(path, values, gene.Id, treatments[k]);
            tracks.Add(new ImportanceTrack(gene.Id, treatments[k], values));
        }
        return tracks;
    }

    private static void CheckLengths(string path, string given, int l, IReadOnlyList<FastaRecord> genes)
    {
        foreach (var gene in genes)
        {
            if (gene.Length != l)
            {
                throw Error(path, $"shape {given} has {l} values per track but gene '{gene.Id}' has {gene.Length} bases", "shape");
            }
        }
    }

    private static void CheckFinite(string path, float[] values, string gene, string treatment)
    {
        int bad = Array.FindIndex(values, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            throw Error(path, string.Create(CultureInfo.InvariantCulture, $"gene '{gene}', treatment '{treatment}', base {bad}: {values[bad]} is not a finite number"), "data");
        }
    }

    private static string ShapeText(IReadOnlyList<int> shape) =>
        "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + (shape.Count == 1 ? ",)" : ")");

    private static DataFormatException Error(string path, string detail, string field) => new(path, 0, detail, field);
}
