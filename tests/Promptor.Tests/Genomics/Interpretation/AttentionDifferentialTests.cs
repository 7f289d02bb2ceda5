using Promptor.Genomics.Interpretation;

namespace Promptor.Tests.Genomics.Interpretation;

public class AttentionDifferentialTests
{
    /// <summary>Maps of 3 genes × 2 treatments over 10 bp, head average only, from per-(gene, treatment) rows.</summary>
    private static AttentionMapSet Maps(Func<int, int, float[]> row)
    {
        var data = new List<float>();
        for (int g = 0; g < 3; g++)
        {
            for (int t = 0; t < 2; t++)
            {
                var r = row(g, t);
                float s = r.Sum();
                data.AddRange(r.Select(v => v / s));
            }
        }
        return new AttentionMapSet(["g0", "g1", "g2"], ["A", "B"], 1, false, 10, 10, [.. data], [.. data]);
    }

    [Fact]
    public void ExactTestsByHand()
    {
        Assert.Equal(Math.Log(24), DifferentialStatistics.LogGamma(5), 1e-12);
        Assert.Equal(Math.Log(Math.Sqrt(Math.PI)), DifferentialStatistics.LogGamma(0.5), 1e-12);
        // P(X ≥ 3) with margins 4, 4 of 8: (C(4,3)·C(4,1) + C(4,4)·C(4,0)) / C(8,4) = 17/70.
        Assert.Equal(17 / 70.0, DifferentialStatistics.FisherGreater(3, 1, 1, 3), 1e-12);
        Assert.Equal(1.0, DifferentialStatistics.FisherGreater(0, 4, 4, 0), 1e-12);
        Assert.Equal(9.0, DifferentialStatistics.OddsRatio(3, 1, 1, 3), 1e-12);
        // 8 of 10 pairs one way: 2 · (C(10,8) + C(10,9) + C(10,10)) / 2^10.
        Assert.Equal(2 * 56 / 1024.0, DifferentialStatistics.SignTest(8, 2), 1e-12);
        Assert.Equal(1.0, DifferentialStatistics.SignTest(0, 0));
    }

    [Fact]
    public void MotifMaskCoversBothStrands()
    {
        var stre = DifferentialAttention.Pattern("AGGGG");
        Assert.Equal([false, true, true, true, true, true, false, false], DifferentialAttention.MotifMask("AAGGGGTT", stre));
        Assert.All(DifferentialAttention.MotifMask("cccct", stre), Assert.True);     // the reverse strand reads AGGGG
        var mask = DifferentialAttention.MotifMask("GGTTAGTAAGG", DifferentialAttention.Pattern("TTA[CG]TAA"));
        Assert.Equal(Enumerable.Range(0, 11).Select(i => i is >= 2 and <= 8), mask);
        // Overlapping matches: AGGGGG holds AGGGG once, GGGGG… none; CCCCCT holds AGGGG on the reverse strand once.
        Assert.Equal(5, DifferentialAttention.MotifMask("CCCCCT", stre).Count(b => b));
    }

    [Fact]
    public void AttentionOnSitesIsEnrichedAndUniformAttentionIsNot()
    {
        // Sites at 2..3 in every gene; treatment A attends there, B is uniform.
        var masks = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 10).Select(p => p is 2 or 3).ToArray()).ToArray();
        var maps = Maps((g, t) => Enumerable.Range(0, 10).Select(p => t == 0 && p is 2 or 3 ? 10f : 1f).ToArray());

        var a = DifferentialAttention.Enrichment(maps, masks, [0, 1, 2], 0, topFraction: 0.2);
        var b = DifferentialAttention.Enrichment(maps, masks, [0, 1, 2], 1, topFraction: 0.2);

        Assert.Equal((6L, 0L, 0L, 24L), (a.HighInSite, a.HighOutside, a.LowInSite, a.LowOutside));
        Assert.True(a.OddsRatio > 100);
        Assert.True(a.PValue < 1e-5);
        Assert.Equal(0.2, a.SiteCoverage, 1e-9);
        Assert.Equal(20 / 28.0, a.MassOnSites, 1e-6);
        Assert.Equal(1.0, b.MassEnrichment, 1e-6);

        var paired = DifferentialAttention.CompareSiteMass(maps, masks, [0, 1, 2], 0, 1);
        Assert.Equal((3, 3, 0), (paired.GeneCount, paired.GenesAHigher, paired.GenesBHigher));
        Assert.Equal(0.25, paired.SignTestP, 1e-12);
    }

    [Fact]
    public void ProfileOfTwoTreatments()
    {
        var maps = Maps((g, t) => Enumerable.Range(0, 10).Select(p => (t == 0 ? p < 5 : p >= 5) ? 1f : 0f).ToArray());

        var profile = DifferentialAttention.Profile(maps, [0, 2], 0, 1);

        Assert.Equal(0.2, profile.MeanA[0], 1e-6);
        Assert.Equal(0.0, profile.MeanB[0], 1e-6);
        Assert.Equal(-0.2, profile.MeanDifference[9], 1e-6);
        Assert.Equal([1.0, 1.0], profile.TotalVariation.Select(v => Math.Round(v, 6)));
        Assert.Equal(DifferentialAttention.Difference(maps, 2, 0, 1).Select(v => Math.Round((double)v, 6)), profile.MeanDifference.Select(v => Math.Round(v, 6)));
    }

    [Fact]
    public void RandomControlGenesAvoidTheTestSet()
    {
        var control = DifferentialAttention.RandomGenes(5, 20, [0, 1, 2, 3], seed: 9);

        Assert.Equal(5, control.Distinct().Count());
        Assert.All(control, g => Assert.InRange(g, 4, 19));
        Assert.Equal(control, DifferentialAttention.RandomGenes(5, 20, [0, 1, 2, 3], seed: 9));
        Assert.Equal(16, DifferentialAttention.RandomGenes(50, 20, [0, 1, 2, 3], seed: 9).Length);
    }
}
