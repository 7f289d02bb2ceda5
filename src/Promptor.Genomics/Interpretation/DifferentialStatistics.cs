namespace Promptor.Genomics.Interpretation;

/// <summary>Exact tests used by the differential-attention summaries: Fisher's exact test and the sign test.</summary>
public static class DifferentialStatistics
{
    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos approximation, g = 7; relative error about 1e-15).</summary>
    public static double LogGamma(double x)
    {
        if (!(x > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"LogGamma needs x > 0, got {x}.");
        }
        if (x < 0.5)
        {
            return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        }
        x -= 1;
        double a = Lanczos[0], t = x + 7.5;
        for (int i = 1; i < Lanczos.Length; i++)
        {
            a += Lanczos[i] / (x + i);
        }
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(a);
    }

    /// <summary>ln C(n, k).</summary>
    public static double LogChoose(long n, long k) => LogGamma(n + 1) - LogGamma(k + 1) - LogGamma(n - k + 1);

    /// <summary>
    /// One-sided Fisher's exact test of the 2×2 table [[a, b], [c, d]] for enrichment (odds ratio &gt; 1):
    /// <c>P(X ≥ a)</c> for X hypergeometric with the table's margins.
    /// </summary>
    public static double FisherGreater(long a, long b, long c, long d)
    {
        if (a < 0 || b < 0 || c < 0 || d < 0)
        {
            throw new ArgumentException("Table counts must be non-negative.");
        }
        long row = a + b, column = a + c, total = a + b + c + d;
        long high = Math.Min(row, column);
        // pmf(x) = C(column, x) C(total − column, row − x) / C(total, row), summed upward by the ratio
        // pmf(x+1)/pmf(x) = (row − x)(column − x) / ((x + 1)(total − row − column + x + 1)).
        double logPmf = LogChoose(column, a) + LogChoose(total - column, row - a) - LogChoose(total, row);
        double term = Math.Exp(logPmf), sum = 0;
        for (long x = a; x <= high; x++)
        {
            sum += term;
            if (term < sum * 1e-17 && x > a)
            {
                break;
            }
            double denominator = (double)(x + 1) * (total - row - column + x + 1);
            term = denominator > 0 ? term * (row - x) * (column - x) / denominator : 0;
        }
        return Math.Min(1, sum);
    }

    /// <summary>Odds ratio of [[a, b], [c, d]] with 0.5 added to every cell when one is zero (Haldane–Anscombe).</summary>
    public static double OddsRatio(long a, long b, long c, long d)
    {
        double pa = a, pb = b, pc = c, pd = d;
        if (a == 0 || b == 0 || c == 0 || d == 0)
        {
            pa += 0.5;
            pb += 0.5;
            pc += 0.5;
            pd += 0.5;
        }
        return pa * pd / (pb * pc);
    }

    /// <summary>
    /// Two-sided exact sign test: with <paramref name="positive"/> and <paramref name="negative"/> non-tied
    /// pairs, <c>min(1, 2·P(X ≥ max(k, n − k)))</c> for X ~ Binomial(n, ½). 1 when n = 0.
    /// </summary>
    public static double SignTest(int positive, int negative)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(positive);
        ArgumentOutOfRangeException.ThrowIfNegative(negative);
        int n = positive + negative;
        if (n == 0)
        {
            return 1;
        }
        int k = Math.Max(positive, negative);
        double tail = 0;
        for (int x = k; x <= n; x++)
        {
            tail += Math.Exp(LogChoose(n, x) - n * Math.Log(2));
        }
        return Math.Min(1, 2 * tail);
    }
}
