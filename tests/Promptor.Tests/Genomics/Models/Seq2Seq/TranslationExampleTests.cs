using Promptor.Genomics.Models.Seq2Seq;
using Promptor.Genomics.Tokenization;

namespace Promptor.Tests.Genomics.Models.Seq2Seq;

public class TranslationExampleTests
{
    private static CodingSequence Gene(string name, int codons)
    {
        const string codonCycle = "GCTAAAGATTGG";                    // A K D W
        string dna = string.Concat(Enumerable.Range(0, codons).Select(i => codonCycle.Substring(3 * (i % 4), 3)));
        return new CodingSequence(name, dna, GeneticCode.Translate(dna));
    }

    [Fact]
    public void WindowsAreWholeCodonsWithTheirResidues()
    {
        var windows = TranslationExample.Windows([Gene("g", 25)], codons: 10, minCodons: 5);

        Assert.Equal([0, 10, 20], windows.Select(w => w.Start));
        Assert.Equal([10, 10, 5], windows.Select(w => w.Protein.Length));
        Assert.All(windows, w => Assert.Equal(GeneticCode.Translate(w.Dna), w.Protein));
        Assert.Single(TranslationExample.Windows([Gene("g", 14)], 10, minCodons: 5));   // 4 left over: dropped
    }

    [Fact]
    public void SplitKeepsEachGeneInOneSetAndIsSeeded()
    {
        var genes = Enumerable.Range(0, 50).Select(i => Gene($"g{i:00}", 3)).ToArray();

        var (train, validation, test) = TranslationExample.SplitGenes(genes, 0.1, 0.2, seed: 4);
        var again = TranslationExample.SplitGenes(genes.Reverse().ToArray(), 0.1, 0.2, seed: 4);

        Assert.Equal((35, 5, 10), (train.Count, validation.Count, test.Count));
        Assert.Equal(50, train.Concat(validation).Concat(test).Select(g => g.Gene).Distinct().Count());
        Assert.Equal(test.Select(g => g.Gene), again.Test.Select(g => g.Gene));   // input order does not matter
        Assert.NotEqual(test.Select(g => g.Gene), TranslationExample.SplitGenes(genes, 0.1, 0.2, seed: 5).Test.Select(g => g.Gene));
    }

    [Fact]
    public void ProteinTokenizerRoundTrips()
    {
        var tok = new ProteinTokenizer();
        Assert.Equal(24, tok.VocabularySize);
        string protein = GeneticCode.Residues + "*";
        Assert.Equal(protein, tok.Decode(tok.EncodeWithBeginEnd(protein)));
        Assert.Equal(protein.ToUpperInvariant(), tok.Decode(tok.Encode(protein.ToLowerInvariant())));
        var error = Assert.Throws<TokenizationException>(() => tok.Encode("MKB"));
        Assert.Equal(2, error.Position);
    }

    [Fact]
    public void BatchIsBeginTargetAndTargetEnd()
    {
        var batch = Seq2SeqBatch.Create([([4, 5, 6], [7, 8]), ([4], [9])]);

        Assert.Equal((2, 3, 3), (batch.Batch, batch.SourceLength, batch.TargetLength));
        Assert.Equal([4, 5, 6, 4, 0, 0], batch.Source);
        Assert.Equal([1, 7, 8, 1, 9, 0], batch.DecoderInput);
        Assert.Equal([7, 8, 2, 9, 2, 0], batch.DecoderTarget);
    }
}
