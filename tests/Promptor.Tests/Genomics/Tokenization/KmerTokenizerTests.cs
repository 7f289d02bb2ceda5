using Promptor.Genomics.Tokenization;

namespace Promptor.Tests.Genomics.Tokenization;

public class KmerTokenizerTests
{
    private static string RandomDna(Random rng, int length) =>
        new(Enumerable.Range(0, length).Select(_ => "ACGT"[rng.Next(4)]).ToArray());

    [Fact]
    public void VocabularyIsSpecialsThenKmersThenTails()
    {
        var t = new KmerTokenizer(2);
        Assert.Equal(4 + 16 + 4, t.VocabularySize);
        Assert.Equal(["<pad>", "<bos>", "<eos>", "<unk>", "AA", "AC", "AG", "AT", "CA"], t.Vocabulary.Take(9));
        Assert.Equal("TT", t.Vocabulary[19]);
        Assert.Equal(["A", "C", "G", "T"], t.Vocabulary.Skip(20));
        Assert.Equal(4 + 4096 + 1364, new KmerTokenizer(6).VocabularySize);
        Assert.Equal(3, t.UnknownId);
    }

    [Fact]
    public void NonOverlappingByDefaultWithATailToken()
    {
        var t = new KmerTokenizer(3);
        Assert.Equal(3, t.Stride);
        Assert.Equal(["ACG", "TTG", "CA"], t.Tokenize("ACGTTGCA"));
        Assert.Equal(["AC"], t.Tokenize("AC"));
        Assert.Empty(t.Encode(""));
    }

    [Fact]
    public void OverlappingStrideOneGivesEveryKmer()
    {
        var t = new KmerTokenizer(3, stride: 1);
        Assert.Equal(["ACG", "CGT", "GTT"], t.Tokenize("ACGTT"));
        var t2 = new KmerTokenizer(4, stride: 2);
        Assert.Equal(["ACGT", "GTTG", "T"], t2.Tokenize("ACGTTGT"));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(3, 1)]
    [InlineData(4, 2)]
    [InlineData(6, 6)]
    [InlineData(6, 1)]
    [InlineData(5, 3)]
    public void RoundTripsEveryLength(int k, int stride)
    {
        var rng = new Random(k * 31 + stride);
        var t = new KmerTokenizer(k, stride);
        for (int length = 0; length <= 40; length++)
        {
            string s = RandomDna(rng, length);
            var ids = t.Encode(s);
            Assert.Equal(s, t.Decode(ids));
            Assert.Equal(s, t.Decode(t.EncodeWithBeginEnd(s)));
            int full = length < k ? 0 : (length - k) / stride + 1;
            bool tail = length > (full == 0 ? 0 : (full - 1) * stride + k);
            Assert.Equal(full + (tail ? 1 : 0), ids.Length);
        }
    }

    [Fact]
    public void KmersWithOtherCharactersBecomeUnknownOrThrow()
    {
        var t = new KmerTokenizer(3);
        Assert.Equal([4, 3], t.Encode("AAANAA"));
        Assert.Equal("AAANNN", t.Decode(t.Encode("AAANAA")));
        var strict = new KmerTokenizer(3, mapUnknown: false);
        var e = Assert.Throws<TokenizationException>(() => strict.Encode("AAANAA"));
        Assert.Equal(3, e.Position);
        var withN = new KmerTokenizer(2, alphabet: "ACGTN");
        Assert.Equal("AANA", withN.Decode(withN.Encode("AANA")));
    }

    [Fact]
    public void RejectsBadSettings()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new KmerTokenizer(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KmerTokenizer(3, stride: 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KmerTokenizer(3, stride: 0));
        Assert.Throws<ArgumentException>(() => new KmerTokenizer(3, alphabet: "AAC"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KmerTokenizer(12));
    }
}
