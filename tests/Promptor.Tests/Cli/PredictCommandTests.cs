using System.Globalization;
using Promptor.Tests.Genomics;
using static Promptor.Tests.Cli.CliRunner;
using static Promptor.Tests.Cli.CliTrainingData;

namespace Promptor.Tests.Cli;

public class PredictCommandTests
{
    [Fact]
    public void StrandAveragedPredictionsMatchTheTestPredictionsOfTraining()
    {
        using var dir = new TempDirectory();
        var (fasta, table) = Write(dir);
        string run = dir.File("run");
        Assert.Equal(0, Run(TrainArgs(fasta, table, run)).Exit);
        string output = dir.File("predictions.tsv");

        var (exit, stdout, error) = Run("predict", "--checkpoint", Path.Combine(run, "best.safetensors"), "--sequences", fasta, "--out", output, "--rc-average");

        Assert.True(exit == 0, error);
        Assert.Contains("predicted 48 sequences × 3 treatments", stdout, StringComparison.Ordinal);
        var all = Read(output);
        Assert.Equal(48, all.Count);
        foreach (var (gene, values) in Read(Path.Combine(run, "test_predictions.tsv")))
        {
            Assert.Equal(values, all[gene]);
        }
    }

    [Fact]
    public void OneStrandDiffersFromTheAverageAndPaddingAcceptsShortSequences()
    {
        using var dir = new TempDirectory();
        var (fasta, table) = Write(dir);
        string run = dir.File("run");
        Assert.Equal(0, Run(TrainArgs(fasta, table, run)).Exit);
        string checkpoint = Path.Combine(run, "best.safetensors");
        string shortFasta = dir.Write("short.fa", ">a\nACGTACGTAC\n>b\nTTTTAGGGGATTTTTTACTAATTTTT\n");

        Assert.Equal(0, Run("predict", "--checkpoint", checkpoint, "--sequences", fasta, "--out", dir.File("one.tsv")).Exit);
        Assert.Equal(0, Run("predict", "--checkpoint", checkpoint, "--sequences", fasta, "--out", dir.File("both.tsv"), "--rc-average").Exit);
        var (padded, _, padError) = Run("predict", "--checkpoint", checkpoint, "--sequences", shortFasta, "--out", dir.File("short.tsv"), "--pad");

        Assert.NotEqual(File.ReadAllText(dir.File("one.tsv")), File.ReadAllText(dir.File("both.tsv")));
        Assert.True(padded == 0, padError);
        Assert.Equal(["a", "b"], Read(dir.File("short.tsv")).Keys.Order());
    }

    private static Dictionary<string, float[]> Read(string path) =>
        File.ReadAllLines(path).Skip(1).Select(l => l.Split('\t'))
            .ToDictionary(f => f[0], f => f.Skip(1).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray());
}
