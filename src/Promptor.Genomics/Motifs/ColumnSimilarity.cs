using Promptor.Genomics.Dna;

namespace Promptor.Genomics.Motifs;

/// <summary>Similarity of two motif columns; larger always means more alike.</summary>
public static class ColumnSimilarity
{
    /// <summary>The similarity of columns <paramref name="a"/> and <paramref name="b"/> (4 probabilities each) under <paramref name="metric"/>.</summary>
    public static double Score(ColumnMetric metric, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != DnaAlphabet.Size || b.Length != DnaAlphabet.Size)
        {
            throw new ArgumentException("Motif columns have 4 entries (A, C, G, T).");
        }
        switch (metric)
        {
            case ColumnMetric.Pearson:
            {
                // Columns sum to 1, so both means are 1/4.
                double sab = 0, saa = 0, sbb = 0;
                for (int i = 0; i < DnaAlphabet.Size; i++)
                {
                    double x = a[i] - 0.25, y = b[i] - 0.25;
                    sab += x * y;
                    saa += x * x;
                    sbb += y * y;
                }
                double denominator = Math.Sqrt(saa * sbb);
                return denominator > 1e-12 ? sab / denominator : 0;
            }
            case ColumnMetric.Euclidean:
                return -Math.Sqrt(SquaredDistance(a, b));
            case ColumnMetric.SandelinWasserman:
                return 2 - SquaredDistance(a, b);
            default:
                throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown column metric.");
        }
    }

    private static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < DnaAlphabet.Size; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }
}
