using Promptor.Tensors;

namespace Promptor.Tests.Tensors.Ops;

using static GradCheck;

public class SoftmaxOpsTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(0)]
    public void SoftmaxAndLogSoftmaxGradients(int axis)
    {
        var x = Random(21, 2, 3, 5);
        Check(t => t.Softmax(axis), x, name: "softmax");
        Check(t => t.LogSoftmax(axis), x, name: "log_softmax");
    }

    [Fact]
    public void SoftmaxRowsSumToOneAndSurviveHugeLogits()
    {
        var x = Random(22, 7, 33) * 50f + 1000f;
        var y = x.Softmax();
        for (int r = 0; r < 7; r++)
        {
            double s = 0;
            for (int c = 0; c < 33; c++)
            {
                float v = y[r, c];
                Assert.True(v >= 0 && !float.IsNaN(v));
                s += v;
            }
            Assert.Equal(1.0, s, 5);
        }
    }

    [Fact]
    public void MaskedEntriesGetZeroWeight()
    {
        var x = Random(23, 2, 4);
        var mask = Tensor.FromArray([0f, 0f, 1f, 1f], 4);
        var y = x.MaskedFill(mask, float.NegativeInfinity).Softmax();
        for (int r = 0; r < 2; r++)
        {
            Assert.Equal(0f, y[r, 2]);
            Assert.Equal(0f, y[r, 3]);
            Assert.Equal(1f, y[r, 0] + y[r, 1], 1e-6f);
        }
    }

    [Fact]
    public void FullyMaskedRowGivesZerosNotNaN()
    {
        var x = Tensor.Full(float.NegativeInfinity, 1, 3);
        Assert.All(x.Softmax().Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void LogSoftmaxEqualsLogOfSoftmax()
    {
        var x = Random(24, 4, 6);
        var a = x.LogSoftmax();
        var b = x.Softmax().Log();
        for (int i = 0; i < a.Size; i++)
        {
            Assert.Equal(b.Data[i], a.Data[i], 1e-5f);
        }
    }
}
