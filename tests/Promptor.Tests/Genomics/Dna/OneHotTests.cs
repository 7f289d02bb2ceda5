using Promptor.Genomics.Dna;

namespace Promptor.Tests.Genomics.Dna;

public class OneHotTests
{
    [Fact]
    public void EncodesBasesAsRowsOfLayoutLBy4()
    {
        var x = OneHot.Encode("ACGT");
        Assert.Equal(16, x.Length);
        Assert.Equal([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], x);
    }

    [Fact]
    public void NIsQuarterInEveryChannelAndLowercaseEqualsUppercase()
    {
        Assert.Equal([0.25f, 0.25f, 0.25f, 0.25f], OneHot.Encode("N"));
        Assert.Equal(OneHot.Encode("ACGTN"), OneHot.Encode("acgtn"));
    }

    [Fact]
    public void IllegalCharacterNamesItsPosition()
    {
        var e = Assert.Throws<ArgumentException>(() => OneHot.Encode("ACGXT"));
        Assert.Contains("'X' at position 4", e.Message);
    }

    [Fact]
    public void BatchEncodingHasShapeBL4AndRejectsUnequalLengths()
    {
        var t = OneHot.EncodeBatch(["ACGT", "TTTT"]);
        Assert.Equal([2, 4, 4], t.Shape.Dims.ToArray());
        Assert.Equal(1f, t[1, 2, 3]);
        var e = Assert.Throws<ArgumentException>(() => OneHot.EncodeBatch(["ACGT", "ACG"]));
        Assert.Contains("Sequence 1", e.Message);
    }

    [Fact]
    public void FixedLengthPadsWithNAndTrims()
    {
        var t = OneHot.EncodeBatch(["AC", "ACGTAC"], new FixedLength(4, LengthMode.PadOrTrim, SequenceAlignment.Right));
        Assert.Equal("NNAC", OneHot.Decode(t.Data.AsSpan(0, 16)));
        Assert.Equal(0.25f, t[0, 0, 2]);
        Assert.Equal("GTAC", OneHot.Decode(t.Data.AsSpan(16, 16)));
    }

    [Fact]
    public void DecodeInvertsEncode()
    {
        Assert.Equal("ACGTNA", OneHot.Decode(OneHot.Encode("ACGTNA")));
    }
}
