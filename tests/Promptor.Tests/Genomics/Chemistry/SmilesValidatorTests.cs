using Promptor.Genomics.Chemistry;
using Xunit.Abstractions;

namespace Promptor.Tests.Genomics.Chemistry;

public class SmilesValidatorTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("c1ccccc1", true)]              // benzene
    [InlineData("C1=CC=CC=C1", true)]           // benzene, Kekulé
    [InlineData("c1cc[nH]c1", true)]            // pyrrole
    [InlineData("[nH]1cccc1", true)]            // pyrrole
    [InlineData("c1ccncc1", true)]              // pyridine
    [InlineData("c1ccoc1", true)]               // furan
    [InlineData("c1ccsc1", true)]               // thiophene
    [InlineData("c1ccc2[nH]ccc2c1", true)]      // indole
    [InlineData("Cn1cnc2c1c(=O)n(C)c(=O)n2C", true)] // caffeine
    [InlineData("c1cc[cH-]c1", true)]           // cyclopentadienide
    [InlineData("CN(=O)=O", true)]              // nitro written neutral
    [InlineData("C[N+](=O)[O-]", true)]         // nitro, charge-separated
    [InlineData("CS(=O)(=O)C", true)]           // dimethyl sulfone
    [InlineData("P(=O)(O)O", true)]             // phosphorous acid
    [InlineData("[NH4+]", true)]
    [InlineData("OCl(=O)(=O)=O", true)]         // perchloric acid
    [InlineData("O=n1ccccc1", true)]            // pyridine N-oxide written neutral (clean-up)
    [InlineData("c1n#n[nH]1", false)]           // aromatic N#N stays a triple bond: c1 cannot be kekulised
    [InlineData("C1:CCCC1", true)]              // aromatic bond between aliphatic atoms (RDKit: C1=CCCC1)
    [InlineData("C1CC", false)]                 // unclosed ring
    [InlineData("c1cccc1", false)]              // not kekulisable
    [InlineData("n1cccc1", false)]              // pyrrole without H
    [InlineData("C(C)(C)(C)(C)C", false)]       // pentavalent carbon
    [InlineData("[Xx]", false)]
    [InlineData("C==C", false)]
    [InlineData("((C))", false)]
    [InlineData("c1ccccc1c", false)]            // aromatic atom outside a ring
    [InlineData("B(F)(F)(F)F", false)]
    [InlineData("FC(F)(F)F(F)", false)]
    public void ClassicCases(string smiles, bool valid)
    {
        var r = SmilesValidator.Validate(smiles);
        Assert.True(valid == r.IsValid, $"{smiles}: {r.Reason}");
        Assert.Equal(valid, r.Reason is null);
    }

    [Theory]
    [InlineData("C1CC", "ring bond 1 not closed (opened at position 1)")]
    [InlineData("CC(C)(C)(C)C", "atom 1 (C) has valence 5 (at most 4 allowed)")]
    [InlineData("C[N+](C)(C)(C)C", "atom 1 (N+) has valence 5 (at most 4 allowed)")]
    [InlineData("CCCCCC(X)C", "unexpected character 'X' at position 7")]
    [InlineData("c1cccc1", "aromatic system cannot be kekulised (atoms 0, 1, 2, 3, 4 need a double bond)")]
    [InlineData("Cc", "aromatic atom 1 (c) is not in a ring")]
    [InlineData("ClCl(Cl)", "atom 1 (Cl) has valence 2 (at most 1 allowed)")]
    public void ReasonsNameTheProblem(string smiles, string reason)
    {
        var r = SmilesValidator.Validate(smiles);
        Assert.False(r.IsValid);
        Assert.Equal(reason, r.Reason);
    }

    [Fact]
    public void ValenceModelAssignsImplicitHydrogens()
    {
        var m = SmilesValidator.Validate("CC(=O)Oc1ccc[nH]1").Molecule!;
        Assert.Equal([3, 0, 0, 0, 0, 1, 1, 1, 1], m.Atoms.Select(a => a.TotalHydrogens));
        Assert.Equal([4, 4, 3, 2, 1, 2], new[] { "C", "[NH4+]", "[NH3+]C", "NC", "[OH-]", "S" }
            .Select(s => SmilesValidator.Validate(s).Molecule!.Atoms[0].TotalHydrogens));
        Assert.Equal(1, SmilesValidator.Validate("CS").Molecule!.Atoms[1].ImplicitHydrogens);
        // Hypervalent organic-subset atoms go to the next allowed valence: P 3 → 5, S 2 → 4 → 6.
        Assert.Equal(1, SmilesValidator.Validate("P(O)(O)(O)O").Molecule!.Atoms[0].ImplicitHydrogens);
        Assert.Equal(1, SmilesValidator.Validate("CS(C)C").Molecule!.Atoms[1].ImplicitHydrogens);
    }

    [Fact]
    public void NitroGroupIsNormalisedToChargeSeparatedForm()
    {
        var m = SmilesValidator.Validate("CN(=O)=O").Molecule!;
        Assert.Equal([0, 1, -1, 0], m.Atoms.Select(a => a.Charge)); // the first =O, as RDKit
        Assert.Equal(1, m.Bonds.Count(b => b.Order == BondOrder.Double));
    }

    [Theory]
    [InlineData("c1ccccc1", 3)]
    [InlineData("c1cc[nH]c1", 2)]
    [InlineData("c1ccc2ccccc2c1", 5)]
    [InlineData("c1ccc2c(c1)ccc1ccccc12", 7)] // phenanthrene
    [InlineData("O=c1cccc[nH]1", 2)]
    [InlineData("c1ccc(cc1)-c1ccccc1", 6)]
    public void KekulisationGivesEveryCandidateOneDoubleBond(string smiles, int doubles)
    {
        var r = SmilesValidator.Validate(smiles);
        Assert.True(r.IsValid, r.Reason);
        var m = r.Molecule!;
        Assert.Equal(doubles, m.Bonds.Count(b => b.KekuleOrder == BondOrder.Double && b.Order == BondOrder.Aromatic));
        Assert.DoesNotContain(m.Bonds, b => b.KekuleOrder == BondOrder.Aromatic);
        foreach (var atom in m.Atoms.Where(a => a.IsAromatic))
        {
            Assert.True(m.BondsOf(atom.Index).Count(bi => m.Bonds[bi].KekuleOrder == BondOrder.Double) <= 1);
        }
    }

    [Fact]
    public void ConflictingRingBondSymbolsAreInvalidUnlikeRdkit()
    {
        // OpenSMILES: both ends of a ring closure must agree. RDKit keeps one of them instead.
        Assert.False(SmilesValidator.IsValid("C=1CCCCC#1"));
        Assert.True(SmilesValidator.IsValid("C=1CCCCC=1"));
        Assert.False(SmilesValidator.IsValid(""));
    }

    [Fact]
    public void AgreesWithRdkitOnTheGoldenTable()
    {
        var table = SmilesFixtures.Golden;
        Assert.True(table.Count >= 500);
        var wrong = table.Where(g => SmilesValidator.IsValid(g.Smiles) != g.Valid).ToList();
        foreach (var g in wrong)
        {
            output.WriteLine($"{g.Smiles}\trdkit={g.Valid}\tours: {SmilesValidator.Validate(g.Smiles).Reason}\t{g.RdkitMessage}");
        }
        double agreement = 1 - (double)wrong.Count / table.Count;
        output.WriteLine($"agreement {agreement:P2} on {table.Count} rows ({table.Count(g => !g.Valid)} invalid)");
        Assert.True(agreement >= 0.98, $"agreement {agreement:P2}");
        Assert.DoesNotContain(wrong, g => g.Source is "curated" or "tox21");
        Assert.Equal(54, table.Count(g => g.Source == "curated"));
        Assert.Equal(300, table.Count(g => g.Source == "tox21" && g.Valid));
    }

    [Fact]
    public void AcceptsTheWholeTox21FileWhenPresent()
    {
        if (!File.Exists(SmilesFixtures.SharedTox21))
        {
            return; // the shared data folder is not part of the repository
        }
        var smiles = SmilesFixtures.ReadTox21Csv(SmilesFixtures.SharedTox21).ToList();
        Assert.Equal(7831, smiles.Count);
        var rejected = smiles.Where(s => !SmilesValidator.IsValid(s)).ToList();
        output.WriteLine($"accepted {smiles.Count - rejected.Count} of {smiles.Count} (RDKit accepts all)");
        Assert.Empty(rejected);
    }
}
