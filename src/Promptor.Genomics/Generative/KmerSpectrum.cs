namespace Promptor.Genomics.Generative;

/// <summary>
/// The k-mer spectrum of a set of DNA sequences: the frequency of each of the 4^k words over all
/// overlapping windows of A/C/G/T (windows with another letter are skipped), and distances between
/// two spectra.
/// </summary>
public static class KmerSpectrum
{
    /// <summary>Normalised k-mer frequencies (length 4^k, summing to 1; all zero when no window counted).</summary>
    public static double[] Frequencies(IEnumerable<string> sequences, int k = 6)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, 12);
        var counts = new double[1 << (2 * k)];
        int mask = counts.Length - 1;
        double total = 0;
        foreach (var s in sequences)
        {
            int run = 0, code = 0;
            foreach (char c in s)
            {
                int b = "ACGT".IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
                if (b < 0)
                {
                    run = 0;
                    continue;
                }
                code = ((code << 2) | b) & mask;
                if (++run >= k)
                {
                    counts[code]++;
                    total++;
                }
            }
        }
        if (total > 0)
        {
            for (int i = 0; i < counts.Length; i++)
            {
                counts[i] /= total;
            }
        }
        return counts;
    }

    /// <summary>Total-variation distance ½ Σ |p − q| of two spectra, in [0, 1].</summary>
    public static double TotalVariation(IReadOnlyList<double> p, IReadOnlyList<double> q)
    {
        Check(p, q);
        double sum = 0;
        for (int i = 0; i < p.Count; i++)
        {
            sum += Math.Abs(p[i] - q[i]);
        }
        return sum / 2;
    }

    /// <summary>Jensen–Shannon divergence of two spectra in bits, in [0, 1].</summary>
    public static double JensenShannon(IReadOnlyList<double> p, IReadOnlyList<double> q)
    {
        Check(p, q);
        double sum = 0;
        for (int i = 0; i < p.Count; i++)
        {
            double m = (p[i] + q[i]) / 2;
            if (p[i] > 0)
            {
                sum += 0.5 * p[i] * Math.Log2(p[i] / m);
            }
            if (q[i] > 0)
            {
                sum += 0.5 * q[i] * Math.Log2(q[i] / m);
            }
        }
        return sum;
    }

    private static void Check(IReadOnlyList<double> p, IReadOnlyList<double> q)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        if (p.Count != q.Count)
        {
            throw new ArgumentException($"Spectra of different sizes: {p.Count} and {q.Count}.");
        }
    }
}
