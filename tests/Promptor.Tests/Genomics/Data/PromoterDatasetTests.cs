using Promptor.Genomics.Data;
using Promptor.Genomics.Dna;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Data;

public class PromoterDatasetTests
{
    private static PromoterDataset Small()
    {
        var table = new ExpressionTable(["a", "b", "c", "d", "e"], ["t1", "t2"],
            [1, 2, 3, float.NaN, 5, 6, 7, 8, float.NaN, 10]);
        return PromoterDataset.Create(["AACG", "CCGT", "GGTA", "TTAC", "ACGN"], table);
    }

    [Fact]
    public void TensorsHaveTheDocumentedShapesAndMaskedTargetsAreZero()
    {
        var ds = Small();
        Assert.Equal([5, 4, 4], ds.Sequences.Shape.Dims.ToArray());
        Assert.Equal([5, 2], ds.Targets.Shape.Dims.ToArray());
        Assert.Equal([1f, 1f, 1f, 0f, 1f, 1f, 1f, 1f, 0f, 1f], ds.Mask.Data);
        Assert.Equal(0f, ds.Targets[1, 1]);
        Assert.Equal(0.25f, ds.Sequences[4, 3, 0]);
    }

    [Fact]
    public void GetBatchGathersRowsAndCanReverseComplement()
    {
        var ds = Small();
        var b = ds.GetBatch([3, 0]);
        Assert.Equal("TTAC", OneHot.Decode(b.Sequences.Data.AsSpan(0, 16)));
        Assert.Equal([7f, 8f, 1f, 2f], b.Targets.Data);
        var rc = ds.GetBatch([3, 0], reverseComplement: true);
        Assert.Equal("GTAA", OneHot.Decode(rc.Sequences.Data.AsSpan(0, 16)));
        Assert.Equal(b.Targets.Data, rc.Targets.Data);
        Assert.All(rc.ReverseComplemented, Assert.True);
    }

    [Fact]
    public void BatchesCoverEveryIndexOnceAndAreSeeded()
    {
        var ds = Small();
        int[] train = [0, 1, 2, 3, 4];
        var first = ds.Batches(train, 2, new Generator(11), reverseComplementAugmentation: true).ToList();
        var again = ds.Batches(train, 2, new Generator(11), reverseComplementAugmentation: true).ToList();
        Assert.Equal([2, 2, 1], first.Select(b => b.Count));
        Assert.Equal(train, first.SelectMany(b => b.Indices).Order());
        Assert.Equal(first.SelectMany(b => b.Indices), again.SelectMany(b => b.Indices));
        Assert.Equal(first.SelectMany(b => b.ReverseComplemented), again.SelectMany(b => b.ReverseComplemented));
        foreach (var b in first)
        {
            for (int i = 0; i < b.Count; i++)
            {
                var expected = ds.Sequences.Data.AsSpan(b.Indices[i] * 16, 16).ToArray();
                if (b.ReverseComplemented[i])
                {
                    ReverseComplement.OneHotInPlace(expected);
                }
                Assert.Equal(expected, b.Sequences.Data.AsSpan(i * 16, 16).ToArray());
            }
        }
        Assert.Equal([0, 1, 2, 3], ds.Batches(train, 2, dropLast: true).SelectMany(b => b.Indices));
        Assert.Throws<ArgumentException>(() => ds.Batches(train, 2, reverseComplementAugmentation: true));
    }

    [Fact]
    public void AugmentationFlipsAboutHalfTheItems()
    {
        var table = new ExpressionTable(Enumerable.Range(0, 400).Select(i => $"g{i}").ToArray(), ["t"], new float[400]);
        var ds = PromoterDataset.Create(Enumerable.Repeat("ACGTT", 400).ToArray(), table);
        int flipped = ds.Batches(Enumerable.Range(0, 400).ToArray(), 64, new Generator(2), true).Sum(b => b.ReverseComplemented.Count(f => f));
        Assert.InRange(flipped, 160, 240);
    }

    [Fact]
    public void UnequalLengthsNeedAFixedLength()
    {
        var table = new ExpressionTable(["a", "b"], ["t"], [1f, 2f]);
        Assert.Throws<ArgumentException>(() => PromoterDataset.Create(["ACGT", "AC"], table));
        var ds = PromoterDataset.Create(["ACGT", "AC"], table, new FixedLength(4, LengthMode.Pad, SequenceAlignment.Right));
        Assert.Equal("NNAC", OneHot.Decode(ds.Sequences.Data.AsSpan(16, 16)));
    }
}
