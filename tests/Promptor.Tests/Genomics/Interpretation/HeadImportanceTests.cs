using Promptor.Genomics.Data;
using Promptor.Genomics.Interpretation;
using Promptor.Genomics.Models;
using Promptor.Genomics.Training;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;
using Promptor.Tests.Genomics.Training;

namespace Promptor.Tests.Genomics.Interpretation;

public class HeadImportanceTests
{
    /// <summary>A tiny 60 bp model with one self-attention block and a 2-head cross-attention, for the training fixture's data.</summary>
    internal static CondPromoter Model(ulong seed = 1) => AttributionFixture.TinyModel(seed, AttributionFixture.TinyOptions(60, 1) with { TreatmentCount = 3 });

    private static readonly int[] Rows = Enumerable.Range(0, 24).ToArray();

    private static double Loss(CondPromoter model, PromoterDataset data, int[] rows, int? treatment = null)
    {
        using (Tape.NoGrad())
        {
            var batch = data.GetBatch(rows);
            var mask = batch.Mask.ToArray();
            if (treatment is int k)
            {
                for (int i = 0; i < mask.Length; i++)
                {
                    mask[i] = i % 3 == k ? mask[i] : 0f;
                }
            }
            return model.Forward(batch.Sequences).MseLoss(batch.Targets, new Tensor(batch.Mask.Shape, mask)).Item();
        }
    }

    /// <summary>|∂L/∂ξ_h| by central differences on the gate.</summary>
    private static double NumericImportance(CondPromoter model, HeadImportanceLayer layer, int head, int? treatment = null)
    {
        const float eps = 1e-2f;
        var gates = layer.Attention.HeadGates.Data;
        gates[head] = 1 + eps;
        double plus = Loss(model, TrainingFixture.Dataset, Rows, treatment);
        gates[head] = 1 - eps;
        double minus = Loss(model, TrainingFixture.Dataset, Rows, treatment);
        gates[head] = 1;
        return Math.Abs((plus - minus) / (2 * eps));
    }

    [Fact]
    public void ImportanceIsTheAbsoluteGateGradientOfTheLoss()
    {
        var model = Model();
        var result = HeadImportance.Compute(model, TrainingFixture.Dataset, Rows, null, new HeadImportanceOptions { BatchSize = Rows.Length });
        Assert.Equal(["encoder.layers.0.self_attn", "cross"], result.Layers.Select(l => l.Name));
        Assert.Equal([false, true], result.Layers.Select(l => l.TreatmentSide));
        Assert.Equal(4, result.HeadCount);
        for (int l = 0; l < 2; l++)
        {
            for (int h = 0; h < 2; h++)
            {
                double numeric = NumericImportance(model, result.Layers[l], h);
                Assert.True(Math.Abs(numeric - result.Raw[l][h]) <= 1e-3 + 2e-2 * numeric, $"{result.Layers[l].Name} head {h}: {numeric} vs {result.Raw[l][h]}");
            }
            Assert.Equal(1.0, result.Normalized[l].Sum(v => v * v), 6);
        }
        // Per treatment: the cross-attention heads against each treatment's loss alone; none for the encoder.
        Assert.Null(result.PerTreatment[0]);
        for (int k = 0; k < 3; k++)
        {
            for (int h = 0; h < 2; h++)
            {
                double numeric = NumericImportance(model, result.Layers[1], h, k);
                Assert.True(Math.Abs(numeric - result.PerTreatment[1]![h][k]) <= 1e-3 + 2e-2 * numeric, $"treatment {k} head {h}");
            }
        }
        // Gates and parameters are left as they were.
        Assert.All(result.Layers, l => Assert.False(l.Attention.HeadGates.RequiresGrad));
        Assert.All(result.Layers, l => Assert.All(l.Attention.HeadGates.Data, g => Assert.Equal(1f, g)));
        Assert.All(model.Parameters(), p => Assert.False(p.HasGrad));
    }

    [Fact]
    public void ImportanceIsAnAverageOverBatches()
    {
        var model = Model(2);
        var whole = HeadImportance.Compute(model, TrainingFixture.Dataset, Rows[..8], null, new HeadImportanceOptions { BatchSize = 8, PerTreatment = false });
        var halves = new[] { Rows[..4], Rows[4..8] }
            .Select(r => HeadImportance.Compute(model, TrainingFixture.Dataset, r, null, new HeadImportanceOptions { BatchSize = 4, PerTreatment = false }))
            .ToArray();
        var split = HeadImportance.Compute(model, TrainingFixture.Dataset, Rows[..8], null, new HeadImportanceOptions { BatchSize = 4, PerTreatment = false });
        Assert.Equal(2, split.Batches);
        for (int h = 0; h < 2; h++)
        {
            Assert.Equal((halves[0].Raw[1][h] + halves[1].Raw[1][h]) / 2, split.Raw[1][h], 6);
        }
        Assert.Equal(1, whole.Batches);
        Assert.All(whole.PerTreatment, Assert.Null);
    }

    [Fact]
    public void SpecificityIsZeroForAHeadThatMattersEquallyEverywhere()
    {
        var model = Model();
        var layers = HeadImportance.AttentionLayers(model);
        double[][] perTreatment = [[1, 1, 1], [0, 0, 3]];
        var result = new HeadImportanceResult(layers, [[1, 1], [1, 1]], [[0.7, 0.7], [0.7, 0.7]], ["a", "b", "c"], [null, perTreatment], 1);
        // Shares of head 0: 1, 1, 0.25 of its layer per treatment; head 1: 0, 0, 0.75.
        var (flat, _) = result.Specificity(1, 0);
        var (peaked, top) = result.Specificity(1, 1);
        Assert.True(peaked > flat);
        Assert.Equal(2, top);
        Assert.True(double.IsNaN(result.Specificity(0, 0).Specificity));
        var tsv = result.ToTsv().Split('\n');
        Assert.Equal("layer\thead\timportance\tnormalized\tspecificity\ttop_treatment\timportance_a\timportance_b\timportance_c", tsv[0]);
        Assert.StartsWith("cross\t1\t1\t0.7\t", tsv[4], StringComparison.Ordinal);
        Assert.EndsWith("\tc\t0\t0\t3", tsv[4], StringComparison.Ordinal);
    }

    [Fact]
    public void AModelWithoutAttentionHasNoHeadsToScore()
    {
        var options = AttributionFixture.TinyOptions(60, 0) with { Conditioning = ConditioningMethod.ConcatMlp };
        var model = new CondPromoter(options, new Generator(1));
        Assert.Empty(HeadImportance.AttentionLayers(model));
        var e = Assert.Throws<ArgumentException>(() => HeadImportance.Compute(model, TrainingFixture.Dataset, Rows));
        Assert.Contains("no attention layer", e.Message, StringComparison.Ordinal);
    }
}
