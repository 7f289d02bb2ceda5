using System.Globalization;
using System.Text;
using Promptor.Nn.Serialization;
using Promptor.Tensors;

namespace Promptor.Genomics.Training;

/// <summary>
/// Writes predictions as a tab-separated gene × treatment table, atomically: a header
/// <c>gene</c> + the treatment names, then one line per gene with its predictions in the targets'
/// original units (shortest round-trip floats, invariant culture).
/// </summary>
public static class PredictionWriter
{
    /// <summary>Writes <paramref name="predictions"/> <c>(N, T)</c> for <paramref name="geneIds"/> (N) and <paramref name="treatments"/> (T).</summary>
    /// <exception cref="ArgumentException">Shapes disagree, or a name contains a tab or line break.</exception>
    public static void Write(string path, IReadOnlyList<string> geneIds, IReadOnlyList<string> treatments, Tensor predictions)
    {
        ArgumentNullException.ThrowIfNull(geneIds);
        ArgumentNullException.ThrowIfNull(treatments);
        ArgumentNullException.ThrowIfNull(predictions);
        int n = geneIds.Count, t = treatments.Count;
        if (predictions.Rank != 2 || predictions.Shape[0] != n || predictions.Shape[1] != t)
        {
            throw new ArgumentException($"Predictions must be ({n}, {t}) for {n} genes and {t} treatments, got {predictions.Shape}.", nameof(predictions));
        }
        var sb = new StringBuilder("gene");
        foreach (var name in treatments)
        {
            sb.Append('\t').Append(Field(name));
        }
        sb.Append('\n');
        var data = predictions.Data;
        for (int i = 0; i < n; i++)
        {
            sb.Append(Field(geneIds[i]));
            for (int j = 0; j < t; j++)
            {
                sb.Append('\t').Append(data[i * t + j].ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>Writes the predictions of an evaluation (its genes and treatments).</summary>
    public static void Write(string path, EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Write(path, result.GeneIds, result.Treatments, result.Predictions);
    }

    private static string Field(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny('\t', '\n', '\r') >= 0)
        {
            throw new ArgumentException($"Name '{value.ReplaceLineEndings(" ")}' contains a tab or line break.", nameof(value));
        }
        return value;
    }
}
