using Promptor.Genomics.Tokenization;

namespace Promptor.Tests.Genomics.Tokenization;

public class DnaTokenizerTests
{
    [Fact]
    public void VocabularyHasSpecialTokensThenBases()
    {
        var t = new DnaTokenizer();
        Assert.Equal(["<pad>", "<bos>", "<eos>", "A", "C", "G", "T", "N"], t.Vocabulary);
        Assert.Equal((0, 1, 2), (t.PadId, t.BeginId, t.EndId));
        Assert.Null(t.UnknownId);
        Assert.Equal(18, new DnaTokenizer(iupac: true).VocabularySize);
        Assert.Equal("R", new DnaTokenizer(iupac: true).Vocabulary[8]);
    }

    [Fact]
    public void EncodeDecodeRoundTripsRandomSequences()
    {
        var rng = new Random(7);
        var t = new DnaTokenizer(iupac: true);
        for (int n = 0; n < 50; n++)
        {
            string s = new(Enumerable.Range(0, rng.Next(0, 200)).Select(_ => "ACGTNRYSWKMBDHV"[rng.Next(15)]).ToArray());
            var ids = t.Encode(s);
            Assert.Equal(s.Length, ids.Length);
            Assert.Equal(s, t.Decode(ids));
            Assert.Equal(s, t.Decode(t.EncodeWithBeginEnd(s)));
        }
    }

    [Fact]
    public void EncodesKnownIdsAndFoldsLowercase()
    {
        var t = new DnaTokenizer();
        Assert.Equal([3, 4, 5, 6, 7], t.Encode("ACGTN"));
        Assert.Equal([3, 4, 5, 6, 7], t.Encode("acgtn"));
        Assert.Equal([1, 3, 6, 2], t.EncodeWithBeginEnd("AT"));
        Assert.Equal(["G", "A"], t.Tokenize("ga"));
    }

    [Fact]
    public void DecodeSkipsPaddingAndBeginAndStopsAtEnd()
    {
        var t = new DnaTokenizer();
        Assert.Equal("AC", t.Decode([1, 3, 0, 4, 2, 5, 6]));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Decode([3, 99]));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Decode([-1]));
    }

    [Fact]
    public void UnknownCharacterIsAnErrorNamingItAndItsPosition()
    {
        var e = Assert.Throws<TokenizationException>(() => new DnaTokenizer().Encode("ACGRT"));
        Assert.Equal("R", e.Token);
        Assert.Equal(3, e.Position);
        Assert.Contains("'R' at position 3", e.Message);
        Assert.Throws<TokenizationException>(() => new DnaTokenizer(iupac: true).Encode("AC-T"));
    }
}
