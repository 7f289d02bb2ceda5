using Promptor.Tensors;

namespace Promptor.Tests.Tensors.Ops;

using static GradCheck;

public class ReduceOpsTests
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(-1, false)]
    public void AxisReductionsHaveCorrectGradients(int axis, bool keepDim)
    {
        var x = Random(11, 2, 3, 4);
        Check(t => t.Sum(axis, keepDim), x, name: "sum");
        Check(t => t.Mean(axis, keepDim), x, name: "mean");
        Check(t => t.Max(axis, keepDim), x, name: "max");
        Check(t => t.Min(axis, keepDim), x, name: "min");
        Check(t => t.LogSumExp(axis, keepDim), x, name: "logsumexp");
        Check(t => t.Var(axis, keepDim), x, name: "var");
        Check(t => t.Var(axis, keepDim, unbiased: true), x, name: "var_unbiased");
    }

    [Fact]
    public void FullReductionsHaveCorrectGradients()
    {
        var x = Random(12, 3, 5);
        Check(t => t.Sum(), x, name: "sum_all");
        Check(t => t.Mean(), x, name: "mean_all");
        Check(t => t.Max(), x, name: "max_all");
        Check(t => t.Sum([0, 1]), x, name: "sum_axes");
        Check(t => t.Mean([1], keepDim: true), x, name: "mean_axes");
    }

    [Fact]
    public void SumOverAxisMatchesLoop()
    {
        var x = Random(13, 3, 4, 5);
        var y = x.Sum(1);
        Assert.Equal(new Shape(3, 5), y.Shape);
        for (int i = 0; i < 3; i++)
        {
            for (int k = 0; k < 5; k++)
            {
                float s = 0;
                for (int j = 0; j < 4; j++)
                {
                    s += x[i, j, k];
                }
                Assert.Equal(s, y[i, k], 1e-5f);
            }
        }
    }

    [Fact]
    public void MaxReturnsFirstIndexOfMaximum()
    {
        var x = Tensor.FromArray([1f, 5f, 5f, 2f, 0f, -1f, 9f, 9f], 2, 4);
        var (values, indices) = x.MaxWithIndices(1);
        Assert.Equal([5f, 9f], values.Data);
        Assert.Equal([1, 2], indices);
    }

    [Fact]
    public void LogSumExpIsStableForLargeValues()
    {
        var x = Tensor.FromArray([1000f, 1000f, float.NegativeInfinity], 1, 3);
        var y = x.LogSumExp(1);
        Assert.Equal(1000f + MathF.Log(2f), y.Data[0], 1e-3f);
    }
}
