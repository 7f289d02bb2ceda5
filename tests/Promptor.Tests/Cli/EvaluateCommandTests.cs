using Promptor.Tests.Genomics;
using static Promptor.Tests.Cli.CliRunner;
using static Promptor.Tests.Cli.CliTrainingData;

namespace Promptor.Tests.Cli;

public class EvaluateCommandTests
{
    [Fact]
    public void ScoresTheRunsBestCheckpointExactlyAsTrainingDidOnTheTestGenes()
    {
        using var dir = new TempDirectory();
        var (fasta, table) = Write(dir);
        string run = dir.File("run");
        Assert.Equal(0, Run(TrainArgs(fasta, table, run)).Exit);

        var (exit, output, error) = Run("evaluate", "--run", run, "--sequences", fasta, "--expression", table, "--split", "Random", "--split-seed", "3");

        Assert.True(exit == 0, error);
        Assert.Equal(File.ReadAllText(Path.Combine(run, "test_metrics.tsv")), File.ReadAllText(Path.Combine(run, "evaluate_test_metrics.tsv")));
        Assert.Contains("on 5 test genes", output, StringComparison.Ordinal);
        Assert.Contains(Lines(output), l => l.StartsWith("mean", StringComparison.Ordinal));
    }

    [Fact]
    public void EvaluatesAnotherPartWithPredictionsAndRefusesToOverwriteWithoutForce()
    {
        using var dir = new TempDirectory();
        var (fasta, table) = Write(dir);
        string run = dir.File("run");
        Assert.Equal(0, Run(TrainArgs(fasta, table, run)).Exit);
        string checkpoint = Path.Combine(run, "best.safetensors");
        string metrics = dir.File("validation.tsv"), predictions = dir.File("validation_predictions.tsv");
        string[] args = ["evaluate", "--checkpoint", checkpoint, "--sequences", fasta, "--expression", table, "--split", "Random", "--split-seed", "3",
            "--part", "Validation", "--out", metrics, "--predictions", predictions];

        var first = Run(args);
        var before = File.ReadAllBytes(metrics);
        var second = Run(args);
        var forced = Run([.. args, "--force"]);

        Assert.True(first.Exit == 0, first.Error);
        Assert.Equal(1 + 5, File.ReadAllLines(predictions).Length);
        Assert.Equal(2, second.Exit);
        Assert.Equal($"promptor: {metrics} already exists; pass --force to overwrite it", Assert.Single(Lines(second.Error)));
        Assert.Equal(before, File.ReadAllBytes(metrics));
        Assert.Equal(0, forced.Exit);
    }

    [Fact]
    public void TreatmentsMissingFromTheDataAreNamed()
    {
        using var dir = new TempDirectory();
        var (fasta, table) = Write(dir);
        string run = dir.File("run");
        Assert.Equal(0, Run(TrainArgs(fasta, table, run)).Exit);
        var lines = File.ReadAllLines(table);
        lines[0] = lines[0].Replace("peroxide", "salt", StringComparison.Ordinal);
        string renamed = dir.Write("renamed.tsv", string.Join('\n', lines) + "\n");

        var (exit, _, error) = Run("evaluate", "--run", run, "--sequences", fasta, "--expression", renamed, "--split", "Random");

        Assert.Equal(2, exit);
        Assert.Equal($"promptor: {renamed}: the checkpoint predicts treatment 'peroxide', which is not a column of the table (3 treatments)", Assert.Single(Lines(error)));
        Assert.False(File.Exists(Path.Combine(run, "evaluate_test_metrics.tsv")));
    }

    [Fact]
    public void SeveralRunsAreScoredAsTheEnsembleOfTheirPredictions()
    {
        using var dir = new TempDirectory();
        var (fasta, table) = Write(dir);
        string first = dir.File("seed1"), second = dir.File("seed2");
        Assert.Equal(0, Run(TrainArgs(fasta, table, first, "--seed", "1")).Exit);
        Assert.Equal(0, Run(TrainArgs(fasta, table, second, "--seed", "2")).Exit);
        string[] data = ["--sequences", fasta, "--expression", table, "--split", "Random", "--split-seed", "3"];
        string p1 = dir.File("p1.tsv"), p2 = dir.File("p2.tsv"), pe = dir.File("pe.tsv");
        Assert.Equal(0, Run(["evaluate", "--run", first, .. data, "--out", dir.File("m1.tsv"), "--predictions", p1]).Exit);
        Assert.Equal(0, Run(["evaluate", "--run", second, .. data, "--out", dir.File("m2.tsv"), "--predictions", p2]).Exit);

        var (exit, output, error) = Run(["evaluate", "--run", first, "--run", second, .. data, "--out", dir.File("ensemble.tsv"), "--predictions", pe]);
        var withoutOut = Run(["evaluate", "--run", first, "--run", second, .. data]);

        Assert.True(exit == 0, error);
        Assert.Contains("ensemble of 2 models", output, StringComparison.Ordinal);
        // Every prediction of the ensemble is the mean of the two members' predictions.
        var (a, b, e) = (Values(p1), Values(p2), Values(pe));
        Assert.Equal(a.Length, e.Length);
        for (int i = 0; i < e.Length; i++)
        {
            Assert.Equal(0.5 * (a[i] + b[i]), e[i], 4);
        }
        Assert.Equal(2, withoutOut.Exit);
        Assert.Contains("needs --out", Assert.Single(Lines(withoutOut.Error)), StringComparison.Ordinal);
    }

    private static double[] Values(string predictions) => File.ReadAllLines(predictions).Skip(1)
        .SelectMany(l => l.Split('\t').Skip(1)).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
