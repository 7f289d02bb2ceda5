using Promptor.Genomics.Dna;

namespace Promptor.Tests.Genomics.Dna;

public class DnaAlphabetTests
{
    [Fact]
    public void BasesHaveIndicesZeroToThreeInEitherCase()
    {
        Assert.Equal([0, 1, 2, 3], "ACGT".Select(DnaAlphabet.IndexOf));
        Assert.Equal([0, 1, 2, 3], "acgt".Select(DnaAlphabet.IndexOf));
        Assert.Equal(-1, DnaAlphabet.IndexOf('N'));
        Assert.Equal(-1, DnaAlphabet.IndexOf('X'));
    }

    [Fact]
    public void IupacCodesAreLegalAndOtherCharactersAreNot()
    {
        foreach (char c in "ACGTRYSWKMBDHVNacgtryswkmbdhvn")
        {
            Assert.True(DnaAlphabet.IsLegal(c), c.ToString());
        }
        foreach (char c in "XEFIJLOPQUZ-.*0 é")
        {
            Assert.False(DnaAlphabet.IsLegal(c), c.ToString());
        }
        Assert.Equal(2, DnaAlphabet.IndexOfIllegal("ACXGT"));
        Assert.Equal(-1, DnaAlphabet.IndexOfIllegal("ACGTNnryk"));
    }

    [Fact]
    public void ComplementIsIupacAwareAndKeepsCase()
    {
        Assert.Equal("TGCAYRSWMKVHDBN", new string("ACGTRYSWKMBDHVN".Select(DnaAlphabet.Complement).ToArray()));
        Assert.Equal('t', DnaAlphabet.Complement('a'));
        Assert.Throws<ArgumentException>(() => DnaAlphabet.Complement('X'));
    }

    [Fact]
    public void AmbiguityWeightsAreUniformOrProportional()
    {
        var w = new float[4];
        Assert.True(DnaAlphabet.TryGetWeights('R', w));
        Assert.Equal([0.25f, 0.25f, 0.25f, 0.25f], w);
        Assert.True(DnaAlphabet.TryGetWeights('R', w, AmbiguityEncoding.Proportional));
        Assert.Equal([0.5f, 0f, 0.5f, 0f], w);
        Assert.True(DnaAlphabet.TryGetWeights('n', w, AmbiguityEncoding.Proportional));
        Assert.Equal([0.25f, 0.25f, 0.25f, 0.25f], w);
        Assert.False(DnaAlphabet.TryGetWeights('X', w));
    }
}
