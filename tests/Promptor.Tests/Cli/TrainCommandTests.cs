using System.Globalization;
using Promptor.Genomics.Training;
using Promptor.Tests.Genomics;
using static Promptor.Tests.Cli.CliRunner;
using static Promptor.Tests.Cli.CliTrainingData;

namespace Promptor.Tests.Cli;

public class TrainCommandTests
{
    [Fact]
    public void TrainsOnUserFilesAndWritesTheRunWithTestPredictionsAndMetrics()
    {
        using var dir = new TempDirectory();
        var (fasta, table) = Write(dir);
        string run = dir.File("run");

        var (exit, output, error) = Run(TrainArgs(fasta, table, run));

        Assert.True(exit == 0, error);
        Assert.Equal("", error);
        foreach (var file in new[] { "run.json", "best.safetensors", "last.safetensors", "resume.safetensors", "metrics.tsv", "test_metrics.tsv", "test_predictions.tsv" })
        {
            Assert.True(File.Exists(Path.Combine(run, file)), file);
        }
        Assert.Contains("joined 48 genes", output, StringComparison.Ordinal);
        Assert.Contains("train 38 · validation 5 · test 5", output, StringComparison.Ordinal); // round(4.8) = 5 each
        var metrics = File.ReadAllLines(Path.Combine(run, "test_metrics.tsv"));
        Assert.Equal(["treatment", .. Treatments, "mean"], metrics.Select(l => l.Split('\t')[0]));
        var predictions = File.ReadAllLines(Path.Combine(run, "test_predictions.tsv"));
        Assert.Equal("gene\theat\tperoxide\tstarvation", predictions[0]);
        Assert.Equal(1 + 5, predictions.Length);
        Assert.Contains(Lines(output), l => l.StartsWith("heat ", StringComparison.Ordinal));
    }

    [Fact]
    public void ModelAndTrainerFlagsReachTheRecordedOptions()
    {
        using var dir = new TempDirectory();
        var (fasta, table) = Write(dir);
        string run = dir.File("run");

        var (exit, _, error) = Run(TrainArgs(fasta, table, run, "--conditioning", "Film", "--dropout", "0.2", "--lr", "0.003", "--seed", "9", "--patience", "2"));

        Assert.True(exit == 0, error);
        var manifest = RunManifest.Load(Path.Combine(run, "run.json"));
        var model = manifest.Model.CondPromoterOptions();
        Assert.Equal(Promptor.Genomics.Models.ConditioningMethod.Film, model.Conditioning);
        Assert.Equal(8, model.ModelDim);
        Assert.Equal(0.2f, model.Dropout);
        Assert.Equal(40, model.SequenceLength);
        Assert.Equal([new Promptor.Genomics.Models.ConvLayerSpec(8, 5, 1, 4)], model.Convolutions);
        Assert.Equal(0, model.SelfAttentionBlocks);
        Assert.Equal(0.003, manifest.TrainerOptions.LearningRate);
        Assert.Equal(9UL, manifest.TrainerOptions.Seed);
        Assert.Equal(2, manifest.TrainerOptions.Patience);
        Assert.Equal(2, manifest.TrainerOptions.MaxBatchesPerEpoch);
        Assert.Equal(16, manifest.TrainerOptions.BatchSize);
    }

    [Fact]
    public void ForceReplacesARunAndResumeContinuesIt()
    {
        using var dir = new TempDirectory();
        var (fasta, table) = Write(dir);
        string run = dir.File("run");
        Assert.Equal(0, Run(TrainArgs(fasta, table, run)).Exit);

        var (forced, _, forceError) = Run(TrainArgs(fasta, table, run, "--force"));
        var (resumed, resumeOutput, resumeError) = Run(TrainArgs(fasta, table, run, "--resume"));

        Assert.True(forced == 0, forceError);
        Assert.True(resumed == 0, resumeError);
        Assert.Contains("best epoch 1 of 1", resumeOutput, StringComparison.Ordinal); // nothing left to train: the finished run is reported
    }

    [Fact]
    public void LongTablesAndASplitFileAreRead()
    {
        using var dir = new TempDirectory();
        var (fasta, wide) = Write(dir);
        var rows = File.ReadAllLines(wide).Skip(1).Select(l => l.Split('\t')).ToArray();
        var longTable = new List<string> { "gene,condition,value" };
        var split = new List<string> { "gene\tsplit" };
        for (int i = 0; i < rows.Length; i++)
        {
            for (int c = 0; c < Treatments.Length; c++)
            {
                longTable.Add($"{rows[i][0]},{Treatments[c]},{rows[i][c + 1]}");
            }
            split.Add($"{rows[i][0]}\t{(i < 30 ? "train" : i < 40 ? "validation" : "test")}");
        }
        string longPath = dir.Write("long.csv", string.Join('\n', longTable) + "\n");
        string splitPath = dir.Write("split.tsv", string.Join('\n', split) + "\n");

        var (exit, output, error) = Run(["train", "--sequences", fasta, "--expression", longPath, "--format", "Long", "--split", "Column", "--split-file", splitPath,
            "--out", dir.File("run"), .. TinyModel, "--epochs", "1", "--max-batches", "1"]);

        Assert.True(exit == 0, error);
        Assert.Contains("train 30 · validation 10 · test 8", output, StringComparison.Ordinal);
    }

    [Fact]
    public void HeldOutTreatmentsAreMaskedInTrainingAndScoredAfterwards()
    {
        using var dir = new TempDirectory();
        var (fasta, table) = Write(dir);
        string descriptors = dir.Write("descriptors.tsv", "treatment\tstre\tyre\nheat\t1\t0\nperoxide\t0\t1\nstarvation\t-0.5\t0\n");
        string run = dir.File("run");

        var (refused, _, refusal) = Run(TrainArgs(fasta, table, dir.File("other"), "--hold-out", "starvation"));
        var (exit, output, error) = Run(TrainArgs(fasta, table, run, "--descriptors", descriptors, "--hold-out", "starvation"));

        Assert.Equal(2, refused);
        Assert.Contains("--hold-out needs --descriptors", Assert.Single(Lines(refusal)), StringComparison.Ordinal);
        Assert.True(exit == 0, error);
        Assert.Contains("Held-out treatments", output, StringComparison.Ordinal);
        var heldOut = File.ReadAllLines(Path.Combine(run, "held_out_metrics.tsv"));
        Assert.Equal(["treatment", "starvation", "mean"], heldOut.Select(l => l.Split('\t')[0]));
        // The trainer never saw the held-out column: its per-epoch validation metrics are undefined there.
        var perTreatment = File.ReadAllLines(Path.Combine(run, "metrics_per_treatment.tsv"));
        Assert.Contains(perTreatment, l => l.Contains("starvation", StringComparison.Ordinal) && l.Contains("NA", StringComparison.Ordinal));
        var manifest = RunManifest.Load(Path.Combine(run, "run.json"));
        Assert.Equal(3, manifest.Model.CondPromoterOptions().TreatmentDescriptors!.Count);
        Assert.Equal(-0.5f, manifest.Model.CondPromoterOptions().TreatmentDescriptors![2][0]);
        _ = double.Parse(heldOut[1].Split('\t')[2], CultureInfo.InvariantCulture); // a defined Pearson r on the test genes
    }
}
