using Promptor.Genomics.Motifs;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Motifs;

public class MotifTests
{
    [Fact]
    public void RowsAreNormalisedAndConsensusIsIupac()
    {
        var m = new Motif("m", [2, 0, 0, 2, 0, 0, 10, 0, 1, 1, 1, 1]);
        Assert.Equal(3, m.Width);
        Assert.Equal(0.5f, m[0, 0]);
        Assert.Equal("WGN", m.Consensus());
        Assert.Equal("AGGGG", BuiltInMotifs.Stre.Consensus()[2..7]);
        Assert.Throws<ArgumentException>(() => new Motif("m", [0, 0, 0, 0]));
        Assert.Throws<ArgumentException>(() => new Motif("a b", [1, 0, 0, 0]));
    }

    [Fact]
    public void ReverseComplementOfConsensusMotif()
    {
        Assert.Equal("TTAGTAA", BuiltInMotifs.Yre.ReverseComplement().Consensus());
        Assert.Equal("CTCATCGC", BuiltInMotifs.Pac.ReverseComplement().Consensus());
    }

    [Fact]
    public void SamplesFollowTheMatrix()
    {
        var m = Motif.FromConsensus("x", "ACGT", match: 1f);
        var g = new Generator(1);
        Assert.Equal("ACGT", m.Sample(g));
        var soft = Motif.FromConsensus("y", "A", match: 0.7f);
        int a = Enumerable.Range(0, 10_000).Count(_ => soft.Sample(g) == "A");
        Assert.InRange(a, 6_800, 7_200);
    }
}
