using Promptor.Tensors;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Tensors;

public class PoolTests
{
    public static TheoryData<string> GoldenCases() => GoldenTensors.Cases("pool1d");

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Pool1dMatchesPyTorch(string name)
    {
        var c = GoldenFixture.Case("pool1d", name);
        var x = GoldenTensors.Get(c, "x", requiresGrad: true);
        int k = c.Int("kernel_size"), s = c.Int("stride");
        var y = c.String("op") switch
        {
            "max" => x.MaxPool1d(k, s),
            "avg" => x.AvgPool1d(k, s),
            var op => throw new InvalidDataException(op),
        };
        GoldenTensors.AssertClose(c, "out", y);
        y.Backward(GoldenTensors.Get(c, "grad_out"));
        GoldenTensors.AssertClose(c, "grad_x", x.Grad);
    }

    /// <summary>Distinct values at least 0.5 apart, so a finite-difference step never changes a window's argmax.</summary>
    private static Tensor Separated(ulong seed, params int[] shape)
    {
        var size = new Shape(shape).Size;
        var order = Enumerable.Range(0, size).ToArray();
        new Generator(seed).Shuffle(order.AsSpan());
        return Tensor.FromArray(order.Select(i => 0.5f * i - size / 4f).ToArray(), shape);
    }

    [Theory]
    [InlineData("max", 2, null)]
    [InlineData("max", 3, 2)]
    [InlineData("max", 3, 1)]
    [InlineData("avg", 2, null)]
    [InlineData("avg", 3, 2)]
    [InlineData("avg", 4, 3)]
    public void Pool1dGradCheck(string op, int k, int? stride)
    {
        var x = Separated(11, 2, 3, 11);
        GradCheck.Check(t => op == "max" ? t.MaxPool1d(k, stride) : t.AvgPool1d(k, stride), x, name: $"{op}pool k{k} s{stride}");
    }

    [Fact]
    public void DefaultStrideIsTheKernelSizeAndRemainderIsDropped()
    {
        var x = Tensor.FromArray([1f, 5f, 2f, 3f, 9f, 0f, 7f], 1, 1, 7);
        Assert.Equal([5f, 3f, 9f], x.MaxPool1d(2).Data);
        Assert.Equal([3f, 2.5f, 4.5f], x.AvgPool1d(2).Data);
        Assert.Equal(new[] { 1, 1, 3 }, x.MaxPool1d(2).Shape.ToArray());
    }

    [Fact]
    public void MaxPoolGradientGoesToTheArgmaxOnly()
    {
        var x = new Tensor(new Shape(1, 1, 6), [1f, 5f, 2f, 3f, 9f, 0f], requiresGrad: true);
        x.MaxPool1d(3, 1).Backward(Tensor.FromArray([1f, 10f, 100f, 1000f], 1, 1, 4));
        // Windows [1,5,2] [5,2,3] [2,3,9] [3,9,0]: maxima at 1, 1, 4, 4.
        Assert.Equal([0f, 11f, 0f, 0f, 1100f, 0f], x.Grad!.Data);
    }

    [Fact]
    public void MaxPoolTiesGoToTheFirstElementAndNaNPropagates()
    {
        var x = new Tensor(new Shape(1, 1, 4), [2f, 2f, 3f, 3f], requiresGrad: true);
        x.MaxPool1d(2).Backward(Tensor.FromArray([1f, 1f], 1, 1, 2));
        Assert.Equal([1f, 0f, 1f, 0f], x.Grad!.Data);
        var withNaN = Tensor.FromArray([1f, float.NaN, 5f, 2f], 1, 1, 4);
        Assert.True(float.IsNaN(withNaN.MaxPool1d(3, 1).Data[0]));
        Assert.True(float.IsNaN(withNaN.MaxPool1d(3, 1).Data[1]));
    }

    [Fact]
    public void GlobalPoolsReduceTheLengthAxis()
    {
        var x = Tensor.FromArray([1f, 4f, 2f, -1f, -3f, -2f], 1, 2, 3);
        var max = x.GlobalMaxPool1d();
        var avg = x.GlobalAvgPool1d();
        Assert.Equal(new[] { 1, 2 }, max.Shape.ToArray());
        Assert.Equal([4f, -1f], max.Data);
        Assert.Equal(7f / 3f, avg.Data[0], 6);
        Assert.Equal(-2f, avg.Data[1], 6);
        GradCheck.Check(t => t.GlobalMaxPool1d(), Separated(3, 2, 3, 5), name: "global max pool");
        GradCheck.Check(t => t.GlobalAvgPool1d(), GradCheck.Random(4, 2, 3, 5), name: "global avg pool");
    }

    [Fact]
    public void InvalidShapesThrow()
    {
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 8).MaxPool1d(2));
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(1, 2, 3).AvgPool1d(4));
        Assert.Contains("(1, 2, 3)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(1, 2, 3).MaxPool1d(2, 0));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).GlobalAvgPool1d());
    }
}
