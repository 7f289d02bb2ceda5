using Promptor.Nn.Layers;
using Promptor.Tensors;
using Promptor.Tests.Golden;
using Promptor.Tests.Tensors;

namespace Promptor.Tests.Nn.Layers;

public class LinearTests
{
    [Fact]
    public void ForwardIsXWTransposedPlusBias()
    {
        var fc = new Linear(3, 2, new Generator(1));
        fc.Weight.Data.AsSpan().Clear();
        float[] w = [1, 2, 3, -1, 0, 4];
        w.CopyTo(fc.Weight.Data, 0);
        float[] b = [0.5f, -2];
        b.CopyTo(fc.Bias!.Data, 0);
        var x = Tensor.FromArray([1, 0, 2, 3, 1, 1], 2, 3);
        var y = fc.Forward(x);
        Assert.Equal([2, 2], y.Shape.ToArray());
        Assert.Equal([1 + 6 + 0.5f, -1 + 8 - 2, 3 + 2 + 3 + 0.5f, -3 + 4 - 2], y.ToArray());
    }

    [Fact]
    public void HandlesVectorsAndBatchesOfSequences()
    {
        var g = new Generator(2);
        var fc = new Linear(4, 5, g);
        var x3 = Tensor.RandomNormal(g, new Shape(2, 3, 4));
        var y3 = fc.Forward(x3);
        Assert.Equal([2, 3, 5], y3.Shape.ToArray());
        var row = x3.Reshape(6, 4).Slice(0, 4, 1).Reshape(4);
        var y1 = fc.Forward(row);
        Assert.Equal([5], y1.Shape.ToArray());
        for (int j = 0; j < 5; j++)
        {
            Assert.Equal(y3[1, 1, j], y1[j], 5);
        }
    }

    [Fact]
    public void WithoutBiasHasOnlyWeight()
    {
        var fc = new Linear(4, 2, new Generator(1), bias: false);
        Assert.Null(fc.Bias);
        Assert.Equal(["weight"], fc.NamedParameters().Select(p => p.Name));
        var x = Tensor.Zeros(1, 4);
        Assert.All(fc.Forward(x).ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void WrongInputWidthThrows()
    {
        var fc = new Linear(4, 2, new Generator(1));
        Assert.Throws<ArgumentException>(() => fc.Forward(Tensor.Zeros(2, 3)));
    }

    [Fact]
    public void DefaultInitIsUniformWithinOneOverSqrtFanIn()
    {
        var fc = new Linear(256, 512, new Generator(5));
        double bound = 1 / Math.Sqrt(256);
        var w = fc.Weight.Data;
        Assert.True(w.Max() <= bound && w.Min() >= -bound);
        Assert.True(w.Max() > 0.99 * bound && w.Min() < -0.99 * bound);
        double std = Math.Sqrt(w.Select(v => (double)v * v).Average());
        Assert.InRange(std, 0.98 * bound / Math.Sqrt(3), 1.02 * bound / Math.Sqrt(3));
        Assert.True(fc.Bias!.Data.Max() <= bound && fc.Bias.Data.Min() >= -bound);
        Assert.True(fc.Bias.Data.Max() > 0.8 * bound);
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var fc = new Linear(3, 4, new Generator(9));
        GradCheck.Check(x => fc.Forward(x), GradCheck.Random(3, 2, 3), name: "Linear input");

        // Parameter gradients: dW = dYᵀ·X, db = Σ dY.
        fc.ZeroGrad(); // the check above accumulated into the parameters
        var x = GradCheck.Random(4, 2, 3);
        var dy = GradCheck.Random(5, 2, 4);
        fc.Forward(x).Backward(dy);
        var dW = dy.MatMul(x, transposeA: true);
        GoldenAssert.Close(dW.ToArray(), fc.Weight.Grad!.Data, 1e-6, 1e-5, "dWeight");
        GoldenAssert.Close(dy.Sum(0).ToArray(), fc.Bias!.Grad!.Data, 1e-6, 1e-5, "dBias");
    }
}
