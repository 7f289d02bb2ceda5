using Promptor.Genomics.Data;
using Promptor.Genomics.IO;
using Promptor.Genomics.Simulation;
using Promptor.Tests.Genomics;
using static Promptor.Tests.Cli.CliRunner;

namespace Promptor.Tests.Cli;

public class SimulateCommandTests
{
    private static string[] Args(string dir, string seed) =>
        ["simulate", "--out", dir, "--genes", "20", "--length", "80", "--treatments", "2", "--gc", "0.4", "--noise", "0.2", "--seed", seed];

    private static Dictionary<string, (byte[] Bytes, DateTime Modified)> Snapshot(string dir) =>
        Directory.GetFiles(dir).ToDictionary(p => Path.GetFileName(p), p => (File.ReadAllBytes(p), File.GetLastWriteTimeUtc(p)));

    [Fact]
    public void WritesEveryFileIntoANewFolder()
    {
        using var temp = new TempDirectory();
        string dir = temp.File("sim");

        var (exit, output, error) = Run(Args(dir, "3"));

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("simulated 20 sequences of 80 bp × 2 treatments", output);
        Assert.Equal(SimulationWriter.FileNames.Order(), Directory.GetFiles(dir).Select(Path.GetFileName).Order());
        Assert.Equal(["sim"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName)); // no staging folder left
        var sequences = FastaReader.Read(Path.Combine(dir, "sequences.fa"));
        Assert.Equal(20, sequences.Count);
        Assert.All(sequences, s => Assert.Equal(80, s.Length));
        var expression = ExpressionTableReader.ReadWide(Path.Combine(dir, "expression.tsv"));
        Assert.Equal(20, expression.GeneCount);
        Assert.Equal(2, expression.ConditionCount);
        // Same flags, same seed: the library's simulation, byte for byte.
        var data = PromoterSimulator.Simulate(new SimulationOptions { SequenceCount = 20, SequenceLength = 80, TreatmentCount = 2, GcContent = 0.4, NoiseStd = 0.2f, Seed = 3 });
        Assert.Equal(data.Sequences.Select(s => s.Sequence), sequences.Select(s => s.Sequence));
    }

    [Fact]
    public void ExistingFolderIsLeftUntouchedWithoutForce()
    {
        using var temp = new TempDirectory();
        string dir = temp.File("sim");
        Assert.Equal(0, Run(Args(dir, "3")).Exit);
        var before = Snapshot(dir);
        Thread.Sleep(20); // a rewrite would show in the modification times

        var (exit, output, error) = Run(Args(dir, "4"));

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith("promptor: ", line);
        Assert.Contains(dir, line);
        Assert.Contains("--force", line);
        var after = Snapshot(dir);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, (bytes, modified)) in before)
        {
            Assert.Equal(bytes, after[name].Bytes);
            Assert.Equal(modified, after[name].Modified);
        }
    }

    [Fact]
    public void ForceOverwritesAndAnEmptyFolderNeedsNoForce()
    {
        using var temp = new TempDirectory();
        string dir = temp.File("sim");
        Directory.CreateDirectory(dir);
        Assert.Equal(0, Run(Args(dir, "3")).Exit);
        var first = File.ReadAllBytes(Path.Combine(dir, "sequences.fa"));

        var (exit, _, error) = Run([.. Args(dir, "4"), "--force"]);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.NotEqual(first, File.ReadAllBytes(Path.Combine(dir, "sequences.fa")));
        Assert.Equal(SimulationWriter.FileNames.Count, Directory.GetFiles(dir).Length);
    }

    [Fact]
    public void MalformedMotifFileGivesOneLineAndExitCode2()
    {
        using var temp = new TempDirectory();
        string motifs = temp.Write("motifs.meme", "not a meme file\n");
        string dir = temp.File("sim");

        var (exit, _, error) = Run([.. Args(dir, "3"), "--motifs", motifs]);

        Assert.Equal(2, exit);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith($"promptor: {motifs}:1: ", line);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void MatchSharpensTheBuiltInMotifs()
    {
        using var temp = new TempDirectory();
        string dir = temp.File("sim");
        var (exit, _, error) = Run([.. Args(dir, "3"), "--match", "1"]);
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        var motifs = Promptor.Genomics.Motifs.MemeReader.Read(Path.Combine(dir, "motifs.meme")).Motifs;
        Assert.Equal(1f, motifs.Single(m => m.Id == "STRE")[0, 3], 5);
        // Every planted site is then an exact copy of its motif's consensus (or of its reverse complement).
        var sequences = FastaReader.Read(Path.Combine(dir, "sequences.fa")).ToDictionary(s => s.Id, s => s.Sequence);
        var consensus = motifs.Where(m => !m.Consensus().Contains('N')).ToDictionary(m => m.Id, m => (m.Consensus(), m.ReverseComplement().Consensus()));
        int checkedSites = 0;
        foreach (var f in File.ReadLines(Path.Combine(dir, "sites.bed")).Select(l => l.Split('\t')).Where(f => consensus.ContainsKey(f[3])))
        {
            string site = sequences[f[0]][int.Parse(f[1])..int.Parse(f[2])];
            var (forward, reverse) = consensus[f[3]];
            Assert.Contains(site, new[] { forward, reverse });
            checkedSites++;
        }
        Assert.True(checkedSites > 5, $"only {checkedSites} sites checked");
    }

    [Theory]
    [InlineData("--genes", "0", "--genes must be positive")]
    [InlineData("--gc", "1.5", "--gc must lie in [0, 1]")]
    [InlineData("--noise", "-1", "--noise must be finite")]
    [InlineData("--match", "0.2", "--match must lie in [0.26, 1]")]
    public void BadNumbersNameTheFlag(string flag, string value, string message)
    {
        using var temp = new TempDirectory();
        var (exit, _, error) = Run("simulate", "--out", temp.File("sim"), flag, value);
        Assert.Equal(2, exit);
        Assert.StartsWith($"promptor: {message}", Assert.Single(Lines(error)));
    }
}
