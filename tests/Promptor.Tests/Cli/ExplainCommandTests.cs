using System.Globalization;
using Promptor.Genomics.Data;
using Promptor.Genomics.Interpretation;
using Promptor.Genomics.IO;
using Promptor.Genomics.Models;
using Promptor.Genomics.Simulation;
using Promptor.Genomics.Training;
using Promptor.Tensors;
using Promptor.Tests.Genomics;
using Promptor.Tests.Genomics.Interpretation;

namespace Promptor.Tests.Cli;

/// <summary>
/// Simulated data (48 genes × 60 bp, 3 treatments) written as files, and a tiny model trained on it for
/// two steps into a run folder; plus a checkpoint of a model without attention layers.
/// </summary>
internal sealed class ExplainFixture : IDisposable
{
    private static readonly Lazy<ExplainFixture> s_shared = new(() => new ExplainFixture());

    private readonly TempDirectory directory = new();

    private ExplainFixture()
    {
        var simulation = PromoterSimulator.Simulate(new SimulationOptions { SequenceCount = 48, SequenceLength = 60, TreatmentCount = 3, Seed = 4 });
        string data = System.IO.Path.Combine(directory.Path, "data");
        SimulationWriter.Write(data, simulation);
        Sequences = System.IO.Path.Combine(data, "sequences.fa");
        Expression = System.IO.Path.Combine(data, "expression.tsv");
        Genes = simulation.Sequences.Select(s => s.Id).ToArray();
        Treatments = simulation.Treatments.Select(t => t.Name).ToArray();
        var join = SequenceJoin.Join(ExpressionTableReader.ReadWide(Expression), FastaReader.Read(Sequences));
        var dataset = PromoterDataset.Create(join.Sequences.Select(s => s.Sequence).ToArray(), join.Table);
        var model = new CondPromoter(AttributionFixture.TinyOptions(60, 1) with { TreatmentCount = dataset.TreatmentCount }, new Generator(2));
        Run = System.IO.Path.Combine(directory.Path, "run");
        new Trainer(new TrainerOptions { Epochs = 1, BatchSize = 8, MaxBatchesPerEpoch = 2, OutputDirectory = Run, Seed = 2 })
            .Fit(model, dataset, Splits.Random(dataset.Count, seed: 1, validationFraction: 0.25, testFraction: 0));
        NoAttentionRun = System.IO.Path.Combine(directory.Path, "mlp");
        Directory.CreateDirectory(NoAttentionRun);
        var mlp = new CondPromoter(AttributionFixture.TinyOptions(60, 0) with { TreatmentCount = 3, Conditioning = ConditioningMethod.ConcatMlp }, new Generator(3));
        TrainingCheckpoint.Save(System.IO.Path.Combine(NoAttentionRun, Trainer.BestFileName), mlp, new CheckpointInfo(ModelDescription.Of(mlp), PromptorVersion.Current,
            Treatments, ScalerSnapshot.Of(TargetScaler.Identity(Treatments)), TaskKind.Regression, -0.58f, 0.58f, 0));
    }

    public static ExplainFixture Shared => s_shared.Value;

    public string Sequences { get; }

    public string Expression { get; }

    public string Run { get; }

    public string NoAttentionRun { get; }

    public IReadOnlyList<string> Genes { get; }

    public IReadOnlyList<string> Treatments { get; }

    public void Dispose() => directory.Dispose();
}

public class ExplainCommandTests
{
    private static ExplainFixture F => ExplainFixture.Shared;

    [Fact]
    public void IsmWritesOneRowPerTreatmentAndPositionForEachGene()
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Path, "out");
        var (exit, stdout, error) = CliRunner.Run("explain", "--run", F.Run, "--sequences", F.Sequences, "--genes", F.Genes[0], F.Genes[3], "--out", output);
        Assert.True(exit == 0, error);
        Assert.Contains("explained 2 gene(s) × 3 treatment(s) with ism", stdout, StringComparison.Ordinal);
        var lines = File.ReadAllLines(Path.Combine(output, $"{F.Genes[3]}.ism.tsv"));
        Assert.Equal("gene\ttreatment\tposition\tref\tA\tC\tG\tT\tmax_abs\tmean_alt", lines[0]);
        Assert.Equal(1 + 3 * 60, lines.Length);
        var row = lines[1].Split('\t');
        Assert.Equal([F.Genes[3], F.Treatments[0], "0"], row[..3]);
        int reference = "ACGT".IndexOf(row[3], StringComparison.Ordinal);
        Assert.Equal("0", row[4 + reference]);
        var deltas = row[4..8].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(deltas.Max(Math.Abs), double.Parse(row[8], CultureInfo.InvariantCulture), 4);
        var summary = File.ReadAllLines(Path.Combine(output, "summary.tsv"));
        Assert.Equal(1 + 2 * 3, summary.Length);
    }

    [Fact]
    public void AgreementBetweenAttentionAndIsmIsReportedPerGeneAndTreatment()
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Path, "out");
        var (exit, stdout, error) = CliRunner.Run("explain", "--run", F.Run, "--sequences", F.Sequences, "--genes", F.Genes[2], F.Genes[5], "--out", output);
        Assert.True(exit == 0, error);
        Assert.Contains("attention vs ism per gene and treatment: mean Spearman", stdout, StringComparison.Ordinal);
        var rows = File.ReadAllLines(Path.Combine(output, "agreement.tsv"));
        Assert.Equal("gene\ttreatment\tspearman_attention_vs_ism\ttop50_overlap", rows[0]);
        Assert.Equal(1 + 2 * 3, rows.Length);

        // The reported ρ is Spearman's ρ between the head-averaged base-pair attention map and the ISM max_abs column.
        var (model, info) = TrainingCheckpoint.LoadCondPromoter(Path.Combine(F.Run, Trainer.BestFileName));
        var record = FastaReader.Read(F.Sequences).Single(r => r.Id == F.Genes[5]);
        var attention = AttentionMaps.Compute(model, [record], info.Treatments, keepHeads: false).Map(0, 1).ToArray();
        var maxAbs = File.ReadAllLines(Path.Combine(output, $"{F.Genes[5]}.ism.tsv")).Skip(1).Select(l => l.Split('\t'))
            .Where(c => c[1] == F.Treatments[1]).Select(c => float.Parse(c[8], CultureInfo.InvariantCulture)).ToArray();
        var row = rows.Single(r => r.StartsWith($"{F.Genes[5]}\t{F.Treatments[1]}\t", StringComparison.Ordinal)).Split('\t');
        Assert.Equal(TrackAgreement.Spearman(attention, maxAbs), double.Parse(row[2], CultureInfo.InvariantCulture), 2);
        Assert.InRange(double.Parse(row[3], CultureInfo.InvariantCulture), 0, 1);
    }

    [Fact]
    public void AModelWithoutAttentionWritesNoAgreement()
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Path, "out");
        var (exit, stdout, error) = CliRunner.Run("explain", "--run", F.NoAttentionRun, "--sequences", F.Sequences, "--genes", F.Genes[0], "--method", "grad", "--out", output);
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("attention vs", stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "agreement.tsv")));
    }

    [Theory]
    [InlineData("grad")]
    [InlineData("ig")]
    public void GradientMethodsWriteScoresForTheChosenTreatments(string method)
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Path, "out");
        var (exit, _, error) = CliRunner.Run("explain", "--checkpoint", Path.Combine(F.Run, Trainer.BestFileName), "--sequences", F.Sequences,
            "--genes", F.Genes[1], "--method", method, "--steps", "8", "--treatments", F.Treatments[2], "--out", output);
        Assert.True(exit == 0, error);
        var lines = File.ReadAllLines(Path.Combine(output, $"{F.Genes[1]}.{method}.tsv"));
        Assert.Equal(1 + 60, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Equal(F.Treatments[2], l.Split('\t')[1]));
        var summary = File.ReadAllLines(Path.Combine(output, "summary.tsv"))[1].Split('\t');
        if (method == "ig")
        {
            // Completeness: the scores sum to f(x) − f(baseline).
            double difference = double.Parse(summary[2], CultureInfo.InvariantCulture) - double.Parse(summary[3], CultureInfo.InvariantCulture);
            Assert.Equal(difference, double.Parse(summary[4], CultureInfo.InvariantCulture), 2);
        }
    }

    [Theory]
    [InlineData("--treatments", "no-such-treatment", "unknown treatment 'no-such-treatment'")]
    [InlineData("--genes", "no-such-gene", "unknown gene 'no-such-gene'")]
    public void UnknownNamesGiveOneLineAndExitCode2(string flag, string value, string message)
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Path, "out");
        var (exit, _, error) = CliRunner.Run("explain", "--run", F.Run, "--sequences", F.Sequences, flag, value, "--out", output);
        Assert.Equal(2, exit);
        var line = Assert.Single(CliRunner.Lines(error));
        Assert.StartsWith("promptor: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void AMissingCheckpointOrANonEmptyOutputIsRefused()
    {
        using var dir = new TempDirectory();
        var (exit, _, error) = CliRunner.Run("explain", "--run", dir.Path, "--sequences", F.Sequences, "--out", Path.Combine(dir.Path, "out"));
        Assert.Equal(2, exit);
        Assert.Contains("no best.safetensors", error, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(dir.Path, "keep.txt"), "previous output");
        (exit, _, error) = CliRunner.Run("explain", "--run", F.Run, "--sequences", F.Sequences, "--out", dir.Path);
        Assert.Equal(2, exit);
        Assert.Contains("not empty", error, StringComparison.Ordinal);
        Assert.Equal("previous output", File.ReadAllText(Path.Combine(dir.Path, "keep.txt")));
    }
}
