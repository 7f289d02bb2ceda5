using Promptor.Genomics.Reports.Svg;
using Promptor.Genomics.Tokenization;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Genomics.Models.Seq2Seq;

/// <summary>
/// The cross-attention alignment of a DNA → protein model: for output residue i (0-based) its own
/// codon is source bases <c>3i .. 3i + 2</c>. A residue is "aligned inside its codon" when the
/// source position it attends most lies in that codon.
/// </summary>
public static class CodonAlignment
{
    /// <summary>
    /// Teacher-forced cross-attention maps of one example: for every decoder layer the weights
    /// <c>(H, T, S)</c> where row t is the decoder position predicting output token t (residue t,
    /// the last row predicting the end token) and S the source bases.
    /// </summary>
    public static IReadOnlyList<Tensor> Maps(Seq2SeqTransformer model, int[] source, int[] target)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using (Tape.NoGrad())
            {
                var memory = model.Encode(source, 1);
                var weights = model.Decode(memory, [SpecialTokens.BeginId, .. target], 1, needWeights: true).CrossAttention;
                return weights.Select(w => w.Reshape(w.Shape[1], w.Shape[2], w.Shape[3])).ToArray();
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    /// <summary>The mean over heads of one layer's map <c>(H, T, S)</c>, as rows T × columns S.</summary>
    public static double[,] HeadMean(Tensor layerMap)
    {
        ArgumentNullException.ThrowIfNull(layerMap);
        if (layerMap.Rank != 3)
        {
            throw new ArgumentException($"Expected a map (H, T, S), got {layerMap.Shape}.", nameof(layerMap));
        }
        int h = layerMap.Shape[0], t = layerMap.Shape[1], s = layerMap.Shape[2];
        var result = new double[t, s];
        for (int head = 0; head < h; head++)
        {
            for (int i = 0; i < t; i++)
            {
                for (int j = 0; j < s; j++)
                {
                    result[i, j] += layerMap.Data[(head * t + i) * s + j] / h;
                }
            }
        }
        return result;
    }

    /// <summary>One head's map of a layer <c>(H, T, S)</c>, as rows T × columns S.</summary>
    public static double[,] Head(Tensor layerMap, int head)
    {
        ArgumentNullException.ThrowIfNull(layerMap);
        int t = layerMap.Shape[1], s = layerMap.Shape[2];
        var result = new double[t, s];
        for (int i = 0; i < t; i++)
        {
            for (int j = 0; j < s; j++)
            {
                result[i, j] = layerMap.Data[(head * t + i) * s + j];
            }
        }
        return result;
    }

    /// <summary>
    /// How many of the first <paramref name="residues"/> rows of <paramref name="map"/> (T × S) have
    /// their largest weight inside their own codon (columns <c>3i .. 3i + 2</c>; the first maximum on ties).
    /// </summary>
    public static int InsideCodonCount(double[,] map, int residues)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (residues < 0 || residues > map.GetLength(0))
        {
            throw new ArgumentOutOfRangeException(nameof(residues), residues, $"The map has {map.GetLength(0)} rows.");
        }
        int inside = 0, s = map.GetLength(1);
        for (int i = 0; i < residues; i++)
        {
            int best = 0;
            for (int j = 1; j < s; j++)
            {
                if (map[i, j] > map[i, best])
                {
                    best = j;
                }
            }
            if (best >= 3 * i && best < 3 * i + 3)
            {
                inside++;
            }
        }
        return inside;
    }

    /// <summary>
    /// The alignment map of one example drawn as an SVG heat map: output residues (rows, the end
    /// token's row left out) against source bases (columns).
    /// </summary>
    public static SvgDocument Draw(double[,] map, int residues, string title)
    {
        ArgumentNullException.ThrowIfNull(map);
        int s = map.GetLength(1);
        var rows = new double[residues, s];
        for (int i = 0; i < residues; i++)
        {
            for (int j = 0; j < s; j++)
            {
                rows[i, j] = map[i, j];
            }
        }
        return new Heatmap(rows)
        {
            Title = title,
            XLabel = "source base (codon i = bases 3i … 3i+2)",
            YLabel = "output residue i",
            ColorBarLabel = "cross-attention weight",
            Min = 0,
            Width = Math.Max(600, 40 + 6 * s),
            Height = Math.Max(400, 80 + 12 * residues),
        }.Render();
    }
}
