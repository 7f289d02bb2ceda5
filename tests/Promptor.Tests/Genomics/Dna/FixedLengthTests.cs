using Promptor.Genomics.Dna;

namespace Promptor.Tests.Genomics.Dna;

public class FixedLengthTests
{
    [Theory]
    [InlineData(SequenceAlignment.Left, "ACGNN", "ACGTA")]
    [InlineData(SequenceAlignment.Center, "NACGN", "CGTAC")]
    [InlineData(SequenceAlignment.Right, "NNACG", "TACGT")]
    public void PadsAndTrimsOnTheChosenSide(SequenceAlignment alignment, string padded, string trimmed)
    {
        var f = new FixedLength(5, LengthMode.PadOrTrim, alignment);
        Assert.Equal(padded, f.Apply("ACG"));
        Assert.Equal(trimmed, f.Apply("ACGTACGT"));
    }

    [Fact]
    public void ModesForbidWhatTheyDoNotAllow()
    {
        Assert.Throws<ArgumentException>(() => new FixedLength(5, LengthMode.Exact).Apply("ACG"));
        Assert.Throws<ArgumentException>(() => new FixedLength(2, LengthMode.Pad).Apply("ACG"));
        Assert.Throws<ArgumentException>(() => new FixedLength(5, LengthMode.Trim).Apply("ACG"));
        Assert.Equal("ACG", new FixedLength(3, LengthMode.Exact).Apply("ACG"));
    }
}
