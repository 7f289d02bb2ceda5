using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Tests.Tensors.Autograd;

/// <summary>
/// The storage pool itself (on private instances), and the tape's use of the shared pool: what it
/// recycles, and that recycling never changes a value anyone can still see. Tests on the shared
/// pool use lengths no other test uses, so counts are not disturbed by tests running in parallel.
/// </summary>
public class TensorStoragePoolTests
{
    private const int Small = TensorStoragePool.MinimumLength;

    [Fact]
    public void ReturnedArraysAreReusedByLengthAndNeverHandedOutTwice()
    {
        var pool = new TensorStoragePool(64L << 20);
        var a = pool.Rent(Small, clear: false);
        a[0] = 42f;
        pool.Return(a);
        pool.Return(a); // a second return of the same array is ignored
        Assert.Equal(1, pool.CountOf(Small));
        Assert.Same(a, pool.Rent(Small, clear: false));
        Assert.NotSame(a, pool.Rent(Small, clear: false)); // the pool is empty again: a fresh array
        Assert.Equal(0, pool.CountOf(Small));
        Assert.NotSame(a, pool.Rent(Small + 1, clear: false)); // other lengths never match
    }

    [Fact]
    public void ClearedRentsAreZeroEvenWhenReused()
    {
        var pool = new TensorStoragePool(64L << 20);
        var a = pool.Rent(Small, clear: false);
        Array.Fill(a, 3f);
        pool.Return(a);
        var b = pool.Rent(Small, clear: true);
        Assert.Same(a, b);
        Assert.All(b, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ShortArraysAreLeftToTheCollector()
    {
        var pool = new TensorStoragePool(64L << 20);
        pool.Return(new float[Small - 1]);
        Assert.Equal(0, pool.CountOf(Small - 1));
        Assert.Equal(0, pool.PooledBytes);
    }

    [Fact]
    public void TheBoundDropsTheLeastRecentlyUsedLengthFirst()
    {
        long bytes = (long)Small * sizeof(float);
        var pool = new TensorStoragePool(2 * bytes + 64); // room for two of these lengths, not three
        pool.Return(new float[Small]);
        pool.Return(new float[Small + 1]);
        Assert.Equal(1, pool.CountOf(Small));
        Assert.Equal(1, pool.CountOf(Small + 1));
        pool.Return(new float[Small + 2]); // over the bound: the oldest length (Small) goes
        Assert.Equal(0, pool.CountOf(Small));
        Assert.Equal(1, pool.CountOf(Small + 1));
        Assert.Equal(1, pool.CountOf(Small + 2));
        Assert.True(pool.PooledBytes <= pool.MaxBytes);
    }

    [Fact]
    public void BackwardRecyclesIntermediateGradientsButNotLeafGradients()
    {
        const int n = Small + 101;
        var x = new Tensor(new Shape(n), Enumerable.Range(0, n).Select(i => i % 7 * 0.1f).ToArray(), requiresGrad: true);
        int before = TensorStoragePool.Shared.CountOf(n);
        (x.Exp() * 2f).Sum().Backward(); // intermediates Exp and Mul have gradients of length n
        Assert.True(TensorStoragePool.Shared.CountOf(n) >= before + 1);
        var expected = x.Grad!.ToArray();
        Assert.Equal(2f * MathF.Exp(0.3f), expected[3], 1e-5f);
        // Tensors allocated now may take the recycled buffers; the leaf gradient must not change.
        var others = Enumerable.Range(0, 4).Select(_ => Tensor.Full(-5f, n)).ToList();
        Assert.Equal(expected, x.Grad!.Data);
        Assert.All(others, t => Assert.All(t.Data, v => Assert.Equal(-5f, v)));
    }

    [Fact]
    public void AGradientAdoptedThroughAReshapeIsNotRecycled()
    {
        const int n = Small + 103;
        var x = new Tensor(new Shape(n), new float[n], requiresGrad: true);
        // The reshape hands its gradient buffer on to x: that buffer is x's gradient now.
        x.Reshape(1, n).Backward(Tensor.Full(1.5f, 1, n));
        Assert.False(TensorStoragePool.Shared.Holds(x.Grad!.Data));
        var others = Enumerable.Range(0, 3).Select(_ => Tensor.Full(-1f, n)).ToList();
        Assert.All(x.Grad!.Data, v => Assert.Equal(1.5f, v));
        Assert.All(others, t => Assert.DoesNotContain(t.Data, v => v != -1f));
    }

    [Fact]
    public void DeclaredIntermediatesComeBackOnlyAfterBackward()
    {
        const int n = Small + 107;
        var x = new Tensor(new Shape(n), new float[n], requiresGrad: true);
        var hidden = x * 3f;
        var y = (hidden + 1f).Sum();
        Tape.RecycleAfterBackward(hidden);
        Assert.False(TensorStoragePool.Shared.Holds(hidden.Data)); // the graph still needs it
        y.Backward();
        Assert.True(TensorStoragePool.Shared.Holds(hidden.Data));
        Assert.All(x.Grad!.Data, v => Assert.Equal(3f, v));
    }

    [Fact]
    public void WithoutRecordingDeclaredIntermediatesReturnAtOnce()
    {
        const int n = Small + 109;
        var x = Tensor.Full(2f, n);
        using (Tape.NoGrad())
        {
            var hidden = x * 3f;
            Tape.RecycleAfterBackward(hidden);
            Assert.True(TensorStoragePool.Shared.Holds(hidden.Data));
        }
        Assert.False(TensorStoragePool.Shared.Holds(x.Data));
    }

    [Fact]
    public void ARecordedIntermediateThatBackwardNeverReachesIsNotRecycled()
    {
        const int n = Small + 113;
        var x = new Tensor(new Shape(n), new float[n], requiresGrad: true);
        var hidden = x * 3f;
        Tape.RecycleAfterBackward(hidden);
        (x * 2f).Sum().Backward(); // another graph over x: hidden is not part of it
        Assert.False(TensorStoragePool.Shared.Holds(hidden.Data));
    }
}
