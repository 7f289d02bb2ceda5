using Promptor.Tests.Genomics;
using static Promptor.Tests.Cli.CliRunner;
using static Promptor.Tests.Cli.CliTrainingData;

namespace Promptor.Tests.Cli;

public class LadderCommandTests
{
    [Fact]
    public void PrintsAndWritesOneComparisonTableAndRefusesToOverwriteIt()
    {
        using var dir = new TempDirectory();
        var (fasta, table) = Write(dir);
        string output = dir.File("ladder");
        string[] args = ["ladder", "--sequences", fasta, "--expression", table, "--out", output, .. TinyModel, .. QuickTraining,
            "--rungs", "KmerRidge", "SeparateModels", "MultiTask", "CrossAttention", "--separate-max", "2", "--k", "3"];

        var (exit, stdout, error) = Run(args);
        var tsv = File.ReadAllLines(Path.Combine(output, "ladder.tsv"));
        var markdown = File.ReadAllText(Path.Combine(output, "ladder.md"));
        var (again, _, refusal) = Run(args);

        Assert.True(exit == 0, error);
        Assert.Equal("rung\tmean_pearson\tmean_spearman\ttrain_seconds\tparams\tbest_epoch\tnote", tsv[0]); // no highlighted yeast treatment here
        Assert.Equal(["k-mer ridge", "separate models", "multi-task", "cross-attention"], tsv.Skip(1).Select(l => l.Split('\t')[0]));
        Assert.Contains("2 of 3 treatments", tsv[2], StringComparison.Ordinal);
        Assert.Contains("| cross-attention |", markdown, StringComparison.Ordinal);
        Assert.Contains(Lines(stdout), l => l.StartsWith("k-mer ridge ", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(output, "cross-attention", "best.safetensors")));
        Assert.Equal(2, again);
        Assert.Equal($"promptor: {Path.Combine(output, "ladder.tsv")}: the output folder already holds a ladder; pass --force to replace it", Assert.Single(Lines(refusal)));
        Assert.Equal(tsv, File.ReadAllLines(Path.Combine(output, "ladder.tsv")));
    }
}
