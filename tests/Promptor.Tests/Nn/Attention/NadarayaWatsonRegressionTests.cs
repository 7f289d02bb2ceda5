using Promptor.Nn.Attention;
using Promptor.Nn.Optim;
using Promptor.Tensors;
using Promptor.Tests.Tensors;

namespace Promptor.Tests.Nn.Attention;

public class NadarayaWatsonRegressionTests
{
    [Fact]
    public void NonParametricMatchesTheKernelFormula()
    {
        var nw = new NadarayaWatsonRegression();
        Assert.Empty(nw.NamedParameters());
        var queries = Tensor.FromArray([0f, 1.5f]);
        var keys = Tensor.FromArray([0f, 1f, 3f]);
        var values = Tensor.FromArray([1f, 2f, 5f]);
        var (predictions, weights) = nw.Forward(queries, keys, values);
        Assert.Equal([2], predictions.Shape.ToArray());
        Assert.Equal([2, 3], weights.Shape.ToArray());
        for (int i = 0; i < 2; i++)
        {
            double[] kernel = keys.Data.Select(k => Math.Exp(-0.5 * Math.Pow(queries.Data[i] - k, 2))).ToArray();
            double total = kernel.Sum();
            double expected = 0;
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(kernel[j] / total, weights[i, j], 5);
                expected += kernel[j] / total * values.Data[j];
            }
            Assert.Equal(expected, predictions.Data[i], 5);
        }
    }

    [Fact]
    public void PerQueryKeysEqualSharedKeysWhenTheyAreTheSame()
    {
        var nw = new NadarayaWatsonRegression(1.7f);
        var queries = GradCheck.Uniform(1, 0, 5, 4);
        var keys = GradCheck.Uniform(2, 0, 5, 6);
        var values = GradCheck.Random(3, 6);
        var shared = nw.Forward(queries, keys, values);
        var tiled = nw.Forward(queries, keys.Unsqueeze(0).BroadcastTo(new Shape(4, 6)), values.Unsqueeze(0).BroadcastTo(new Shape(4, 6)));
        Assert.Equal(shared.Output.ToArray(), tiled.Output.ToArray());
        Assert.Equal(shared.Weights.ToArray(), tiled.Weights.ToArray());
    }

    [Fact]
    public void BandwidthGradientMatchesFiniteDifferences()
    {
        var nw = new NadarayaWatsonRegression(0.9f, learnable: true);
        Assert.Equal(["kernel.w"], nw.NamedParameters().Select(p => p.Name));
        var queries = GradCheck.Uniform(1, 0, 5, 5);
        var keys = GradCheck.Uniform(2, 0, 5, 5, 4);
        var values = GradCheck.Random(3, 5, 4);
        ModuleGradCheck.Check(nw, () => nw.Forward(queries, keys, values).Output);
        GradCheck.Check(xs => nw.Forward(xs[0], xs[1], xs[2]).Output, [queries, keys, values]);
    }

    [Fact]
    public void SgdOnTheBandwidthLowersTheTrainingLoss()
    {
        // Targets from a sharp step: a narrow kernel (large w) fits them better than w = 0.2.
        var x = Tensor.Arange(0, 4, 0.25f);
        var y = new Tensor(x.Shape, x.Data.Select(v => v < 2 ? 0f : 1f).ToArray());
        var nw = new NadarayaWatsonRegression(0.2f, learnable: true);
        var sgd = new Sgd(nw.Parameters(), learningRate: 0.5);
        float Loss() => (nw.Forward(x, x, y).Output - y).Square().Sum().Item();
        float before = Loss();
        for (int epoch = 0; epoch < 5; epoch++)
        {
            sgd.ZeroGrad();
            (nw.Forward(x, x, y).Output - y).Square().Sum().Backward();
            sgd.Step();
        }
        Assert.True(nw.Kernel.W > 0.2f, $"w = {nw.Kernel.W}");
        Assert.True(Loss() < before, $"loss {before} → {Loss()}");
    }

    [Fact]
    public void BadShapesThrow()
    {
        var nw = new NadarayaWatsonRegression();
        Assert.Throws<ArgumentException>(() => nw.Forward(Tensor.Zeros(3), Tensor.Zeros(4), Tensor.Zeros(5)));
        Assert.Throws<ArgumentException>(() => nw.Forward(Tensor.Zeros(3), Tensor.Zeros(2, 4), Tensor.Zeros(2, 4)));
        Assert.Throws<ArgumentException>(() => nw.Forward(Tensor.Zeros(3, 1), Tensor.Zeros(4), Tensor.Zeros(4)));
    }
}
