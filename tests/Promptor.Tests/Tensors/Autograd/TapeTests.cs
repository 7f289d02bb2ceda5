using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Tests.Tensors.Autograd;

public class TapeTests
{
    [Fact]
    public void NoGradScopeRecordsNothing()
    {
        var x = new Tensor(new Shape(2), [1f, 2f], requiresGrad: true);
        Tensor y;
        using (Tape.NoGrad())
        {
            y = (x * x).Sum();
            Assert.False(Tape.IsGradEnabled);
        }
        Assert.True(Tape.IsGradEnabled);
        Assert.False(y.RequiresGrad);
        Assert.True(y.IsLeaf);
        Assert.Throws<InvalidOperationException>(() => y.Backward());
    }

    [Fact]
    public void DetachStopsGradient()
    {
        var x = new Tensor(new Shape(2), [1f, 2f], requiresGrad: true);
        var y = (x * x.Detach()).Sum(); // d/dx = x (detached factor is a constant)
        y.Backward();
        Assert.Equal([1f, 2f], x.Grad!.Data);
    }

    [Fact]
    public void GraphIsReleasedAfterBackward()
    {
        var x = new Tensor(new Shape(3), [1f, 2f, 3f], requiresGrad: true);
        var h = x.Exp();
        var y = h.Sum();
        Assert.Equal("Exp", h.OpName);
        y.Backward();
        Assert.True(h.IsLeaf);
        Assert.True(y.IsLeaf);
        Assert.False(h.HasGrad); // intermediate gradients are not retained
        Assert.True(x.HasGrad);
    }

    [Fact]
    public void GradientsAccumulateAcrossBackwardCallsUntilCleared()
    {
        var x = new Tensor(new Shape(1), [3f], requiresGrad: true);
        (x * x).Sum().Backward();
        (x * x).Sum().Backward();
        Assert.Equal(12f, x.Grad!.Data[0]);
        x.ZeroGrad();
        Assert.Null(x.Grad);
    }

    [Fact]
    public void NonScalarBackwardNeedsAGradient()
    {
        var x = new Tensor(new Shape(2), [1f, 2f], requiresGrad: true);
        var y = x * 2f;
        Assert.Throws<InvalidOperationException>(() => y.Backward());
        y.Backward(Tensor.FromArray([1f, 10f]));
        Assert.Equal([2f, 20f], x.Grad!.Data);
    }

    [Fact]
    public void DeepChainsDoNotOverflowTheStack()
    {
        var x = new Tensor(new Shape(1), [1f], requiresGrad: true);
        var y = x;
        for (int i = 0; i < 100_000; i++)
        {
            y = y + 0f;
        }
        y.Sum().Backward();
        Assert.Equal(1f, x.Grad!.Data[0]);
    }

    [Fact]
    public void DiamondGraphAddsBothPaths()
    {
        var x = new Tensor(new Shape(1), [2f], requiresGrad: true);
        var a = x * 3f;
        var b = x.Square();
        (a * b).Sum().Backward(); // d/dx 3x·x² = 9x² = 36
        Assert.Equal(36f, x.Grad!.Data[0], 1e-4f);
    }
}
