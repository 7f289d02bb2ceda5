namespace Promptor.Genomics.Motifs;

/// <summary>Multiple-testing corrections for a family of p-values.</summary>
public static class FalseDiscoveryRate
{
    /// <summary>
    /// Benjamini–Hochberg q-values: <c>q_(i) = min_{j ≥ i} min(1, p_(j) m / j)</c> over the p-values sorted
    /// ascending (rank <c>j</c> from 1), returned in the input order. The q-value of a test is the smallest
    /// false discovery rate at which it would be called significant.
    /// </summary>
    /// <param name="pValues">m p-values in [0, 1].</param>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        int m = pValues.Count;
        var order = new int[m];
        for (int i = 0; i < m; i++)
        {
            if (!(pValues[i] is >= 0 and <= 1))
            {
                throw new ArgumentException($"p-value {pValues[i]} at index {i} is not in [0, 1].", nameof(pValues));
            }
            order[i] = i;
        }
        Array.Sort(order, (x, y) => pValues[x].CompareTo(pValues[y]));
        var q = new double[m];
        double running = 1;
        for (int rank = m; rank >= 1; rank--)
        {
            int i = order[rank - 1];
            running = Math.Min(running, pValues[i] * m / rank);
            q[i] = running;
        }
        return q;
    }
}
