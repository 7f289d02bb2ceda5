using Promptor.Genomics.Data;
using Promptor.Genomics.IO;

namespace Promptor.Tests.Genomics.Data;

public class SplitsTests
{
    [Fact]
    public void ChromosomeFromSystematicNames()
    {
        Assert.True(YeastGeneName.TryGetChromosome("YAL001C", out int c) && c == 1);
        Assert.True(YeastGeneName.TryGetChromosome("YPR204W", out c) && c == 16);
        Assert.True(YeastGeneName.TryGetChromosome("YAL067W-A", out c) && c == 1);
        Assert.False(YeastGeneName.TryGetChromosome("Q0010", out _));
        Assert.False(YeastGeneName.TryGetChromosome("HSP12", out _));
        Assert.Equal("XV", YeastGeneName.Roman(15));
    }

    [Fact]
    public void DefaultChromosomeSplitIsFourTestFifteenValidation()
    {
        var s = Splits.ByChromosome(["YAL001C", "YDR001C", "YOL001W", "YPR001W", "YDL002C"]);
        Assert.Equal([0, 3], s.Train);
        Assert.Equal([2], s.Validation);
        Assert.Equal([1, 4], s.Test);
        var custom = Splits.ByChromosome(["YAL001C", "YDR001C"], new ChromosomeSplitOptions { TestChromosomes = [1], ValidationChromosomes = [] });
        Assert.Equal([DataSplit.Test, DataSplit.Train], custom.Labels);
        Assert.Throws<ArgumentException>(() => Splits.ByChromosome(["HSP12"]));
        Assert.Equal(DataSplit.Train, Splits.ByChromosome(["HSP12"], new ChromosomeSplitOptions { UnrecognisedToTrain = true }).Labels[0]);
    }

    [Fact]
    public void RandomSplitIsSeededAndHasTheRequestedSizes()
    {
        var a = Splits.Random(1000, seed: 5, validationFraction: 0.1, testFraction: 0.2);
        var b = Splits.Random(1000, seed: 5, validationFraction: 0.1, testFraction: 0.2);
        var c = Splits.Random(1000, seed: 6, validationFraction: 0.1, testFraction: 0.2);
        Assert.Equal(a.Labels, b.Labels);
        Assert.NotEqual(a.Labels, c.Labels);
        Assert.Equal((700, 100, 200), (a.Train.Length, a.Validation.Length, a.Test.Length));
    }

    [Fact]
    public void SplitLabelsFromAFile()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("split.tsv", "gene\tsplit\nA\ttrain\nB\tVAL\nC\ttest\n");
        var s = Splits.FromLabels(["C", "A", "B"], Splits.ReadLabels(path));
        Assert.Equal([DataSplit.Test, DataSplit.Train, DataSplit.Validation], s.Labels);
        Assert.Throws<ArgumentException>(() => Splits.FromLabels(["D"], Splits.ReadLabels(path)));
        string bad = dir.Write("bad.csv", "orf,heat,split\nA,1,train\nB,2,holdout\n");
        var e = Assert.Throws<DataFormatException>(() => Splits.ReadLabels(bad));
        Assert.EndsWith("bad.csv:3: split 'holdout' in column 'split' is not train, validation or test", e.Message);
    }
}
