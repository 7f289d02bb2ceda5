using Promptor.Tensors;

namespace Promptor.Tests.Tensors.Ops;

using static GradCheck;

public class MatMulOpsTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void TwoDimensionalGradients(bool ta, bool tb)
    {
        var a = ta ? Random(31, 4, 3) : Random(31, 3, 4);
        var b = tb ? Random(32, 5, 4) : Random(32, 4, 5);
        Check(xs => xs[0].MatMul(xs[1], ta, tb), [a, b], name: $"matmul {ta} {tb}");
    }

    [Theory]
    [InlineData(new[] { 2, 3, 4 }, new[] { 2, 4, 5 }, false, false)]
    [InlineData(new[] { 2, 3, 4 }, new[] { 4, 5 }, false, false)]
    [InlineData(new[] { 2, 4, 3 }, new[] { 4, 5 }, true, false)]
    [InlineData(new[] { 3, 4 }, new[] { 2, 5, 4 }, false, true)]
    [InlineData(new[] { 2, 1, 3, 4 }, new[] { 3, 4, 5 }, false, false)]
    [InlineData(new[] { 2, 3, 3, 4 }, new[] { 2, 3, 5, 4 }, false, true)]
    public void BatchedAndBroadcastGradients(int[] sa, int[] sb, bool ta, bool tb)
    {
        var a = Random(33, sa);
        var b = Random(34, sb);
        Check(xs => xs[0].MatMul(xs[1], ta, tb), [a, b], name: "batched matmul");
    }

    [Fact]
    public void MatrixVectorProductSqueezesTheColumn()
    {
        var a = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        var v = Tensor.FromArray([1f, 0f, -1f]);
        var y = a.MatMul(v);
        Assert.Equal(new Shape(2), y.Shape);
        Assert.Equal([-2f, -2f], y.Data);
    }

    [Fact]
    public void MismatchedInnerDimensionsThrow()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).MatMul(Tensor.Zeros(4, 5)));
        Assert.Contains("(2, 3)", ex.Message);
    }

    [Fact]
    public void ResultDoesNotDependOnBatchSize()
    {
        var a = Random(35, 5, 7, 9);
        var b = Random(36, 9, 4);
        var full = a.MatMul(b);
        for (int i = 0; i < 5; i++)
        {
            var single = a.Slice(0, i, 1).MatMul(b);
            for (int j = 0; j < single.Size; j++)
            {
                Assert.Equal(full.Data[i * single.Size + j], single.Data[j]);
            }
        }
    }
}
