using Promptor.Nn.Optim;
using Promptor.Tensors;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Nn.Optim;

public class GradientClippingTests
{
    [Theory]
    [InlineData("clip_grad_norm_clipped")]
    [InlineData("clip_grad_norm_unclipped")]
    public void MatchesPyTorch(string name)
    {
        var c = GoldenFixture.Case("misc", name);
        var a = new Tensor(new Shape(c.Shape("g_a")), requiresGrad: true);
        var b = new Tensor(new Shape(c.Shape("g_b")), requiresGrad: true);
        NnTestUtil.SetGrad(a, c.Data("g_a"));
        NnTestUtil.SetGrad(b, c.Data("g_b"));
        float total = GradientClipping.ClipGradNorm([a, b], (float)c.Number("max_norm"));
        Assert.Equal(c.Number("total_norm"), total, 1e-5 * c.Number("total_norm"));
        GoldenAssert.Close(c.Data("g_a_after"), a.GradSpan, 1e-7, 1e-6, name + " g_a");
        GoldenAssert.Close(c.Data("g_b_after"), b.GradSpan, 1e-7, 1e-6, name + " g_b");
    }

    [Fact]
    public void NormIsJointOverAllGradientsAndSkipsMissingOnes()
    {
        var a = new Tensor(new Shape(2), requiresGrad: true);
        var b = new Tensor(new Shape(1), requiresGrad: true);
        var none = new Tensor(new Shape(3), requiresGrad: true);
        NnTestUtil.SetGrad(a, [3, 0]);
        NnTestUtil.SetGrad(b, [4]);
        float total = GradientClipping.ClipGradNorm([a, b, none], 1f);
        Assert.Equal(5f, total, 6);
        float scale = (float)(1 / (5 + 1e-6));
        Assert.Equal([3 * scale, 0], a.GradSpan.ToArray());
        Assert.Equal(4 * scale, b.GradSpan[0]);
        Assert.False(none.HasGrad);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void NonFiniteNormLeavesGradientsUntouched(float bad)
    {
        var a = new Tensor(new Shape(2), requiresGrad: true);
        NnTestUtil.SetGrad(a, [bad, 100]);
        float total = GradientClipping.ClipGradNorm([a], 1f);
        Assert.False(float.IsFinite(total));
        Assert.Equal(100f, a.GradSpan[1]);
    }

    [Fact]
    public void RejectsNonPositiveMaxNorm()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipGradNorm([], 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipGradNorm([], float.NaN));
        Assert.Equal(0f, GradientClipping.ClipGradNorm([], 1f));
    }
}
