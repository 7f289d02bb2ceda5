using Promptor.Genomics.Chemistry;
using Promptor.Genomics.Generative;
using Promptor.Genomics.Tokenization;

namespace Promptor.Tests.Genomics.Generative;

public class SmilesAugmentationTests
{
    private static readonly string[] Molecules =
    [
        "CCO", "N[C@@H](Cc1ccccc1)C(=O)O", "C[C@H](O)[C@@H](N)C(=O)O", "C/C=C/C=C\\C(=O)O", "CC(=O)[O-].[Na+]",
        "c1ccc2c(c1)[nH]c1ccccc12", "[13CH3]C(=O)O", "C1CC2CCC1C2", "O=[N+]([O-])c1ccc(-c2ccccc2)cc1",
        "C12C3C4C5C6C7C8C9C%10C%11C%12C%13C1C2C3C4C5C6C7C8C9C%10C%11C%12%13", "not a smiles",
    ];

    [Fact]
    public void EpochsAreReproducibleDifferFromEachOtherAndKeepEveryMolecule()
    {
        var augmentation = new SmilesAugmentation(Molecules, seed: 3);
        Assert.Equal(1, augmentation.NotRandomizable);
        var epoch1 = augmentation.Epoch(1);
        Assert.Equal(epoch1, new SmilesAugmentation(Molecules, seed: 3).Epoch(1));
        Assert.NotEqual(epoch1, augmentation.Epoch(2));
        Assert.NotEqual(epoch1, new SmilesAugmentation(Molecules, seed: 4).Epoch(1));
        for (int i = 0; i < Molecules.Length; i++)
        {
            Assert.Equal(CanonicalSmiles.Canonicalize(Molecules[i]), CanonicalSmiles.Canonicalize(epoch1[i]));
        }
        Assert.Equal("not a smiles", epoch1[^1]);
    }

    [Fact]
    public void TheVocabularyCorpusCoversTheTokensOfManyLaterEpochs()
    {
        var augmentation = new SmilesAugmentation(Molecules[..^1], seed: 1);
        var tokenizer = SmilesTokenizer.Build(augmentation.VocabularyCorpus(passes: 10));
        for (int epoch = 1; epoch <= 200; epoch++)
        {
            foreach (var s in augmentation.Epoch(epoch))
            {
                tokenizer.Encode(s); // throws on a token outside the vocabulary
            }
        }
        // Without the randomized passes a vocabulary misses tokens that only re-spellings use: phenylalanine
        // written from its other side needs [C@H] where the file has [C@@H].
        var phenylalanine = new SmilesAugmentation(["N[C@@H](Cc1ccccc1)C(=O)O"], seed: 1);
        var plain = SmilesTokenizer.Build(["N[C@@H](Cc1ccccc1)C(=O)O"]);
        Assert.Contains(Enumerable.Range(1, 20).Select(e => phenylalanine.Epoch(e)[0]), s => Throws(() => plain.Encode(s)));
        var covering = SmilesTokenizer.Build(phenylalanine.VocabularyCorpus(passes: 10));
        Assert.Contains("[C@H]", covering.Vocabulary);
    }

    [Fact]
    public void MirroringSwapsTetrahedralMarks()
    {
        Assert.Equal("N[C@H](C)[C@@H](O)C", SmilesAugmentation.MirrorTetrahedralMarks("N[C@@H](C)[C@H](O)C"));
    }

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (TokenizationException)
        {
            return true;
        }
    }
}
