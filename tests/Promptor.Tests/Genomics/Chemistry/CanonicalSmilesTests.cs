using Promptor.Genomics.Chemistry;

namespace Promptor.Tests.Genomics.Chemistry;

public class CanonicalSmilesTests
{
    [Theory]
    [InlineData("CCO", "OCC", "C(O)C")]
    [InlineData("Oc1ccccc1", "c1ccccc1O", "c1cc(O)ccc1")]
    [InlineData("CC1CCCCC1", "C1CCCCC1C", "C1CCC(C)CC1")]
    [InlineData("CN(=O)=O", "C[N+](=O)[O-]", "[O-][N+](C)=O")]
    [InlineData("c1ccccc1c1ccccc1", "c1ccccc1-c1ccccc1", "c1ccc(cc1)-c1ccccc1")]
    [InlineData("[Na+].[Cl-]", "[Cl-].[Na+]", "[Cl-].[Na+]")]
    [InlineData("C[C@@H](N)C(=O)O", "N[C@H](C)C(=O)O", "OC(=O)[C@@H](C)N")]
    [InlineData("F[C@H](Cl)Br", "Cl[C@@H](F)Br", "[C@@H](F)(Cl)Br")]
    [InlineData("C1CC[C@H](O)[C@@H](N)C1", "N[C@H]1CCCC[C@@H]1O", "O[C@H]1CCCC[C@@H]1N")]
    [InlineData("c1cc[nH]c1", "[nH]1cccc1", "[cH]1[cH][cH][nH][cH]1")]
    public void SpellingsOfOneMoleculeGiveOneString(string a, string b, string c)
    {
        string? ca = CanonicalSmiles.Canonicalize(a);
        Assert.NotNull(ca);
        Assert.Equal(ca, CanonicalSmiles.Canonicalize(b));
        Assert.Equal(ca, CanonicalSmiles.Canonicalize(c));
        Assert.True(SmilesValidator.IsValid(ca!));
    }

    [Theory]
    [InlineData("C[C@@H](N)C(=O)O", "C[C@H](N)C(=O)O")] // enantiomers
    [InlineData("CCO", "COC")]
    [InlineData("[13CH4]", "C")]
    [InlineData("C[NH3+]", "CN")]
    public void DifferentMoleculesGiveDifferentStrings(string a, string b)
    {
        Assert.NotEqual(CanonicalSmiles.Canonicalize(a), CanonicalSmiles.Canonicalize(b));
    }

    [Fact]
    public void MarksOnNonStereocentresAreDroppedAndMesoIsRecognised()
    {
        Assert.Equal(CanonicalSmiles.Canonicalize("CC(C)O"), CanonicalSmiles.Canonicalize("C[C@H](C)O"));
        // Tartaric acid (pairs checked with RDKit): meso is its own mirror image, the chiral forms are not.
        string meso = CanonicalSmiles.Canonicalize("O[C@@H]([C@@H](O)C(=O)O)C(=O)O")!;
        Assert.Equal(meso, CanonicalSmiles.Canonicalize("O[C@H]([C@H](O)C(=O)O)C(=O)O"));
        Assert.Equal(meso, CanonicalSmiles.Canonicalize("OC(=O)[C@H](O)[C@H](O)C(=O)O"));
        string d = CanonicalSmiles.Canonicalize("O[C@@H]([C@H](O)C(=O)O)C(=O)O")!;
        string l = CanonicalSmiles.Canonicalize("O[C@H]([C@@H](O)C(=O)O)C(=O)O")!;
        Assert.Equal(3, new[] { meso, d, l }.Distinct().Count());
        Assert.Equal(meso.Replace("@", ""), d.Replace("@", ""));
    }

    [Fact]
    public void InvalidSmilesHasNoCanonicalForm()
    {
        Assert.Null(CanonicalSmiles.Canonicalize("C1CC"));
        Assert.Null(CanonicalSmiles.Canonicalize("c1cccc1"));
    }

    [Fact]
    public void RdkitRespellingsOfTox21MoleculesAgree()
    {
        var lines = File.ReadAllLines(SmilesFixtures.PathOf("respellings.tsv"));
        Assert.Equal(150, lines.Length);
        foreach (string line in lines)
        {
            var spellings = line.Split('\t');
            string? first = CanonicalSmiles.Canonicalize(spellings[0]);
            Assert.NotNull(first);
            Assert.All(spellings.Skip(1), s => Assert.Equal(first, CanonicalSmiles.Canonicalize(s)));
        }
    }

    [Fact]
    public void Tox21SampleCanonicalisesIdempotently()
    {
        var canonical = SmilesFixtures.Tox21Sample.Take(250).Select(CanonicalSmiles.Canonicalize).ToList();
        Assert.All(canonical, c => Assert.NotNull(c));
        Assert.All(canonical, c => Assert.Equal(c, CanonicalSmiles.Canonicalize(c!)));
        Assert.Equal(250, canonical.Distinct().Count());
    }
}
