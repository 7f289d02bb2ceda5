using Promptor.Genomics.Interpretation;
using Promptor.Genomics.Training;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;
using Promptor.Tests.Genomics.Training;

namespace Promptor.Tests.Genomics.Interpretation;

public class HeadPruningTests
{
    private static readonly int[] ImportanceRows = Enumerable.Range(0, 32).ToArray();
    private static readonly int[] EvaluationRows = Enumerable.Range(32, 40).ToArray();

    private static float[] Predict(Promptor.Genomics.Models.CondPromoter model, int[] rows)
    {
        using (Tape.NoGrad())
        {
            return model.Forward(TrainingFixture.Dataset.GetBatch(rows).Sequences).ToArray();
        }
    }

    [Fact]
    public void TheCurveRemovesEveryHeadOnceAndStartsFromTheUnprunedModel()
    {
        var model = HeadImportanceTests.Model(3);
        var settings = new EvaluationSettings { ReverseComplementAveraging = false };
        var steps = new List<HeadPruningStep>();
        var result = HeadPruning.Curve(model, TrainingFixture.Dataset, ImportanceRows, EvaluationRows, settings,
            new HeadPruningOptions { StepFraction = 0.25 }, steps.Add);
        Assert.Equal(result.Steps, steps);
        Assert.Equal([0, 1, 2, 3, 4], result.Steps.Select(s => s.Removed));
        Assert.Equal([0, 0.25, 0.5, 0.75, 1], result.Steps.Select(s => s.Fraction));
        Assert.Equal(4, result.Order.Distinct().Count());
        double unpruned = Evaluation.Evaluate(model, TrainingFixture.Dataset, EvaluationRows, settings).Metrics.MeanPearson;
        Assert.Equal(unpruned, result.Steps[0].Metric, 12);
        // With every head gated off the metric is that of the model with those gates, and the gates come back.
        HeadPruning.Apply(model, result.Order);
        double allRemoved = Evaluation.Evaluate(model, TrainingFixture.Dataset, EvaluationRows, settings).Metrics.MeanPearson;
        Assert.Equal(allRemoved, result.Steps[^1].Metric, 12);
        var fresh = HeadImportanceTests.Model(3);
        var restored = HeadPruning.Curve(fresh, TrainingFixture.Dataset, ImportanceRows, EvaluationRows, settings, new HeadPruningOptions { MaxFraction = 0.5 });
        Assert.Equal([0, 1, 2], restored.Steps.Select(s => s.Removed));
        Assert.All(HeadImportance.AttentionLayers(fresh), l => Assert.All(l.Attention.HeadGates.Data, g => Assert.Equal(1f, g)));
        Assert.Equal(restored.Order.Take(1), restored.HeadsToRemove(0.2));
    }

    [Fact]
    public void TheFirstHeadRemovedIsTheLeastImportantAfterLayerNormalisation()
    {
        var model = HeadImportanceTests.Model(4);
        var settings = new EvaluationSettings { ReverseComplementAveraging = false };
        var result = HeadPruning.Curve(model, TrainingFixture.Dataset, ImportanceRows, EvaluationRows, settings, new HeadPruningOptions { StepFraction = 0.25, MaxFraction = 0.25 });
        var importance = result.Importance;
        var least = Enumerable.Range(0, importance.Layers.Count)
            .SelectMany(l => importance.Normalized[l].Select((v, h) => (importance.Layers[l].Name, h, v)))
            .MinBy(x => x.v);
        Assert.Equal((least.Name, least.h), Assert.Single(result.Order));
    }

    [Fact]
    public void ASavedPrunedModelReloadsWithTheSamePredictions()
    {
        using var dir = new TempDirectory();
        var model = HeadImportanceTests.Model(5);
        (string, int)[] heads = [("cross", 1), ("encoder.layers.0.self_attn", 0)];
        var before = Predict(model, EvaluationRows);
        HeadPruning.Apply(model, heads);
        var gated = Predict(model, EvaluationRows);
        Assert.NotEqual(before, gated);
        var info = new CheckpointInfo(ModelDescription.Of(model), PromptorVersion.Current, TrainingFixture.Dataset.Treatments.ToArray(),
            ScalerSnapshot.Of(TargetScaler.Identity(TrainingFixture.Dataset.Treatments)), TaskKind.Regression, -0.58f, 0.58f, 1);
        string path = Path.Combine(dir.Path, "pruned.safetensors");
        HeadPruning.Save(path, model, info, heads);
        var (reloaded, _) = TrainingCheckpoint.LoadCondPromoter(path);
        reloaded.Eval();
        var after = Predict(reloaded, EvaluationRows);
        for (int i = 0; i < gated.Length; i++)
        {
            Assert.Equal(gated[i], after[i], 1e-5f);
        }
        Assert.Equal(heads, HeadPruning.ReadPrunedHeads(path));
        Assert.All(HeadImportance.AttentionLayers(reloaded), l => Assert.All(l.Attention.HeadGates.Data, g => Assert.Equal(1f, g)));
        // The source model keeps its weights and gates.
        Assert.Equal(gated, Predict(model, EvaluationRows));
    }

    [Fact]
    public void UnknownHeadsAreRejected()
    {
        var model = HeadImportanceTests.Model();
        Assert.Throws<ArgumentException>(() => HeadPruning.Apply(model, [("decoder", 0)]));
        Assert.Throws<ArgumentException>(() => HeadPruning.Apply(model, [("cross", 2)]));
        Assert.Throws<ArgumentException>(() => new HeadPruningOptions { StepFraction = 0 }.Validate());
    }
}
