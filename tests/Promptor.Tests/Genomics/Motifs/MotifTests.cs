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
    public void BuiltInMotifsWithAnotherMatchKeepTheirConsensusAndNames()
    {
        var sharp = BuiltInMotifs.WithMatch(0.97f);
        var same = BuiltInMotifs.WithMatch(0.91f);
        Assert.Equal(BuiltInMotifs.All.Select(m => (m.Id, m.Name, m.Consensus())), sharp.Select(m => (m.Id, m.Name, m.Consensus())));
        for (int i = 0; i < BuiltInMotifs.All.Count; i++)
        {
            var original = BuiltInMotifs.All[i];
            for (int w = 0; w < original.Width; w++)
            {
                for (int b = 0; b < 4; b++)
                {
                    Assert.Equal(original[w, b], same[i][w, b]);
                }
            }
        }
        Assert.Equal(0.97f, sharp[0][0, 3], 6);      // STRE starts with T
        Assert.Equal(0.01f, sharp[0][0, 0], 6);
        Assert.Equal(0.25f, sharp.Single(m => m.Id == "HSE")[3, 0], 6);   // N positions stay uniform
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

    [Fact]
    public void InformationContentInBits()
    {
        var m = new Motif("m", [1, 0, 0, 0, 0.25f, 0.25f, 0.25f, 0.25f, 0.5f, 0.5f, 0, 0]);
        Assert.Equal(2, m.InformationContent(0), 6);
        Assert.Equal(0, m.InformationContent(1), 6);
        Assert.Equal(1, m.InformationContent(2), 6);
        Assert.Equal(3, m.TotalInformationContent(), 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.InformationContent(3));
    }

    [Fact]
    public void TrimFlanksKeepsTheInformativeCore()
    {
        var core = Motif.FromConsensus("m", "NNAGGGGNTN");
        var trimmed = core.TrimFlanks(0.3);
        Assert.Equal("AGGGGNT", trimmed.Consensus()); // inner uninformative column kept
        Assert.Equal(("m", 7), (trimmed.Id, trimmed.Width));
        Assert.Same(trimmed, trimmed.TrimFlanks(0.3));
        Assert.Equal(1, Motif.FromConsensus("u", "NNN").TrimFlanks().Width);
        Assert.Equal("GGG", core.Slice(3, 3).Consensus());
        Assert.Equal(("x", "y"), (core.WithId("x", "y").Id, core.WithId("x", "y").Name));
    }

    [Fact]
    public void ReverseComplementKeepsInformationAndConsensusReverses()
    {
        var m = BuiltInMotifs.Rap1;
        var rc = m.ReverseComplement();
        Assert.Equal(m.TotalInformationContent(), rc.TotalInformationContent(), 5);
        Assert.Equal(Promptor.Genomics.Dna.ReverseComplement.Of(m.Consensus()), rc.Consensus());
        Assert.Equal(m.Probabilities.ToArray(), rc.ReverseComplement().Probabilities.ToArray());
    }
}
