using Promptor.Genomics.Dna;
using Promptor.Genomics.Models;
using Promptor.Genomics.Motifs;
using Promptor.Nn.Layers;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Models;

public class MotifFilterInitializerTests
{
    private static readonly Motif Stre = Motif.FromConsensus("STRE", "AGGGGA");
    private static readonly Motif Yap1 = Motif.FromConsensus("YAP1", "TTACTAA");

    [Fact]
    public void FilterHoldsTheCentredLogOddsInTheMiddleOfTheKernel()
    {
        var conv = new Conv1d(4, 3, 10, new Generator(1), padding: Padding.Same, bias: false);
        var untouched = conv.Weight.Data.AsSpan(2 * 40, 40).ToArray();

        int set = MotifFilterInitializer.Apply(conv, [Stre, Yap1], maxFilters: 2);

        Assert.Equal(2, set);
        // Yap1 (7 columns, fully specified) carries more information than STRE (6): it comes first.
        int offset = (10 - Yap1.Width) / 2;
        for (int j = 0; j < 10; j++)
        {
            var expected = j >= offset && j < offset + Yap1.Width ? MotifFilterInitializer.LogOdds(Yap1, j - offset) : new float[4];
            for (int b = 0; b < 4; b++)
            {
                Assert.Equal(expected[b], conv.Weight.Data[b * 10 + j], 6);
            }
        }
        Assert.Equal(untouched, conv.Weight.Data.AsSpan(2 * 40, 40).ToArray());
    }

    [Fact]
    public void LogOddsAreCentredAndFavourTheConsensusBase()
    {
        var column = MotifFilterInitializer.LogOdds(Stre, 1); // G
        Assert.Equal(0f, column.Sum(), 5);
        Assert.Equal(DnaAlphabet.IndexOf('G'), Array.IndexOf(column, column.Max()));
    }

    [Fact]
    public void InitialisedFilterPeaksWhereThePlantedSiteIs()
    {
        var conv = new Conv1d(4, 2, 15, new Generator(2), padding: Padding.Same, bias: false);
        MotifFilterInitializer.Apply(conv, [Yap1], maxFilters: 1);
        var g = new Generator(3);
        var bases = Enumerable.Range(0, 60).Select(_ => "ACGT"[g.NextInt(4)]).ToArray();
        const int site = 30;
        "TTACTAA".CopyTo(0, bases, site, 7);
        var x = OneHot.EncodeBatch([new string(bases)]).Permute(0, 2, 1);    // (1, 4, 60)

        var y = conv.Forward(x).Data.AsSpan(0, 60).ToArray();                 // filter 0

        // Output i sees x[i − 7 … i + 7]; the motif sits at kernel columns 4…10, so it aligns at i = site + 3.
        Assert.Equal(site + 3, Array.IndexOf(y, y.Max()));
    }

    [Fact]
    public void DefaultFillsAtMostHalfTheFiltersAndRejectsNonDnaConvolutions()
    {
        var motifs = Enumerable.Range(0, 10).Select(i => Motif.FromConsensus($"m{i}", "ACGTAC")).ToArray();
        Assert.Equal(4, MotifFilterInitializer.Apply(new Conv1d(4, 8, 7, new Generator(1)), motifs));
        Assert.Throws<ArgumentException>(() => MotifFilterInitializer.Apply(new Conv1d(8, 8, 7, new Generator(1)), motifs));
    }
}
