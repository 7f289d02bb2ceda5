using Promptor.Nn.Positional;
using Promptor.Tensors;
using Promptor.Tests.Tensors;

namespace Promptor.Tests.Nn.Positional;

public class LearnedPositionalEmbeddingTests
{
    [Fact]
    public void TooLongInputErrorNamesTAndMaxLength()
    {
        var emb = new LearnedPositionalEmbedding(8, 4, new Generator(1));
        var ex = Assert.Throws<ArgumentException>(() => emb.Forward(Tensor.Zeros(2, 9, 4)));
        Assert.Contains("T = 9", ex.Message, StringComparison.Ordinal);
        Assert.Contains("maxLength = 8", ex.Message, StringComparison.Ordinal);

        var atOffset = Assert.Throws<ArgumentException>(() => emb.Forward(Tensor.Zeros(2, 5, 4), 4));
        Assert.Contains("T = 5", atOffset.Message, StringComparison.Ordinal);
        Assert.Contains("offset 4", atOffset.Message, StringComparison.Ordinal);
        Assert.Contains("maxLength = 8", atOffset.Message, StringComparison.Ordinal);

        Assert.Equal([2, 8, 4], emb.Forward(Tensor.Zeros(2, 8, 4)).Shape.ToArray());
    }

    [Fact]
    public void GradientFlowsOnlyToTheRowsUsed()
    {
        var emb = new LearnedPositionalEmbedding(8, 3, new Generator(2));
        var x = GradCheck.Random(3, 2, 5, 3);
        x.RequiresGrad = true;
        var y = emb.Forward(x);
        for (int b = 0; b < 2; b++)
        {
            for (int t = 0; t < 5; t++)
            {
                for (int c = 0; c < 3; c++)
                {
                    Assert.Equal(x[b, t, c] + emb.Weight[t, c], y[b, t, c]);
                }
            }
        }
        var w = GradCheck.Random(4, 2, 5, 3);
        y.Backward(w);
        Assert.Equal(w.Data, x.Grad!.Data);
        var g = emb.Weight.Grad!;
        for (int row = 0; row < 8; row++)
        {
            for (int c = 0; c < 3; c++)
            {
                float expected = row < 5 ? w[0, row, c] + w[1, row, c] : 0f;
                Assert.Equal(expected, g[row, c], 1e-6);
            }
        }
    }

    [Fact]
    public void OffsetUsesAndTrainsTheShiftedRows()
    {
        var emb = new LearnedPositionalEmbedding(8, 2, new Generator(5));
        var y = emb.Forward(Tensor.Zeros(1, 3, 2), 4);
        Assert.Equal(emb.Weight.Data.AsSpan(4 * 2, 3 * 2).ToArray(), y.Data);
        y.Sum().Backward();
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0], emb.Weight.Grad!.Data);
    }

    [Fact]
    public void WeightIsTheOnlyParameterAndStartsNearN0002()
    {
        var emb = new LearnedPositionalEmbedding(512, 32, new Generator(6));
        Assert.Equal(["weight"], emb.NamedParameters().Select(p => p.Name));
        Assert.Equal([512, 32], emb.Weight.Shape.ToArray());
        double mean = emb.Weight.Data.Average(v => (double)v);
        double std = Math.Sqrt(emb.Weight.Data.Average(v => ((double)v - mean) * ((double)v - mean)));
        Assert.InRange(mean, -0.002, 0.002);
        Assert.InRange(std, 0.019, 0.021);

        var wide = new LearnedPositionalEmbedding(64, 64, new Generator(6), std: 1);
        double wideStd = Math.Sqrt(wide.Weight.Data.Average(v => (double)v * v));
        Assert.InRange(wideStd, 0.95, 1.05);
    }
}
