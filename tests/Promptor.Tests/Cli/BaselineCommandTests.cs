using System.Globalization;
using Promptor.Tests.Genomics;
using static Promptor.Tests.Cli.CliRunner;

namespace Promptor.Tests.Cli;

public class BaselineCommandTests
{
    [Fact]
    public void PrintsOneRowPerTreatmentAndTheMean()
    {
        // 4-mers keep this quick (136 features); the 6-mer numbers are checked in KmerRidgeBaselineTests.
        var (exit, output, error) = Run("baseline", "--data", BundledData.Directory, "--k", "4");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        var lines = Lines(output);
        Assert.Contains(lines, l => l.StartsWith("k-mer ridge baseline: canonical 4-mers, 136 features", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Heat 15'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("msn2/4 acid 20'", StringComparison.Ordinal));
        int header = Array.FindIndex(lines, l => l.StartsWith("treatment", StringComparison.Ordinal));
        int mean = Array.FindIndex(lines, l => l.StartsWith("mean", StringComparison.Ordinal));
        Assert.Equal(34, mean - header - 1);
        double value = double.Parse(lines[mean].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture); // Pearson, then Spearman
        Assert.InRange(value, 0.05, 0.30);
    }

    [Fact]
    public void ReducedRankReportsTheChosenRankAndGrid()
    {
        var (exit, output, error) = Run("baseline", "--data", BundledData.Directory, "--k", "4", "--ranks", "1", "2");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        var line = Assert.Single(Lines(output), l => l.StartsWith("λ = ", StringComparison.Ordinal));
        Assert.Matches(@", output rank (1|2|full) of 34 \(validation mean Pearson r [0-9.]+; grid of 11 λ × 3 ranks\)$", line);
        var (bad, _, badError) = Run("baseline", "--data", BundledData.Directory, "--k", "4", "--ranks", "0");
        Assert.Equal(2, bad);
        Assert.Contains("Ranks must be positive", Assert.Single(Lines(badError)));
    }

    [Fact]
    public void BadDataFolderAndOptionsGiveExitCode2()
    {
        using var temp = new TempDirectory();
        var (exit1, _, error1) = Run("baseline", "--data", temp.File("nowhere"));
        var (exit2, _, error2) = Run("baseline", "--data", temp.Path);
        var (exit3, _, error3) = Run("baseline", "--data", BundledData.Directory, "--k", "9");

        Assert.Equal(2, exit1);
        Assert.StartsWith($"promptor: {temp.File("nowhere")}: no such folder", Assert.Single(Lines(error1)));
        Assert.Equal(2, exit2);
        Assert.StartsWith("promptor: Bundled data file not found", Assert.Single(Lines(error2)));
        Assert.Equal(2, exit3);
        Assert.Contains("at most 8,192 are supported", Assert.Single(Lines(error3)));
    }
}
