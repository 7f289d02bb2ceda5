using Promptor.Genomics.Motifs;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Motifs;

public class FalseDiscoveryRateTests
{
    /// <summary>800 evenly spread null p-values and 200 tiny ones: exactly 400 exceed λ = 0.5.</summary>
    private static double[] KnownComposition()
    {
        var nulls = Enumerable.Range(0, 800).Select(i => (i + 0.5) / 800);
        var alternatives = Enumerable.Range(1, 200).Select(i => 1e-4 * i / 200);
        return [.. nulls, .. alternatives];
    }

    [Fact]
    public void StoreyEstimateOfAKnownCompositionIsExact()
    {
        // (#{p > 0.5} + 1) / (m (1 − λ)) = 401 / 500.
        Assert.Equal(0.802, FalseDiscoveryRate.StoreyNullFraction(KnownComposition()), 12);
        // λ = 0.75: 200 nulls above, (200 + 1) / 250.
        Assert.Equal(0.804, FalseDiscoveryRate.StoreyNullFraction(KnownComposition(), lambda: 0.75), 12);
    }

    [Fact]
    public void StoreyEstimateIsBoundedByOneAndNeverZero()
    {
        var allNull = Enumerable.Range(0, 100).Select(i => (i + 0.5) / 100).ToArray();
        Assert.Equal(1, FalseDiscoveryRate.StoreyNullFraction(allNull));
        Assert.Equal(1, FalseDiscoveryRate.StoreyNullFraction([0.9, 0.95, 0.99]));
        Assert.Equal(1, FalseDiscoveryRate.StoreyNullFraction([]));
        Assert.Equal(1 / (10 * 0.5), FalseDiscoveryRate.StoreyNullFraction(Enumerable.Repeat(1e-6, 10).ToArray()), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => FalseDiscoveryRate.StoreyNullFraction([0.5], lambda: 1));
        Assert.Throws<ArgumentException>(() => FalseDiscoveryRate.StoreyNullFraction([-0.1]));
    }

    [Fact]
    public void StoreyEstimateOfRandomMixturesIsCloseToTheTrueNullFraction()
    {
        var g = new Generator(7);
        foreach (double truth in new[] { 0.5, 0.7, 0.9 })
        {
            int m = 4000, nulls = (int)(truth * m);
            // Alternatives: p = U^50, concentrated near 0 (1.4 % exceed 0.5).
            var p = Enumerable.Range(0, m).Select(i => i < nulls ? g.NextDouble() : Math.Pow(g.NextDouble(), 50)).ToArray();
            double estimate = FalseDiscoveryRate.StoreyNullFraction(p);
            Assert.InRange(estimate, truth - 0.03, truth + 0.05); // slightly conservative: alternatives above λ count as nulls
        }
    }

    [Fact]
    public void QValuesScaleWithTheNullFraction()
    {
        var p = KnownComposition();
        var bh = FalseDiscoveryRate.BenjaminiHochberg(p);
        var storey = FalseDiscoveryRate.BenjaminiHochberg(p, FalseDiscoveryRate.StoreyNullFraction(p));
        for (int i = 0; i < p.Length; i++)
        {
            Assert.Equal(0.802 * bh[i], storey[i], 12);
        }
        // The 200 alternatives are the 200 smallest p-values; q of the 200th = π0 · 1e-4 · 1000 / 200.
        Assert.Equal(0.802 * 1e-4 * 1000 / 200, storey[999], 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => FalseDiscoveryRate.BenjaminiHochberg(p, nullFraction: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FalseDiscoveryRate.BenjaminiHochberg(p, nullFraction: 1.2));
    }

    [Fact]
    public void ComparerUsesTheEstimatedNullFractionWhenAsked()
    {
        var g = new Generator(3);
        var database = Enumerable.Range(0, 60).Select(i => RandomMotifs.Dirichlet(g, $"r{i}", 6 + i % 8)).Concat(BuiltInMotifs.All).ToArray();
        var query = BuiltInMotifs.Reb1.WithId("query");
        var conservative = new MotifComparer(database).Compare(query);
        var estimated = new MotifComparer(database, new MotifComparisonOptions { NullFraction = null }).Compare(query);
        var fixedHalf = new MotifComparer(database, new MotifComparisonOptions { NullFraction = 0.5 }).Compare(query);

        double pi0 = FalseDiscoveryRate.StoreyNullFraction(conservative.Select(m => m.PValue).ToArray());
        Assert.InRange(pi0, 0.5, 1);
        Assert.Equal(conservative.Select(m => m.PValue), estimated.Select(m => m.PValue));
        for (int i = 0; i < conservative.Count; i++)
        {
            Assert.Equal(pi0 * conservative[i].QValue, estimated[i].QValue, 12);
            Assert.Equal(0.5 * conservative[i].QValue, fixedHalf[i].QValue, 12);
        }
        Assert.Equal("REB1", conservative[0].TargetId);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MotifComparer(database, new MotifComparisonOptions { NullFraction = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MotifComparer(database, new MotifComparisonOptions { NullFraction = null, StoreyLambda = 1 }));
    }
}
