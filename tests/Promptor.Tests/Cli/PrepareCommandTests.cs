using System.IO.Compression;
using System.Text;
using Promptor.Genomics.IO;
using Promptor.Tests.Genomics;
using static Promptor.Tests.Cli.CliRunner;

namespace Promptor.Tests.Cli;

public class PrepareCommandTests
{
    //                              0         1         2         3
    //                              0123456789012345678901234567890123456789
    private const string Chromosome = "ACGTTGCAACGGATCCTTAGCATGCCCAAATTTGGGAACC";

    private static string WriteGenome(TempDirectory temp)
    {
        string path = temp.File("genome.fa.gz");
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gzip.Write(Encoding.ASCII.GetBytes($">chr1 test\n{Chromosome[..25]}\n{Chromosome[25..]}\n>chr2\nACGTACGT\n"));
        return path;
    }

    [Fact]
    public void ExtractsStrandAwarePromotersAndWarnsAboutClipping()
    {
        using var temp = new TempDirectory();
        string genome = WriteGenome(temp);
        string bed = temp.Write("features.bed",
            "# features\n" +
            "chr1\t20\t30\tg1\t0\t+\n" +   // upstream window [15, 20) = CTTAG
            "chr1\t5\t12\tg2\t0\t-\n" +    // upstream of the − strand start: [12, 17) = ATCCT, reverse complement AGGAT
            "chr1\t2\t8\tg3\t0\t+\n");     // [−3, 2) clipped to [0, 2) = AC
        string output = temp.File("promoters.fa");

        var (exit, stdout, stderr) = Run("prepare", "--genome", genome, "--annotation", bed, "--out", output, "--upstream", "5");

        Assert.Equal(0, exit);
        var records = FastaReader.Read(output);
        Assert.Equal(["g1", "g2", "g3"], records.Select(r => r.Id));
        Assert.Equal(["CTTAG", "AGGAT", "AC"], records.Select(r => r.Sequence));
        var warning = Assert.Single(Lines(stderr));
        Assert.StartsWith($"promptor: warning: {bed}:4: ", warning);
        Assert.Contains("clipped", warning);
        Assert.Contains("extracted 3 promoters of 5 bp", stdout);
        Assert.Contains("1 clipped at chromosome ends, 0 skipped", stdout);
    }

    [Fact]
    public void DownstreamBasesExtendTheWindowInward()
    {
        using var temp = new TempDirectory();
        string genome = WriteGenome(temp);
        string bed = temp.Write("features.bed", "chr1\t20\t30\tg1\t0\t+\nchr1\t5\t12\tg2\t0\t-\n");
        string output = temp.File("promoters.fa");

        var (exit, _, stderr) = Run("prepare", "--genome", genome, "--annotation", bed, "--out", output, "--upstream", "3", "--downstream", "2");

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        // + : [17, 22) = TAGCA; − : [10, 15) = GGATC, reverse complement GATCC.
        Assert.Equal(["TAGCA", "GATCC"], FastaReader.Read(output).Select(r => r.Sequence));
    }

    [Fact]
    public void MalformedBedGivesFileAndLineAndExitCode2()
    {
        using var temp = new TempDirectory();
        string genome = WriteGenome(temp);
        string bed = temp.Write("features.bed", "chr1\t20\t30\tg1\t0\t+\nchr1\tabc\t12\tg2\t0\t-\n");
        string output = temp.File("promoters.fa");

        var (exit, stdout, stderr) = Run("prepare", "--genome", genome, "--annotation", bed, "--out", output);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(Lines(stderr));
        Assert.StartsWith($"promptor: {bed}:2: ", line);
        Assert.Contains("chromStart", line);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void UnknownChromosomeAndDuplicateNamesNameTheLine()
    {
        using var temp = new TempDirectory();
        string genome = WriteGenome(temp);
        string unknown = temp.Write("unknown.bed", "chr1\t20\t30\tg1\t0\t+\nchr9\t5\t12\tg2\t0\t-\n");
        string duplicate = temp.Write("duplicate.bed", "chr1\t20\t30\tg1\t0\t+\nchr2\t1\t3\tg1\t0\t-\n");

        var (exit1, _, error1) = Run("prepare", "--genome", genome, "--annotation", unknown, "--out", temp.File("a.fa"));
        var (exit2, _, error2) = Run("prepare", "--genome", genome, "--annotation", duplicate, "--out", temp.File("b.fa"));

        Assert.Equal(2, exit1);
        Assert.StartsWith($"promptor: {unknown}:2: unknown chromosome 'chr9'", Assert.Single(Lines(error1)));
        Assert.Equal(2, exit2);
        Assert.StartsWith($"promptor: {duplicate}:2: duplicate feature name 'g1'", Assert.Single(Lines(error2)));
    }

    [Fact]
    public void MissingGenomeAndExistingOutputGiveExitCode2()
    {
        using var temp = new TempDirectory();
        string bed = temp.Write("features.bed", "chr1\t20\t30\tg1\t0\t+\n");
        string existing = temp.Write("promoters.fa", ">old\nACGT\n");

        var (exit1, _, error1) = Run("prepare", "--genome", temp.File("missing.fa"), "--annotation", bed, "--out", temp.File("new.fa"));
        var (exit2, _, error2) = Run("prepare", "--genome", WriteGenome(temp), "--annotation", bed, "--out", existing);

        Assert.Equal(2, exit1);
        Assert.Contains("missing.fa", Assert.Single(Lines(error1)));
        Assert.Equal(2, exit2);
        Assert.Contains("--force", Assert.Single(Lines(error2)));
        Assert.Equal(">old\nACGT\n", File.ReadAllText(existing));
        Assert.Equal(0, Run("prepare", "--genome", WriteGenome(temp), "--annotation", bed, "--out", existing, "--upstream", "5", "--force").Exit);
        Assert.Equal("CTTAG", FastaReader.Read(existing).Single().Sequence);
    }
}
