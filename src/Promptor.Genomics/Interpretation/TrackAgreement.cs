using Promptor.Genomics.Training;

namespace Promptor.Genomics.Interpretation;

/// <summary>
/// Agreement between two base-resolution tracks of one gene (e.g. attention mapped to base pairs and
/// the ISM maximum absolute change): Spearman's ρ over positions, and the overlap of their top
/// positions. Attention alone is known to give false positives; agreement with ISM says where the
/// attended positions also matter for the prediction.
/// </summary>
public static class TrackAgreement
{
    /// <summary>
    /// Spearman's rank correlation over positions (ties get their average rank); NaN when either
    /// track is constant. Non-finite values are not allowed.
    /// </summary>
    /// <exception cref="ArgumentException">The tracks differ in length, are shorter than 2 or hold a non-finite value.</exception>
    public static double Spearman(IReadOnlyList<float> first, IReadOnlyList<float> second)
    {
        var (a, b) = Check(first, second);
        return Metrics.Spearman(a, b);
    }

    /// <summary>
    /// The fraction of the <paramref name="top"/> highest positions of <paramref name="first"/> that are
    /// also among the <paramref name="top"/> highest of <paramref name="second"/> (ties broken by position).
    /// </summary>
    public static double TopOverlap(IReadOnlyList<float> first, IReadOnlyList<float> second, int top)
    {
        var (a, b) = Check(first, second);
        if (top < 1 || top > a.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(top), $"top must lie in 1..{a.Length}, got {top}.");
        }
        var best = Top(a, top).ToHashSet();
        return Top(b, top).Count(best.Contains) / (double)top;
    }

    private static IEnumerable<int> Top(double[] values, int top) =>
        Enumerable.Range(0, values.Length).OrderByDescending(i => values[i]).ThenBy(i => i).Take(top);

    private static (double[] First, double[] Second) Check(IReadOnlyList<float> first, IReadOnlyList<float> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count != second.Count)
        {
            throw new ArgumentException($"The tracks differ in length: {first.Count} and {second.Count} positions.");
        }
        if (first.Count < 2)
        {
            throw new ArgumentException($"Agreement needs at least 2 positions, got {first.Count}.");
        }
        var a = new double[first.Count];
        var b = new double[first.Count];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = first[i];
            b[i] = second[i];
            if (!double.IsFinite(a[i]) || !double.IsFinite(b[i]))
            {
                throw new ArgumentException($"Position {i} holds a non-finite value.");
            }
        }
        return (a, b);
    }
}
