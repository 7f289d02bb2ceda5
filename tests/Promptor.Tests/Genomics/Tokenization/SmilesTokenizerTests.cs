using Promptor.Genomics.Tokenization;
using Promptor.Tests.Genomics.Chemistry;

namespace Promptor.Tests.Genomics.Tokenization;

public class SmilesTokenizerTests
{
    private static readonly Lazy<SmilesTokenizer> s_tox21 = new(() => SmilesTokenizer.Build(SmilesFixtures.Tox21Sample));

    [Theory]
    [InlineData("C[C@@H](O)Cl", "C|[C@@H]|(|O|)|Cl")]
    [InlineData("ClCCBr", "Cl|C|C|Br")]
    [InlineData("CCl", "C|Cl")]
    [InlineData("BrB", "Br|B")]
    [InlineData("C%12CCCCC%12", "C|%12|C|C|C|C|C|%12")]
    [InlineData("c1cc[nH]c1", "c|1|c|c|[nH]|c|1")]
    [InlineData("C[O-].[NH4+]", "C|[O-]|.|[NH4+]")]
    [InlineData("c1ccccc1", "c|1|c|c|c|c|c|1")]
    [InlineData("F/C=C\\F", "F|/|C|=|C|\\|F")]
    [InlineData("C#N", "C|#|N")]
    [InlineData("[2H]C", "[2H]|C")]
    [InlineData("C12CC1C2", "C|1|2|C|C|1|C|2")]
    public void SplitsTrickyCasesAtomLevel(string smiles, string expected)
    {
        Assert.Equal(expected.Split('|'), SmilesTokenizer.SplitTokens(smiles));
    }

    [Fact]
    public void LowercaseLAfterCIsNotChlorine()
    {
        // "Cl" is always chlorine; a stray "l" after "c" is not a token.
        var e = Assert.Throws<TokenizationException>(() => SmilesTokenizer.SplitTokens("Ccl"));
        Assert.Equal(("l", 2), (e.Token, e.Position));
        Assert.Contains("'l' at position 2", e.Message);
    }

    [Fact]
    public void RoundTripsTheTox21Sample()
    {
        var t = s_tox21.Value;
        foreach (string smiles in SmilesFixtures.Tox21Sample)
        {
            var ids = t.Encode(smiles);
            Assert.Equal(smiles, t.Decode(ids));
            Assert.Equal(smiles, string.Concat(t.Tokenize(smiles)));
            Assert.Equal(smiles, t.Decode(t.EncodeWithBeginEnd(smiles)));
        }
    }

    [Fact]
    public void VocabularyIsSpecialTokensThenByFrequency()
    {
        var t = SmilesTokenizer.Build(["CCO", "CC(=O)O", "c1ccccc1"]);
        // C ×4, c ×6, O ×3, 1 ×2, ( ) = ×1 each (ordinal order among ties).
        Assert.Equal(["<pad>", "<bos>", "<eos>", "<unk>", "c", "C", "O", "1", "(", ")", "="], t.Vocabulary);
        Assert.Equal(3, t.UnknownId);
        var tox = s_tox21.Value;
        Assert.Equal("C", tox.Vocabulary[4]);
        Assert.Contains("[C@@H]", tox.Vocabulary);
        Assert.Equal(["<pad>", "<bos>", "<eos>", "<unk>", "C"], SmilesTokenizer.Build(["CC", "CN"], minCount: 2).Vocabulary);
    }

    [Fact]
    public void UnknownTokenIsAnErrorOrUnk()
    {
        var t = SmilesTokenizer.Build(["CCO", "c1ccccc1"]);
        var e = Assert.Throws<TokenizationException>(() => t.Encode("CC[Au]O"));
        Assert.Equal(("[Au]", 2), (e.Token, e.Position));
        Assert.Contains("unknown token '[Au]' at position 2", e.Message);
        var x = Assert.Throws<TokenizationException>(() => t.Encode("CCOX"));
        Assert.Equal(("X", 3), (x.Token, x.Position));

        var lenient = SmilesTokenizer.Build(["CCO", "c1ccccc1"], mapUnknown: true);
        var ids = lenient.Encode("CC[Au]OX");
        Assert.Equal(["<pad>", "<bos>", "<eos>", "<unk>", "c", "1", "C", "O"], lenient.Vocabulary);
        Assert.Equal([6, 6, 3, 7, 3], ids);
        Assert.Equal("CC<unk>O<unk>", lenient.Decode(ids));
    }

    [Fact]
    public void TomczakAlphabetTokensAreRegexTokens()
    {
        // The 110 SMILES tokens of Tomczak's Tox21 transformer (ids 1..110) are all single regex tokens.
        string path = "/work/shared/data/tox21-smiles/tomczak_tox21_alphabet.tsv";
        if (!File.Exists(path))
        {
            return;
        }
        var tokens = File.ReadLines(path).Skip(1).Select(l => l.Split('\t')[1]).Where(t => t is not ("unk" or "cls")).ToList();
        Assert.Equal(110, tokens.Count);
        foreach (string token in tokens)
        {
            Assert.Equal([token], SmilesTokenizer.SplitTokens(token));
        }
    }
}
