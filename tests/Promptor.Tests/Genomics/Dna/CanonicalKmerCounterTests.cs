using Promptor.Genomics.Dna;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Dna;

public class CanonicalKmerCounterTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 10)]
    [InlineData(3, 32)]
    [InlineData(6, 2080)]
    public void FeatureCountMatchesTheFormula(int k, int expected) => Assert.Equal(expected, new CanonicalKmerCounter(k).FeatureCount);

    [Fact]
    public void CountsEqualForASequenceAndItsReverseComplement()
    {
        var g = new Generator(3);
        var counter = new CanonicalKmerCounter(6);
        for (int i = 0; i < 5; i++)
        {
            string s = new(Enumerable.Range(0, 500).Select(_ => "ACGTN"[g.NextInt(g.NextInt(20) == 0 ? 5 : 4)]).ToArray());
            var m = counter.CountMatrix([s, ReverseComplement.Of(s)]);
            Assert.Equal(m.Data.AsSpan(0, counter.FeatureCount).ToArray(), m.Data.AsSpan(counter.FeatureCount).ToArray());
        }
    }

    [Fact]
    public void MatchesANaiveCountAndSkipsKmersWithN()
    {
        var counter = new CanonicalKmerCounter(3);
        const string s = "ACGTNACGGTa";
        var counts = new float[counter.FeatureCount];
        counter.Count(s, counts);
        var naive = new float[counter.FeatureCount];
        for (int i = 0; i + 3 <= s.Length; i++)
        {
            int f = counter.FeatureOf(s.AsSpan(i, 3));
            if (f >= 0)
            {
                naive[f]++;
            }
        }
        Assert.Equal(naive, counts);
        Assert.Equal(2 + 4, counts.Sum()); // ACG CGT | ACG CGG GGT GTA; 3 windows contain N
        Assert.Equal(counter.FeatureOf("ACG"), counter.FeatureOf("CGT")); // CGT is ACG's reverse complement
        Assert.Equal(3f, counts[counter.FeatureOf("ACG")]);
        Assert.Equal("ACC", counter.FeatureName(counter.FeatureOf("GGT")));
    }
}
