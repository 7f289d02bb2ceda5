using Promptor.Genomics.Baselines;
using Promptor.Genomics.Models;
using Promptor.Genomics.Reports;
using Promptor.Genomics.Training;
using Promptor.Genomics.Workflows;
using Promptor.Tests.Genomics.Training;

namespace Promptor.Tests.Genomics.Workflows;

public class LadderTests
{
    private static LadderOptions Quick(params LadderRung[] rungs) => new()
    {
        Rungs = rungs,
        Model = TrainingFixture.TinyModel(),
        SeparateModel = TrainingFixture.TinyModel() with { TreatmentCount = 1, Conditioning = ConditioningMethod.MultiTask },
        Trainer = new TrainerOptions { Epochs = 1, MaxBatchesPerEpoch = 2, BatchSize = 32 },
        KmerRidge = new KmerRidgeOptions { K = 4 },
        HighlightedTreatments = ["peroxide", "absent"],
    };

    [Fact]
    public void EveryRungGivesOneRowInRungOrderWithTheSameTestGenes()
    {
        var rungs = LadderOptions.AllRungs.ToArray();
        var result = Ladder.Run(TrainingFixture.Dataset, TrainingFixture.Split, Quick(rungs));

        Assert.Equal(rungs, result.Rows.Select(r => r.Rung));
        Assert.Equal(["peroxide"], result.HighlightedTreatments);            // treatments absent from the data are dropped
        int testGenes = TrainingFixture.Split.Test.Length;
        Assert.All(result.Rows, r =>
        {
            Assert.Equal(TrainingFixture.Dataset.Treatments, r.Test.Rows.Select(m => m.Treatment));
            Assert.All(r.Test.Rows, m => Assert.Equal(testGenes, m.Count));
            Assert.InRange(r.MeanPearson, -1, 1);
            Assert.True(r.Parameters > 0);
        });
        var separate = result.Rows.Single(r => r.Rung == LadderRung.SeparateModels);
        var multiTask = result.Rows.Single(r => r.Rung == LadderRung.MultiTask);
        // Three single-output copies of the tiny network: the trunk thrice, one output each.
        Assert.Equal(3 * new CondPromoter(Quick().SeparateModel, new Promptor.Tensors.Generator(1)).ParameterCount, separate.Parameters);
        Assert.NotEqual(multiTask.Parameters, result.Rows.Single(r => r.Rung == LadderRung.CrossAttention).Parameters);
    }

    [Fact]
    public void TheRidgeRungIsTheKmerRidgeFittedOnTheSameSplit()
    {
        var data = TrainingFixture.Dataset;
        var split = TrainingFixture.Split;
        var options = Quick(LadderRung.KmerRidge);
        var row = Ladder.Run(data, split, options).Rows.Single();

        var sequences = Enumerable.Range(0, data.Count)
            .Select(i => Promptor.Genomics.Dna.OneHot.Decode(data.Sequences.Data.AsSpan(i * data.SequenceLength * 4, data.SequenceLength * 4))).ToArray();
        var ridge = KmerRidge.Fit(sequences, data.Targets, data.Mask, split.Train, split.Validation, options.KmerRidge);
        var prediction = ridge.Predict(split.Test.Select(i => sequences[i]).ToArray());
        var targets = split.Test.SelectMany(i => data.Targets.Data.AsSpan(i * 3, 3).ToArray()).ToArray();
        var mask = split.Test.SelectMany(i => data.Mask.Data.AsSpan(i * 3, 3).ToArray()).ToArray();
        var expected = Metrics.PerTreatment(prediction.Data, targets, mask, data.Treatments);

        Assert.Equal(expected.Rows.Select(r => r.Pearson), row.Test.Rows.Select(r => r.Pearson));
        Assert.Equal(ridge.FeatureCount * 3L + 3, row.Parameters);
        Assert.Contains("canonical 4-mers", row.Note, StringComparison.Ordinal);
        // Planted motifs make even the ridge clearly better than chance on this data.
        Assert.True(row.MeanPearson > 0.3, $"mean Pearson {row.MeanPearson}");
    }

    [Fact]
    public void SeparateModelsWithALimitTakeTheHighlightedTreatmentsFirst()
    {
        string[] treatments = ["a", "b", "c", "d"];

        Assert.Equal([2, 0], Ladder.SeparateModelTreatments(treatments, ["c", "x"], 2));
        Assert.Equal([2, 0, 1, 3], Ladder.SeparateModelTreatments(treatments, ["c"], null));
        var row = Ladder.Run(TrainingFixture.Dataset, TrainingFixture.Split, Quick(LadderRung.SeparateModels) with { SeparateModelLimit = 1 }).Rows.Single();
        Assert.Equal(["peroxide"], row.Test.Rows.Select(r => r.Treatment));
        Assert.Contains("1 of 3 treatments", row.Note, StringComparison.Ordinal);
        Assert.Contains("means over these treatments only", row.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void TablesShareColumnsAndAnExistingLadderIsKept()
    {
        using var dir = new TempDirectory();
        var options = Quick(LadderRung.KmerRidge, LadderRung.CrossAttention) with { OutputDirectory = dir.Path };
        var result = Ladder.Run(TrainingFixture.Dataset, TrainingFixture.Split, options);
        var tsv = File.ReadAllLines(Path.Combine(dir.Path, LadderResult.TsvFileName));
        var markdown = File.ReadAllLines(Path.Combine(dir.Path, LadderResult.MarkdownFileName));

        Assert.Equal(3, tsv.Length);
        Assert.All(tsv, l => Assert.Equal(result.Columns.Count, l.Split('\t').Length));
        Assert.Equal("| rung | mean Pearson | mean Spearman | peroxide | training time (s) | parameters | best epoch | note |", markdown[2]);
        Assert.Equal("|---|---:|---:|---:|---:|---:|---:|---|", markdown[3]);
        Assert.StartsWith("| cross-attention | ", markdown[5], StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir.Path, "cross-attention", "test_metrics.tsv")));
        var before = File.ReadAllBytes(Path.Combine(dir.Path, LadderResult.TsvFileName));
        var error = Assert.Throws<IOException>(() => Ladder.Run(TrainingFixture.Dataset, TrainingFixture.Split, options));
        Assert.Contains("already holds a ladder (ladder.tsv, ladder.md, cross-attention/run.json)", error.Message.Replace('\\', '/'), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(dir.Path, LadderResult.TsvFileName)));
        Ladder.Run(TrainingFixture.Dataset, TrainingFixture.Split, options with { Force = true });

        // The run report reads the same file.
        var report = ReportRun.Load(dir.Path);
        Assert.NotNull(report.Ladder);
        Assert.Equal(["k-mer ridge", "cross-attention"], report.Ladder.Rows.Select(r => r[0]));
    }
}
