using Promptor.Genomics.IO;
using Promptor.Genomics.Models.Seq2Seq;

namespace Promptor.Tests.Genomics.Models.Seq2Seq;

public class GeneticCodeTests
{
    [Theory]
    [InlineData("ATG", 'M')]
    [InlineData("TGG", 'W')]
    [InlineData("TTT", 'F')]
    [InlineData("TTA", 'L')]
    [InlineData("CTG", 'L')]
    [InlineData("AGA", 'R')]
    [InlineData("AGC", 'S')]
    [InlineData("GGA", 'G')]
    [InlineData("TAA", '*')]
    [InlineData("TAG", '*')]
    [InlineData("TGA", '*')]
    [InlineData("atg", 'M')]
    public void TranslatesKnownCodons(string codon, char expected) =>
        Assert.Equal(expected, GeneticCode.Translate(codon[0], codon[1], codon[2]));

    [Fact]
    public void SixtyOneSenseCodonsCoverTheTwentyAminoAcids()
    {
        var all = from a in "ACGT" from b in "ACGT" from c in "ACGT" select GeneticCode.Translate(a, b, c);
        var table = all.ToList();
        Assert.Equal(3, table.Count(x => x == '*'));
        Assert.Equal(GeneticCode.Residues, new string(table.Where(x => x != '*').Distinct().Order().ToArray()));
        Assert.Equal(6, table.Count(x => x == 'L'));   // the six-fold degenerate ones
        Assert.Equal(1, table.Count(x => x == 'M'));
    }

    [Fact]
    public void TranslatesASequenceCodonByCodon()
    {
        Assert.Equal("MKW*", GeneticCode.Translate("ATGAAATGGTAA"));
        Assert.Throws<ArgumentException>(() => GeneticCode.Translate("ATGA"));
        Assert.Throws<ArgumentException>(() => GeneticCode.Translate("ATN"));
    }

    [Theory]
    [InlineData("ATGAAATGGTAA", true, "ATGAAATGG", "MKW")]
    [InlineData("ATGAAATGGTA", false, "", "")]          // not whole codons
    [InlineData("TTGAAATGGTAA", false, "", "")]         // no ATG
    [InlineData("ATGTAATGGTAA", false, "", "")]         // an internal stop (e.g. an intron)
    [InlineData("ATGAAATGGAAA", false, "", "")]         // no stop at the end
    [InlineData("ATGAANTGGTAA", false, "", "")]         // not A/C/G/T
    public void CleanOrfsOnly(string orf, bool clean, string coding, string protein)
    {
        Assert.Equal(clean, CodingSequences.TryClean(orf, out var c, out var p));
        Assert.Equal(coding, c);
        Assert.Equal(protein, p);
    }

    [Fact]
    public void ExtractsBothStrands()
    {
        // + strand ORF at [2, 14); − strand ORF whose reverse complement is ATG GGC TGA at [20, 29).
        string plus = "ATGAAATGGTAA";
        string minus = "TCAGCCCAT";
        var genome = new Dictionary<string, string> { ["chrT"] = "CC" + plus + "GGGGGG" + minus + "CC" };
        var orfs = new[]
        {
            new BedRecord("chrT", 2, 14, "P", Strand: Strand.Plus),
            new BedRecord("chrT", 20, 29, "M", Strand: Strand.Minus),
            new BedRecord("chrT", 0, 9, "Bad", Strand: Strand.Plus),
            new BedRecord("chrX", 0, 9, "Missing", Strand: Strand.Plus),
        };

        var genes = CodingSequences.Extract(genome, orfs);

        Assert.Equal(["P", "M"], genes.Select(g => g.Gene));
        Assert.Equal("MKW", genes[0].Protein);
        Assert.Equal("ATGGGC", genes[1].Dna);
        Assert.Equal("MG", genes[1].Protein);
    }

    [Fact]
    public void RealYeastOrfsTranslate()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "seq2seq");
        var genes = TranslationTask.LoadGenes(Path.Combine(dir, "yeast_chrI_46kb.fa"), Path.Combine(dir, "yeast_chrI_46kb_orfs.bed"));
        Assert.True(genes.Count >= 12, $"{genes.Count} genes");
        var gdh3 = Assert.Single(genes, g => g.Gene == "GDH3");       // chrI 31566-32940 (+)
        Assert.Equal((32940 - 31566) / 3 - 1, gdh3.Protein.Length);
        Assert.StartsWith("M", gdh3.Protein, StringComparison.Ordinal);
        Assert.Contains(genes, g => g.Gene == "ACS1");              // a − strand gene
    }
}
