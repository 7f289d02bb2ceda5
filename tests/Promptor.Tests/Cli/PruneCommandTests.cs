using System.Globalization;
using Promptor.Genomics.Interpretation;
using Promptor.Genomics.Training;
using Promptor.Tests.Genomics;

namespace Promptor.Tests.Cli;

public class PruneCommandTests
{
    private static ExplainFixture F => ExplainFixture.Shared;

    [Fact]
    public void PruneWritesTheImportanceTableTheCurveAndAPrunedCheckpoint()
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Path, "out");
        var (exit, stdout, error) = CliRunner.Run("prune", "--run", F.Run, "--sequences", F.Sequences, "--expression", F.Expression,
            "--out", output, "--fraction", "0.5", "--step", "0.25");
        Assert.True(exit == 0, error);
        Assert.Contains("4 heads in 2 attention layers", stdout, StringComparison.Ordinal);
        var importance = File.ReadAllLines(Path.Combine(output, "head_importance.tsv"));
        Assert.Equal(1 + 4, importance.Length);
        Assert.Equal(6 + 3, importance[0].Split('\t').Length);
        var curve = File.ReadAllLines(Path.Combine(output, "pruning_curve.tsv"));
        Assert.Equal("removed\tfraction\tmean_pearson\theads", curve[0]);
        Assert.Equal(["0", "1", "2", "3", "4"], curve.Skip(1).Select(l => l.Split('\t')[0]));
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(output, "pruning_curve.svg")), StringComparison.Ordinal);
        string pruned = Path.Combine(output, "pruned.safetensors");
        var heads = HeadPruning.ReadPrunedHeads(pruned);
        Assert.Equal(2, heads.Count);
        Assert.Equal(curve[2].Split('\t')[3] + curve[3].Split('\t')[3], string.Join("", heads.Select(h => $"{h.Layer}:{h.Head}")));
        var (model, info) = TrainingCheckpoint.LoadCondPromoter(pruned);
        Assert.Equal(F.Treatments, info.Treatments);
        // A removed head's block of output-projection columns is zero.
        var (layer, head) = heads[0];
        var attention = HeadImportance.AttentionLayers(model).Single(l => l.Name == layer).Attention;
        int e = attention.Options.EmbedDim, d = e / attention.Options.Heads;
        Assert.All(Enumerable.Range(0, e), row => Assert.All(attention.OutProj.Weight.Data.AsSpan(row * e + head * d, d).ToArray(), w => Assert.Equal(0f, w)));
        double metric = double.Parse(curve[3].Split('\t')[2], CultureInfo.InvariantCulture);
        Assert.Contains($"mean Pearson {metric:F4}", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ACheckpointWithoutAttentionLayersGivesOneLineAndExitCode2()
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Path, "out");
        var (exit, _, error) = CliRunner.Run("prune", "--run", F.NoAttentionRun, "--sequences", F.Sequences, "--expression", F.Expression, "--out", output);
        Assert.Equal(2, exit);
        var line = Assert.Single(CliRunner.Lines(error));
        Assert.Contains("no attention layers", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Theory]
    [InlineData("--fraction", "0", "--fraction must lie in (0, 1]")]
    [InlineData("--step", "1.5", "step fraction must lie in (0, 1]")]
    public void BadFractionsAreRejected(string flag, string value, string message)
    {
        using var dir = new TempDirectory();
        var (exit, _, error) = CliRunner.Run("prune", "--run", F.Run, "--sequences", F.Sequences, "--expression", F.Expression, "--out", Path.Combine(dir.Path, "out"), flag, value);
        Assert.Equal(2, exit);
        Assert.Contains(message, Assert.Single(CliRunner.Lines(error)), StringComparison.Ordinal);
    }
}
