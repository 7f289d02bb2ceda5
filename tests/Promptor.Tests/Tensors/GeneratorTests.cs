using Promptor.Tensors;

namespace Promptor.Tests.Tensors;

public class GeneratorTests
{
    [Fact]
    public void SameSeedSameStream()
    {
        var a = Tensor.RandomNormal(new Generator(42), new Shape(100));
        var b = Tensor.RandomNormal(new Generator(42), new Shape(100));
        var c = Tensor.RandomNormal(new Generator(43), new Shape(100));
        Assert.Equal(a.Data, b.Data);
        Assert.NotEqual(a.Data, c.Data);
    }

    [Fact]
    public void NormalSamplesHaveUnitMomentsAndUniformStaysInRange()
    {
        var x = Tensor.RandomNormal(new Generator(1), new Shape(200_000), mean: 2f, std: 3f);
        double mean = x.Data.Average();
        double std = Math.Sqrt(x.Data.Select(v => (v - mean) * (v - mean)).Average());
        Assert.Equal(2.0, mean, 1);
        Assert.InRange(std, 2.97, 3.03);
        var u = Tensor.RandomUniform(new Generator(2), new Shape(100_000), -1f, 1f);
        Assert.All(u.Data, v => Assert.InRange(v, -1f, 1f));
        Assert.InRange(u.Data.Average(), -0.01, 0.01);
    }

    [Fact]
    public void BernoulliHitsItsProbability()
    {
        var b = Tensor.RandomBernoulli(new Generator(3), new Shape(100_000), 0.3f);
        Assert.All(b.Data, v => Assert.True(v is 0f or 1f));
        Assert.InRange(b.Data.Average(), 0.295, 0.305);
    }

    [Fact]
    public void NextIntIsUnbiasedOverSmallRanges()
    {
        var g = new Generator(4);
        var counts = new int[3];
        for (int i = 0; i < 30_000; i++)
        {
            counts[g.NextInt(3)]++;
        }
        Assert.All(counts, c => Assert.InRange(c, 9_700, 10_300));
    }
}
