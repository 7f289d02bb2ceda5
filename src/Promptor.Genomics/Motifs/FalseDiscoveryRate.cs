namespace Promptor.Genomics.Motifs;

/// <summary>Multiple-testing corrections for a family of p-values.</summary>
public static class FalseDiscoveryRate
{
    /// <summary>The λ of <see cref="StoreyNullFraction"/> when none is given: 0.5.</summary>
    public const double DefaultLambda = 0.5;

    /// <summary>
    /// Benjamini–Hochberg q-values: <c>q_(i) = min_{j ≥ i} min(1, π0 · p_(j) m / j)</c> over the p-values sorted
    /// ascending (rank <c>j</c> from 1), returned in the input order. The q-value of a test is the smallest
    /// false discovery rate at which it would be called significant. With the default π0 = 1 this is the
    /// Benjamini–Hochberg step-up procedure; with an estimated π0 (<see cref="StoreyNullFraction"/>) it is
    /// Storey's q-value.
    /// </summary>
    /// <param name="pValues">m p-values in [0, 1].</param>
    /// <param name="nullFraction">π0, the fraction of true null hypotheses, in (0, 1]; default 1 (conservative).</param>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> pValues, double nullFraction = 1)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        if (!(nullFraction is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(nullFraction), $"The null fraction π0 must lie in (0, 1], got {nullFraction}.");
        }
        int m = pValues.Count;
        var order = new int[m];
        for (int i = 0; i < m; i++)
        {
            CheckPValue(pValues[i], i, nameof(pValues));
            order[i] = i;
        }
        Array.Sort(order, (x, y) => pValues[x].CompareTo(pValues[y]));
        var q = new double[m];
        double running = 1;
        for (int rank = m; rank >= 1; rank--)
        {
            int i = order[rank - 1];
            running = Math.Min(running, nullFraction * pValues[i] * m / rank);
            q[i] = running;
        }
        return q;
    }

    /// <summary>
    /// Storey's estimate of π0, the fraction of true null hypotheses among <paramref name="pValues"/>
    /// (Storey 2002, <i>J. R. Stat. Soc. B</i> 64:479; with the finite-sample "+1" of Storey, Taylor and
    /// Siegmund 2004, <i>J. R. Stat. Soc. B</i> 66:187): null p-values are uniform, so about
    /// <c>π0 m (1 − λ)</c> of them exceed λ, while true alternatives rarely do;
    /// <c>π̂0 = min(1, (#{p &gt; λ} + 1) / (m (1 − λ)))</c>. Never 0; 1 for an empty family. When alternatives
    /// also exceed λ (weak effects) the estimate is too high, i.e. conservative.
    /// </summary>
    /// <param name="pValues">m p-values in [0, 1].</param>
    /// <param name="lambda">The threshold λ in (0, 1); default 0.5. Larger: less bias, more variance.</param>
    public static double StoreyNullFraction(IReadOnlyList<double> pValues, double lambda = DefaultLambda)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        if (!(lambda is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), $"λ must lie in (0, 1), got {lambda}.");
        }
        int m = pValues.Count, above = 0;
        for (int i = 0; i < m; i++)
        {
            CheckPValue(pValues[i], i, nameof(pValues));
            above += pValues[i] > lambda ? 1 : 0;
        }
        return m == 0 ? 1 : Math.Min(1, (above + 1) / (m * (1 - lambda)));
    }

    private static void CheckPValue(double p, int index, string parameter)
    {
        if (!(p is >= 0 and <= 1))
        {
            throw new ArgumentException($"p-value {p} at index {index} is not in [0, 1].", parameter);
        }
    }
}
