using Promptor.Tensors;

namespace Promptor.Tests.Tensors.Ops;

using static GradCheck;

public class ShapeOpsTests
{
    [Fact]
    public void ShapeOpGradients()
    {
        var x = Random(41, 2, 3, 4);
        Check(t => t.Reshape(6, -1), x, name: "reshape");
        Check(t => t.Permute(2, 0, 1), x, name: "permute");
        Check(t => t.Transpose(0, 2), x, name: "transpose");
        Check(t => t.Slice(1, 1, 2), x, name: "slice");
        Check(t => t.Slice(-1, -3, 2), x, name: "slice_negative");
        Check(t => t.Unsqueeze(1).Squeeze(1), x, name: "unsqueeze");
        Check(t => t.IndexSelect(2, [3, 0, 3]), x, name: "index_select");
        Check(t => t.Gather(1, [0, 2, 1, 1, 0, 0, 2, 2], new Shape(2, 1, 4)), x, name: "gather");
        Check(t => t.BroadcastTo(new Shape(5, 2, 3, 4)), x, name: "broadcast_to");
    }

    [Fact]
    public void ConcatSplitAndStackGradients()
    {
        var a = Random(42, 2, 3);
        var b = Random(43, 2, 5);
        Check(xs => Promptor.Tensors.Ops.Concat(xs, 1), [a, b], name: "concat");
        Check(t => t.Split([1, 4], 1)[1] * t.Split([1, 4], 1)[0], b, name: "split");
        Check(t => t.Chunk(3, 1)[2], Random(44, 2, 6), name: "chunk");
        Check(xs => Promptor.Tensors.Ops.Stack(xs, 1), [a, Random(45, 2, 3)], name: "stack");
    }

    [Fact]
    public void PermuteMatchesIndexing()
    {
        var x = Random(46, 2, 3, 4);
        var y = x.Permute(1, 2, 0);
        Assert.Equal(new Shape(3, 4, 2), y.Shape);
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                for (int k = 0; k < 4; k++)
                {
                    Assert.Equal(x[i, j, k], y[j, k, i]);
                }
            }
        }
    }

    [Fact]
    public void ReshapeSharesStorage()
    {
        var x = Random(47, 2, 6);
        var y = x.Reshape(3, 4);
        Assert.Same(x.Data, y.Data);
        Assert.Throws<ArgumentException>(() => x.Reshape(5, -1));
    }

    [Fact]
    public void EmbeddingLooksUpRowsAndAccumulatesRepeatedIds()
    {
        var w = new Tensor(new Shape(4, 2), [0f, 1f, 10f, 11f, 20f, 21f, 30f, 31f], requiresGrad: true);
        var y = Promptor.Tensors.Ops.Embedding(w, [2, 0, 2], 3);
        Assert.Equal(new Shape(3, 2), y.Shape);
        Assert.Equal([20f, 21f, 0f, 1f, 20f, 21f], y.Data);
        y.Sum().Backward();
        Assert.Equal([1f, 1f, 0f, 0f, 2f, 2f, 0f, 0f], w.Grad!.Data);
        Assert.Throws<ArgumentOutOfRangeException>(() => Promptor.Tensors.Ops.Embedding(w, [4], 1));
    }

    [Fact]
    public void WhereAndMaskedFillRouteGradients()
    {
        var a = Random(48, 2, 3);
        var b = Random(49, 3);
        var cond = Tensor.FromArray([1f, 0f, 1f, 0f, 0f, 1f], 2, 3);
        Check(xs => Promptor.Tensors.Ops.Where(cond, xs[0], xs[1]), [a, b], name: "where");
        Check(t => t.MaskedFill(Tensor.FromArray([0f, 1f, 0f], 3), -5f), a, name: "masked_fill");
    }
}
