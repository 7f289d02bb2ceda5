using Promptor.Genomics.Chemistry;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Chemistry;

public class RandomizedSmilesTests
{
    public static readonly TheoryData<string> Molecules = new()
    {
        "CCO",
        "CC(C)(C)c1ccc(O)cc1",
        "c1ccc2cc3ccccc3cc2c1",               // fused aromatics (anthracene)
        "c1ccc2c(c1)[nH]c1ccccc12",           // carbazole: [nH], two ring closures on one atom
        "C1CC2CCC1C2",                        // bridged bicycle
        "C%10CCCCC%10C1CCCCC1",               // %nn ring closure in the input
        "C[N+](C)(C)CC(=O)[O-]",              // zwitterion
        "[13CH3]C(=O)[18OH]",                 // isotopes
        "[2H]C([2H])([2H])Cl",
        "C[S@](=O)c1ccccc1",                  // lone pair as the fourth neighbour
        "N[C@@H](Cc1ccccc1)C(=O)O",
        "C1CC[C@H](O)[C@@H](N)C1",
        "F[C@](Cl)(Br)I",
        "F/C=C/F",
        "F/C=C\\F",
        "C/C=C/C=C\\C(=O)O",                  // conjugated: one single bond serves two double bonds
        "CC/C(C)=C(\\C)CC",
        "OC(=O)/C=C(/Cl)C",
        "C1CCC/C=C\\CC1",                     // cis double bond in an eight-membered ring
        "[Na+].[Cl-]",
        "CC(=O)[O-].[Na+]",
        "Cl.CN(C)CCCN1c2ccccc2CCc2ccccc21",  // hydrochloride salt
        "[O-]S(=O)(=O)[O-].[Cu+2]",
        "O=[N+]([O-])c1ccc(-c2ccccc2)cc1",
    };

    [Theory]
    [MemberData(nameof(Molecules))]
    public void EverySpellingParsesAndCanonicalizesToTheInputsCanonicalForm(string smiles)
    {
        string expected = CanonicalSmiles.Canonicalize(smiles)!;
        Assert.NotNull(expected);
        for (ulong seed = 0; seed < 40; seed++)
        {
            string randomized = RandomizedSmiles.Randomize(smiles, new Generator(seed))!;
            var result = SmilesValidator.Validate(randomized);
            Assert.True(result.IsValid, $"{randomized} (seed {seed}): {result.Reason}");
            Assert.Equal(expected, CanonicalSmiles.Write(result.Molecule!));
        }
    }

    [Theory]
    [MemberData(nameof(Molecules))]
    public void TetrahedralAndCisTransConfigurationsSurviveAtomByAtom(string smiles)
    {
        var original = SmilesValidator.Validate(smiles).Molecule!;
        var originalCentres = CanonicalSmiles.StereoCentres(original);
        var originalBonds = DoubleBondStereo.Find(original);
        for (ulong seed = 0; seed < 40; seed++)
        {
            string randomized = RandomizedSmiles.Write(original, new Generator(seed), out int[] written);
            var copy = SmilesValidator.Validate(randomized).Molecule!;
            // Atom k of the copy is atom written[k] of the original.
            var centres = CanonicalSmiles.StereoCentres(copy);
            for (int k = 0; k < written.Length; k++)
            {
                var before = originalCentres[written[k]];
                var after = centres[k];
                Assert.Equal(before is null, after is null);
                if (before is var (inputNeighbors, clockwise) && after is var (copyNeighbors, copyClockwise))
                {
                    var mapped = copyNeighbors.Select(x => x < 0 ? x : written[x]).ToArray();
                    Assert.True(clockwise == (copyClockwise ^ CanonicalRanking.OddPermutation(inputNeighbors, mapped)),
                        $"{smiles} → {randomized}: centre {written[k]} changed handedness");
                }
            }
            var bonds = DoubleBondStereo.Find(copy);
            Assert.Equal(originalBonds.Count, bonds.Count);
            foreach (var c in bonds)
            {
                int a = written[c.Begin], b = written[c.End], x = written[c.BeginNeighbor], y = written[c.EndNeighbor];
                var before = originalBonds.Single(o => (o.Begin == a && o.End == b) || (o.Begin == b && o.End == a));
                Assert.True(before.AreCis(a, x, y) == c.Cis, $"{smiles} → {randomized}: double bond {a}={b} changed from cis to trans or back");
            }
        }
    }

    [Theory]
    [InlineData("CC(C)(C)c1ccc(O)cc1")]
    [InlineData("N[C@@H](Cc1ccccc1)C(=O)O")]
    [InlineData("C/C=C/C=C\\C(=O)O")]
    public void SeedsGiveDifferentSpellingsAndAFixedSeedRepeatsItself(string smiles)
    {
        var spellings = Enumerable.Range(0, 30).Select(s => RandomizedSmiles.Randomize(smiles, new Generator((ulong)s))!).ToList();
        Assert.True(spellings.Distinct().Count() >= 10, string.Join(" ", spellings.Distinct()));
        Assert.Equal(spellings, Enumerable.Range(0, 30).Select(s => RandomizedSmiles.Randomize(smiles, new Generator((ulong)s))!));
    }

    [Fact]
    public void ComponentsComeInEitherOrderAndEveryAtomCanStart()
    {
        var salts = Enumerable.Range(0, 40).Select(s => RandomizedSmiles.Randomize("CC(=O)[O-].[Na+]", new Generator((ulong)s))!).ToList();
        Assert.Contains(salts, s => s.StartsWith("[Na+].", StringComparison.Ordinal));
        Assert.Contains(salts, s => s.EndsWith(".[Na+]", StringComparison.Ordinal));
        var starts = Enumerable.Range(0, 200).Select(s => RandomizedSmiles.Randomize("CC(=O)O", new Generator((ulong)s))![0..1]).ToHashSet();
        Assert.Equal(["C", "O"], starts.Order());
        Assert.Contains(Enumerable.Range(0, 200).Select(s => RandomizedSmiles.Randomize("CC(=O)O", new Generator((ulong)s))),
            s => s!.StartsWith("O=", StringComparison.Ordinal));
    }

    [Fact]
    public void RingDigitsAreReusedAndWrittenAsPercentAboveNine()
    {
        // Twelve cyclohexanes in a chain.
        string smiles = string.Concat(Enumerable.Range(0, 12).Select(_ => "C1CCC(CC1)")) + "C";
        string expected = CanonicalSmiles.Canonicalize(smiles)!;
        for (ulong seed = 0; seed < 20; seed++)
        {
            string randomized = RandomizedSmiles.Randomize(smiles, new Generator(seed))!;
            // Twelve rings but never twelve open at once: closed digits are used again, lowest first.
            Assert.Equal(24, randomized.Count(char.IsAsciiDigit));
            Assert.True(randomized.Where(char.IsAsciiDigit).Distinct().Count() < 12, randomized);
            Assert.DoesNotContain('%', randomized);
            Assert.Equal(expected, CanonicalSmiles.Canonicalize(randomized));
        }
        // A cage where a depth-first walk keeps more than nine ring bonds open: %nn digits appear and parse.
        string cage = "C12C3C4C5C6C7C8C9C%10C%11C%12C%13C1C2C3C4C5C6C7C8C9C%10C%11C%12%13";
        string? cageCanonical = CanonicalSmiles.Canonicalize(cage);
        Assert.NotNull(cageCanonical);
        bool percent = false;
        for (ulong seed = 0; seed < 20; seed++)
        {
            string randomized = RandomizedSmiles.Randomize(cage, new Generator(seed))!;
            percent |= randomized.Contains('%', StringComparison.Ordinal);
            Assert.Equal(cageCanonical, CanonicalSmiles.Canonicalize(randomized));
        }
        Assert.True(percent);
    }

    [Fact]
    public void InvalidSmilesIsNotRandomized()
    {
        Assert.Null(RandomizedSmiles.Randomize("C1CC", new Generator(0)));
        Assert.Null(RandomizedSmiles.Randomize("c1cccc1", new Generator(0)));
    }
}
