using Promptor.Nn.Layers;
using Promptor.Tensors;
using Promptor.Tests.Golden;
using Promptor.Tests.Tensors;

namespace Promptor.Tests.Nn.Layers;

public class SoftmaxAttentionPoolTests
{
    [Theory]
    [InlineData("attention_pool_p2")]
    [InlineData("attention_pool_p3")]
    public void MatchesEnformerPoolingInPyTorch(string name)
    {
        var c = GoldenFixture.Case("film_pool", name);
        var pool = new SoftmaxAttentionPool(c.Int("channels"), c.Int("pool_size"));
        Assert.Equal(["to_attn_logits.weight"], pool.NamedParameters().Select(p => p.Name));
        pool.LoadStateDict(new Dictionary<string, Tensor> { ["to_attn_logits.weight"] = NnTestUtil.Golden(c, "to_attn_logits.weight") });
        var x = NnTestUtil.Golden(c, "x");
        x.RequiresGrad = true;
        var (output, weights) = pool.ForwardWithWeights(x);
        output.Backward(NnTestUtil.Golden(c, "grad_out"));

        const double Atol = 1e-6, Rtol = 1e-4;
        GoldenAssert.Close(c.Data("out"), output.Data, Atol, Rtol, name + " out");
        Assert.Equal(c.Shape("weights"), weights.Shape.ToArray());
        GoldenAssert.Close(c.Data("weights"), weights.Data, Atol, Rtol, name + " weights");
        GoldenAssert.Close(c.Data("grad_x"), x.Grad!.Data, Atol, Rtol, name + " grad_x");
        GoldenAssert.Close(c.Data("grad_to_attn_logits.weight"), pool.ToAttentionLogits.Weight.Grad!.Data, Atol, Rtol, name + " grad_W");
    }

    [Fact]
    public void InitialisesLogitsToTwiceTheIdentity()
    {
        var pool = new SoftmaxAttentionPool(3, 2);
        Assert.Equal([2, 0, 0, 0, 2, 0, 0, 0, 2], pool.ToAttentionLogits.Weight.ToArray());
        // So a window (a, b) of one channel pools to (a·e^{2a} + b·e^{2b}) / (e^{2a} + e^{2b}).
        var x = Tensor.FromArray([0, 0, 0, 1, 0, 0], 1, 2, 3);
        var y = pool.Forward(x);
        Assert.Equal(MathF.Exp(2) / (1 + MathF.Exp(2)), y[0, 0, 0], 5);
        Assert.Equal(0f, y[0, 0, 1]);
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var pool = new SoftmaxAttentionPool(3, 3);
        GradCheck.Random(9, 3, 3).Data.CopyTo(pool.ToAttentionLogits.Weight.Data, 0);
        var x = GradCheck.Random(1, 2, 6, 3);
        GradCheck.Check(pool.Forward, x);
        ModuleGradCheck.Check(pool, () => pool.Forward(x));
    }

    [Fact]
    public void WeightsSumToOneOverEachWindowPerChannel()
    {
        var pool = new SoftmaxAttentionPool(4, 3);
        GradCheck.Random(2, 4, 4).Data.CopyTo(pool.ToAttentionLogits.Weight.Data, 0);
        var (output, weights) = pool.ForwardWithWeights(GradCheck.Random(3, 2, 9, 4));
        Assert.Equal([2, 3, 4], output.Shape.ToArray());
        Assert.Equal([2, 3, 3, 4], weights.Shape.ToArray());
        Assert.All(weights.Sum(2).ToArray(), s => Assert.Equal(1f, s, 5));
    }

    [Fact]
    public void LengthNotAMultipleOfThePoolSizeThrows()
    {
        var pool = new SoftmaxAttentionPool(2, 3);
        var ex = Assert.Throws<ArgumentException>(() => pool.Forward(Tensor.Zeros(1, 7, 2)));
        Assert.Contains("multiple", ex.Message);
        Assert.Throws<ArgumentException>(() => pool.Forward(Tensor.Zeros(1, 6, 3)));
    }
}
