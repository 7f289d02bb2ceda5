using Promptor.Tensors;

namespace Promptor.Tests.Tensors.Ops;

public class PoolParallelTests
{
    [Fact]
    public void LargeInputsSplitAcrossThreadsMatchThePerSampleResult()
    {
        var x = GradCheck.Random(1, 5, 64, 1001);          // 320k values: takes the parallel path
        x.RequiresGrad = true;
        var y = x.MaxPool1d(4, 3);
        var dy = GradCheck.Random(2, y.Shape.ToArray());
        y.Backward(dy);
        for (int n = 0; n < 5; n++)
        {
            var xs = new Tensor(new Shape(1, 64, 1001), x.Data.AsSpan(n * 64 * 1001, 64 * 1001).ToArray(), requiresGrad: true);
            var ys = xs.MaxPool1d(4, 3);                     // 64k values: serial path
            int size = ys.Size;
            Assert.Equal(ys.Data, y.Data.AsSpan(n * size, size).ToArray());
            ys.Backward(new Tensor(ys.Shape, dy.Data.AsSpan(n * size, size).ToArray()));
            Assert.Equal(xs.Grad!.Data, x.Grad!.Data.AsSpan(n * 64 * 1001, 64 * 1001).ToArray());
        }
    }
}
