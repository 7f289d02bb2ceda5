using Promptor.Genomics.Dna;
using Promptor.Genomics.Interpretation;
using Promptor.Genomics.Models;
using Promptor.Tensors.Autograd;

namespace Promptor.Tests.Genomics.Interpretation;

public class AttentionMapsTests
{
    [Fact]
    public void MapsSumToOneAndTheAverageIsTheMeanOfTheHeads()
    {
        var model = AttentionTestModels.Model();
        var genes = AttentionTestModels.Genes(3);

        var maps = AttentionMaps.Compute(model, genes, AttentionTestModels.Treatments);

        Assert.Equal(3, maps.Slots);
        Assert.Equal(15, maps.EncodedLength);
        for (int g = 0; g < 3; g++)
        {
            for (int t = 0; t < 3; t++)
            {
                var mean = maps.Map(g, t).ToArray();
                Assert.Equal(1.0, mean.Sum(v => (double)v), 1e-4);
                var h0 = maps.Map(g, t, 0).ToArray();
                var h1 = maps.Map(g, t, 1).ToArray();
                Assert.Equal(1.0, h0.Sum(v => (double)v), 1e-4);
                for (int i = 0; i < mean.Length; i++)
                {
                    Assert.Equal((h0[i] + h1[i]) / 2, mean[i], 1e-6f);
                }
            }
        }
    }

    [Fact]
    public void EncodedMapsAreTheModelsCrossAttentionWeights()
    {
        var model = AttentionTestModels.Model();
        var genes = AttentionTestModels.Genes(2);
        var maps = AttentionMaps.Compute(model, genes, AttentionTestModels.Treatments, new AttentionMapOptions { BatchSize = 1 });
        using var noGrad = Tape.NoGrad();
        var weights = model.ForwardWithAttention(OneHot.EncodeBatch(genes.Select(g => g.Sequence).ToArray())).Attention!; // (2, 2, 3, 15)

        for (int g = 0; g < 2; g++)
        {
            for (int h = 0; h < 2; h++)
            {
                for (int t = 0; t < 3; t++)
                {
                    var expected = weights.Data.AsSpan(((g * 2 + h) * 3 + t) * 15, 15).ToArray();
                    Assert.Equal(expected, maps.EncodedMap(g, t, h).ToArray());
                }
            }
        }
    }

    [Fact]
    public void SelectedTreatmentsHeadAverageOnlyAndBatchSizeGiveTheSameMaps()
    {
        var model = AttentionTestModels.Model(selfAttentionBlocks: 1);
        var genes = AttentionTestModels.Genes(5);
        var all = AttentionMaps.Compute(model, genes, AttentionTestModels.Treatments, new AttentionMapOptions { BatchSize = 2 });

        var some = AttentionMaps.Compute(model, genes, AttentionTestModels.Treatments, new AttentionMapOptions { BatchSize = 5 }, ["acid", "heat"], keepHeads: false);

        Assert.Equal(["acid", "heat"], some.Treatments);
        Assert.Equal(1, some.Slots);
        for (int g = 0; g < 5; g++)
        {
            var a = all.Map(g, 2).ToArray();
            var b = some.Map(g, 0).ToArray();
            for (int i = 0; i < a.Length; i++)
            {
                Assert.Equal(a[i], b[i], 1e-6f);
            }
        }
    }

    [Fact]
    public void RolloutChangesMapsOnlyWhenThereAreSelfAttentionBlocks()
    {
        var genes = AttentionTestModels.Genes(2);
        var plain = AttentionTestModels.Model(0);
        Assert.Equal(AttentionMaps.Compute(plain, genes, AttentionTestModels.Treatments).BasePairs,
            AttentionMaps.Compute(plain, genes, AttentionTestModels.Treatments, new AttentionMapOptions { Rollout = true }).BasePairs);

        var blocks = AttentionTestModels.Model(2);
        var raw = AttentionMaps.Compute(blocks, genes, AttentionTestModels.Treatments);
        var rolled = AttentionMaps.Compute(blocks, genes, AttentionTestModels.Treatments, new AttentionMapOptions { Rollout = true });
        Assert.NotEqual(raw.BasePairs, rolled.BasePairs);
        Assert.Equal(1.0, rolled.Map(1, 1).ToArray().Sum(v => (double)v), 1e-4);
    }

    [Fact]
    public void BadInputIsRejected()
    {
        var genes = AttentionTestModels.Genes(1);
        var model = AttentionTestModels.Model();
        var unknown = Assert.Throws<ArgumentException>(() => AttentionMaps.Compute(model, genes, AttentionTestModels.Treatments, selectedTreatments: ["cold"]));
        Assert.Contains("unknown treatment 'cold'", unknown.Message);
        Assert.Throws<ArgumentException>(() => AttentionMaps.Compute(model, AttentionTestModels.Genes(1, length: 50), AttentionTestModels.Treatments));
        var film = AttentionTestModels.Model(conditioning: ConditioningMethod.Film);
        Assert.Contains("Film", Assert.Throws<ArgumentException>(() => AttentionMaps.Compute(film, genes, AttentionTestModels.Treatments)).Message);
    }
}
