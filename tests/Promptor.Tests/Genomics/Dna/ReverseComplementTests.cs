using Promptor.Genomics.Dna;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Dna;

public class ReverseComplementTests
{
    private static string RandomDna(Generator g, int length, string letters = "ACGTNRYacgt") =>
        new(Enumerable.Range(0, length).Select(_ => letters[g.NextInt(letters.Length)]).ToArray());

    [Fact]
    public void StringReverseComplementIsIupacAware()
    {
        Assert.Equal("NRYACGT", ReverseComplement.Of("ACGTRYN"));
        Assert.Equal("acgT", ReverseComplement.Of("Acgt"));
    }

    [Fact]
    public void ReverseComplementTwiceIsIdentity()
    {
        var g = new Generator(7);
        for (int i = 0; i < 20; i++)
        {
            string s = RandomDna(g, g.NextInt(50));
            Assert.Equal(s, ReverseComplement.Of(ReverseComplement.Of(s)));
        }
        var batch = Tensor.RandomUniform(new Generator(8), new Shape(3, 11, 4));
        Assert.Equal(batch.Data, ReverseComplement.OfOneHot(ReverseComplement.OfOneHot(batch)).Data);
    }

    [Fact]
    public void OneHotReverseComplementEqualsOneHotOfReverseComplementString()
    {
        var g = new Generator(9);
        var seqs = Enumerable.Range(0, 4).Select(_ => RandomDna(g, 37, "ACGTN")).ToArray();
        var rcOfOneHot = ReverseComplement.OfOneHot(OneHot.EncodeBatch(seqs));
        var oneHotOfRc = OneHot.EncodeBatch(seqs.Select(ReverseComplement.Of).ToArray());
        Assert.Equal(oneHotOfRc.Shape, rcOfOneHot.Shape);
        Assert.Equal(oneHotOfRc.Data, rcOfOneHot.Data);
    }

    [Fact]
    public void RejectsWrongShapes()
    {
        Assert.Throws<ArgumentException>(() => ReverseComplement.OfOneHot(Tensor.Zeros(2, 5, 3)));
        Assert.Throws<ArgumentException>(() => ReverseComplement.Of("ACGX"));
    }
}
