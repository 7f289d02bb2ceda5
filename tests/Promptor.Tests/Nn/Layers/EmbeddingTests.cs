using Promptor.Nn.Layers;
using Promptor.Tensors;

namespace Promptor.Tests.Nn.Layers;

public class EmbeddingTests
{
    [Fact]
    public void LooksUpRowsInTheGivenShape()
    {
        var emb = new Embedding(5, 3, new Generator(1));
        var y = emb.Forward([4, 0, 4, 2], 2, 2);
        Assert.Equal([2, 2, 3], y.Shape.ToArray());
        for (int d = 0; d < 3; d++)
        {
            Assert.Equal(emb.Weight[4, d], y[0, 0, d]);
            Assert.Equal(emb.Weight[0, d], y[0, 1, d]);
            Assert.Equal(emb.Weight[4, d], y[1, 0, d]);
            Assert.Equal(emb.Weight[2, d], y[1, 1, d]);
        }
        Assert.Equal([1, 3], emb.Forward([1]).Shape.ToArray());
    }

    [Fact]
    public void GradientAccumulatesRepeatedIds()
    {
        var emb = new Embedding(4, 2, new Generator(1));
        emb.Forward([1, 3, 1]).Sum().Backward();
        Assert.Equal([0, 0, 2, 2, 0, 0, 1, 1], emb.Weight.Grad!.ToArray());
    }

    [Fact]
    public void InitIsStandardNormal()
    {
        var emb = new Embedding(1000, 100, new Generator(4));
        var w = emb.Weight.Data;
        double mean = w.Average(v => (double)v);
        double std = Math.Sqrt(w.Average(v => ((double)v - mean) * ((double)v - mean)));
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(std, 0.98, 1.02);
    }

    [Fact]
    public void OutOfRangeIdThrows()
    {
        var emb = new Embedding(4, 2, new Generator(1));
        Assert.ThrowsAny<Exception>(() => emb.Forward([4]));
    }
}
