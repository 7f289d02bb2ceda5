using Promptor.Genomics.Chemistry;

namespace Promptor.Tests.Genomics.Chemistry;

public class SmilesParserTests
{
    [Fact]
    public void ParsesChainBranchesAndRingClosures()
    {
        var m = SmilesParser.Parse("CC(=O)Oc1ccccc1");
        Assert.Equal(10, m.Atoms.Count);
        Assert.Equal(10, m.Bonds.Count);
        Assert.Equal("C C O O c c c c c c", string.Join(" ", m.Atoms.Select(a => a.Symbol)));
        Assert.Equal(BondOrder.Double, m.BondBetween(1, 2)!.Order);
        Assert.Equal(BondOrder.Single, m.BondBetween(1, 3)!.Order);
        Assert.Equal(BondOrder.Single, m.BondBetween(3, 4)!.Order);
        var ring = m.BondBetween(4, 9)!;
        Assert.True(ring.IsRingClosure);
        Assert.Equal(BondOrder.Aromatic, ring.Order);
        Assert.Equal(3, m.Degree(1));
        Assert.Equal(1, m.ComponentCount);
    }

    [Fact]
    public void OrganicSubsetReadsTwoLetterHalogensGreedily()
    {
        var m = SmilesParser.Parse("ClCBrB");
        Assert.Equal([17, 6, 35, 5], m.Atoms.Select(a => a.AtomicNumber));
        Assert.All(m.Atoms, a => Assert.False(a.IsBracket));
        Assert.Equal([0, 2, 3, 5], m.Atoms.Select(a => a.Position));
    }

    [Fact]
    public void BracketAtomHasIsotopeChiralityHydrogensChargeAndClass()
    {
        var a = SmilesParser.Parse("[13CH3+:7]").Atoms[0];
        Assert.Equal((6, 13, 3, 1, 7), (a.AtomicNumber, a.Isotope, a.BracketHydrogens, a.Charge, a.AtomClass));
        var c = SmilesParser.Parse("N[C@@H](C)C(=O)O").Atoms[1];
        Assert.Equal(("@@", 1), (c.Chirality, c.BracketHydrogens));
        Assert.Equal("@TH2", SmilesParser.Parse("F[C@TH2H](Cl)Br").Atoms[1].Chirality);
        Assert.Equal("@SP1", SmilesParser.Parse("F[Pt@SP1](Cl)(Br)I").Atoms[1].Chirality);
        Assert.Equal([2, -2, -1, 3, 0], new[] { "[Fe++]", "[O--]", "[O-]", "[Al+3]", "[C]" }
            .Select(s => SmilesParser.Parse(s).Atoms[0].Charge));
        Assert.Equal(0, SmilesParser.Parse("[C]").Atoms[0].BracketHydrogens);
        Assert.Null(SmilesParser.Parse("C").Atoms[0].BracketHydrogens);
    }

    [Fact]
    public void BracketSymbolsIncludeAromaticSeleniumArsenicAndWildcard()
    {
        var m = SmilesParser.Parse("[se]1cc[as]c1.[*].*.[Sc]");
        Assert.Equal([34, 6, 6, 33, 6, 0, 0, 21], m.Atoms.Select(a => a.AtomicNumber));
        Assert.True(m.Atoms[0].IsAromatic && m.Atoms[3].IsAromatic);
        Assert.Equal("se", m.Atoms[0].Symbol);
        Assert.Equal(4, m.ComponentCount);
    }

    [Fact]
    public void RingClosuresSingleDigitPercentAndReuse()
    {
        var m = SmilesParser.Parse("C%12CC%12C1CC1C%(123)CC%(123)");
        Assert.Equal(9, m.Atoms.Count);
        Assert.Equal(3, m.Bonds.Count(b => b.IsRingClosure));
        Assert.NotNull(m.BondBetween(0, 2));
        Assert.NotNull(m.BondBetween(3, 5));
        Assert.NotNull(m.BondBetween(6, 8));
        var dot = SmilesParser.Parse("C1.C1");
        Assert.Equal(1, dot.ComponentCount);
    }

    [Fact]
    public void RingBondSymbolOnEitherEndSetsTheOrder()
    {
        Assert.Equal(BondOrder.Double, SmilesParser.Parse("C=1CCC1").BondBetween(0, 3)!.Order);
        Assert.Equal(BondOrder.Double, SmilesParser.Parse("C1CCC=1").BondBetween(0, 3)!.Order);
        Assert.Equal(BondOrder.Double, SmilesParser.Parse("C=1CCC=1").BondBetween(0, 3)!.Order);
        var e = Assert.Throws<SmilesException>(() => SmilesParser.Parse("C=1CCCCC#1"));
        Assert.Contains("ring bond 1 has conflicting bond symbols '=' and '#'", e.Message);
    }

    [Fact]
    public void DirectionalAndUnmarkedBondsBetweenAromaticAtomsAreAromatic()
    {
        var m = SmilesParser.Parse("c1cc/ccc1-c1ccccc1");
        Assert.Equal(BondOrder.Aromatic, m.BondBetween(2, 3)!.Order);
        Assert.Equal(BondDirection.Up, m.BondBetween(2, 3)!.Direction);
        Assert.Equal(BondOrder.Single, m.BondBetween(5, 6)!.Order);
        Assert.Equal(BondOrder.Single, SmilesParser.Parse("F/C=C/F").BondBetween(0, 1)!.Order);
    }

    [Fact]
    public void TitleAfterBlankIsIgnored()
    {
        Assert.Equal(2, SmilesParser.Parse("CO methanol").Atoms.Count);
        Assert.Equal(2, SmilesParser.Parse("  CO").Atoms.Count);
    }

    [Theory]
    [InlineData("", "empty SMILES", 0)]
    [InlineData("C1CC", "ring bond 1 not closed (opened at position 1)", 1)]
    [InlineData("CCCCCC(X)C", "unexpected character 'X' at position 7", 7)]
    [InlineData("C==C", "two bond symbols in a row ('==') at position 1", 1)]
    [InlineData("((C))", "branch '(' at position 0 does not follow an atom", 0)]
    [InlineData("C()C", "empty branch '()' at position 1", 1)]
    [InlineData("C(C", "branch '(' at position 1 is not closed", 1)]
    [InlineData("CC)", "unmatched ')' at position 2", 2)]
    [InlineData("C=", "bond '=' at position 1 is not followed by an atom", 1)]
    [InlineData("=C", "bond '=' at position 0 does not follow an atom", 0)]
    [InlineData("C=(C)", "bond '=' at position 1 is followed by a branch, not an atom", 1)]
    [InlineData("C11", "ring bond 1 at position 2 closes on its own atom", 2)]
    [InlineData("C1C1", "ring bond 1 at position 3 duplicates the bond between atoms 0 and 1", 3)]
    [InlineData("C.", "SMILES ends with '.' at position 1", 1)]
    [InlineData("C..C", "unexpected '.' at position 2", 2)]
    [InlineData("[Xx]", "unknown element 'Xx' at position 1", 1)]
    [InlineData("[C", "bracket atom at position 0 is not closed", 0)]
    [InlineData("[C@TH3]", "invalid chirality '@TH3' at position 2", 2)]
    [InlineData("[C+-]", "unexpected character '-' at position 3 in bracket atom", 3)]
    [InlineData("C%1CC", "'%' at position 1 must be followed by two digits, the first not 0", 1)]
    [InlineData("[CH01]", "number at position 3 has a leading zero", 3)]
    public void SyntaxErrorsNameTheProblemAndPosition(string smiles, string message, int position)
    {
        var e = Assert.Throws<SmilesException>(() => SmilesParser.Parse(smiles));
        Assert.Equal(message, e.Message);
        Assert.Equal(position, e.Position);
        Assert.False(SmilesParser.TryParse(smiles, out var m, out string? error));
        Assert.Null(m);
        Assert.Equal(message, error);
    }

    [Fact]
    public void RingClosureMayFollowABranchAsInRdkit()
    {
        Assert.Equal(4, SmilesParser.Parse("C(C)1CC1").Atoms.Count);
        Assert.Throws<SmilesException>(() => SmilesParser.Parse("C(1)CC1"));
    }
}
