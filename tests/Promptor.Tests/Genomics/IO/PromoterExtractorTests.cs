using Promptor.Genomics.IO;

namespace Promptor.Tests.Genomics.IO;

public class PromoterExtractorTests
{
    //                                    0123456789012345678901234567890
    private static readonly Dictionary<string, string> s_genome = new()
    {
        ["chrI"] = "AAAACCCCGGGGTTTTACGTACGTAAACCC",
        ["chrMito"] = "ACGTTGCA",
    };

    private static IReadOnlyList<BedRecord> Bed(string text) => BedReader.Read(new StringReader(text), "orfs.bed");

    [Fact]
    public void PlusStrandTakesBasesUpstreamOfStart()
    {
        var result = new PromoterExtractor(s_genome).Extract(Bed("chrI\t8\t20\tg1\t0\t+\n"), new PromoterWindow(4, 2), "orfs.bed");
        var p = Assert.Single(result.Promoters);
        Assert.Equal("g1", p.Id);
        Assert.Equal("CCCCGG", p.Sequence); // genome[4, 10)
        Assert.Equal("loc=chrI:5-10(+) len=6", p.Description);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void MinusStrandIsTheReverseComplementUpstreamOfEnd()
    {
        var result = new PromoterExtractor(s_genome).Extract(Bed("chrI\t4\t12\tg2\t0\t-\n"), new PromoterWindow(4, 1), "orfs.bed");
        // genome[11, 16) = "GTTTT" → reverse complement "AAAAC": 4 upstream bases then the gene's first base (C of GGGG's complement)
        Assert.Equal("AAAAC", Assert.Single(result.Promoters).Sequence);
    }

    [Fact]
    public void ClipsAtChromosomeEndsWithAWarningNamingTheLine()
    {
        var result = new PromoterExtractor(s_genome).Extract(Bed("chrI\t2\t5\tg3\t0\t+\nchrI\t20\t28\tg4\t0\t-\n"), new PromoterWindow(10), "orfs.bed");
        Assert.Equal(["AA", "GG"], result.Promoters.Select(p => p.Sequence)); // genome[0, 2); rc of genome[28, 30) = rc("CC")
        Assert.Equal(2, result.Warnings.Count);
        Assert.StartsWith("orfs.bed:1: window of 'g3' clipped to 2 of 10 bp at the start of chrI", result.Warnings[0]);
        Assert.StartsWith("orfs.bed:2: window of 'g4' clipped to 2 of 10 bp at the end of chrI", result.Warnings[1]);
    }

    [Fact]
    public void ChromosomeAliasesMapChrMToChrMito()
    {
        var bed = Bed("chrM\t4\t6\tcox\t0\t+\n");
        var e = Assert.Throws<DataFormatException>(() => new PromoterExtractor(s_genome).Extract(bed, new PromoterWindow(2), "orfs.bed"));
        Assert.StartsWith("orfs.bed:1: unknown chromosome 'chrM' in column 'chrom'", e.Message);
        var result = new PromoterExtractor(s_genome, PromoterExtractor.YeastChromosomeAliases).Extract(bed, new PromoterWindow(2), "orfs.bed");
        Assert.Equal("GT", Assert.Single(result.Promoters).Sequence); // chrMito[2, 4)
    }

    [Fact]
    public void UnknownChromosomeNamesTheBedLine()
    {
        var e = Assert.Throws<DataFormatException>(() =>
            new PromoterExtractor(s_genome).Extract(Bed("chrI\t8\t20\ta\t0\t+\n#x\nchrZ\t1\t2\tb\t0\t+\n"), new PromoterWindow(3), "orfs.bed"));
        Assert.Equal(3, e.LineNumber);
        Assert.Contains("orfs.bed:3: unknown chromosome 'chrZ'", e.Message);
    }

    [Fact]
    public void ReproducesTheBundledPromotersFromTheRealGenomeWhenAvailable()
    {
        // The shared raw genome is not bundled (3.4 MB); check against it when this machine has it.
        const string shared = "/work/shared/data/yeast-promoters-r64";
        string genomePath = Path.Combine(shared, "S288C_reference_sequence_R64-5-1_20240529.fsa.gz");
        if (!File.Exists(genomePath))
        {
            return;
        }
        var genome = FastaReader.ReadDictionary(genomePath); // bgzip: many gzip members
        Assert.Equal(17, genome.Count);
        Assert.Equal(230_218, genome["chrI"].Length);
        Assert.Equal(1_531_933, genome["chrIV"].Length);
        Assert.Equal(12_157_105, genome.Values.Sum(s => (long)s.Length));
        var bed = BedReader.Read(Path.Combine(shared, "Scer_nondubious_ORFs_and_blocked_reading_frames.bed"));
        var extractor = new PromoterExtractor(genome, PromoterExtractor.YeastChromosomeAliases);
        var all = extractor.Extract(bed, new PromoterWindow(1000), "orfs.bed");
        Assert.Equal(bed.Count, all.Promoters.Count); // the 19 chrM features resolve through the alias

        // The bundled FASTA was made from the same BED without chrM, in file order.
        var nuclear = extractor.Extract(bed.Where(b => b.Chrom != "chrM").ToArray(), new PromoterWindow(1000), "orfs.bed");
        var bundled = FastaReader.Read(BundledData.PathOf("yeast-promoters-r64/yeast_promoters_1000bp_upstream_ATG.fa.gz"));
        Assert.Equal(5_870, bundled.Count);
        Assert.Equal(bundled.Count, nuclear.Promoters.Count);
        for (int i = 0; i < bundled.Count; i++)
        {
            Assert.Equal(bundled[i].Sequence, nuclear.Promoters[i].Sequence);
            Assert.StartsWith(nuclear.Promoters[i].Description.Split(' ')[0] + " ", bundled[i].Description.Split(' ', 2)[1] + " ");
        }
        Assert.Equal(6, nuclear.Warnings.Count(w => w.Contains("clipped", StringComparison.Ordinal)));
    }
}
