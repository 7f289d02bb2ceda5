using Promptor.Nn.Attention;
using Promptor.Nn.Layers;
using Promptor.Tensors;
using Promptor.Tests.Golden;
using Promptor.Tests.Tensors;

namespace Promptor.Tests.Nn.Layers;

public class GatedAttentionPoolTests
{
    private static readonly string[] Names =
        ["attention_V.weight", "attention_V.bias", "attention_U.weight", "attention_U.bias", "attention_w.weight", "attention_w.bias"];

    [Theory]
    [InlineData("gated_attention_pool")]
    [InlineData("gated_attention_pool_n3")]
    public void MatchesIlseGatedAttentionInPyTorch(string name)
    {
        var c = GoldenFixture.Case("film_pool", name);
        var pool = new GatedAttentionPool(c.Int("channels"), c.Int("hidden"), new Generator(1));
        Assert.Equal(Names, pool.NamedParameters().Select(p => p.Name));
        pool.LoadStateDict(Names.ToDictionary(n => n, n => NnTestUtil.Golden(c, n)));
        var h = NnTestUtil.Golden(c, "h");
        h.RequiresGrad = true;
        var (output, weights) = pool.ForwardWithWeights(h);
        output.Backward(NnTestUtil.Golden(c, "grad_out"));

        // attention_w.bias has an exact gradient of 0 (softmax ignores a shared shift); PyTorch leaves
        // float32 noise there, hence the absolute tolerance.
        const double Atol = 1e-6, Rtol = 1e-4;
        GoldenAssert.Close(c.Data("out"), output.Data, Atol, Rtol, name + " out");
        GoldenAssert.Close(c.Data("weights"), weights.Data, Atol, Rtol, name + " weights");
        GoldenAssert.Close(c.Data("grad_h"), h.Grad!.Data, Atol, Rtol, name + " grad_h");
        foreach (var (parameterName, p) in pool.NamedParameters())
        {
            GoldenAssert.Close(c.Data("grad_" + parameterName), p.Grad!.Data, Atol, Rtol, name + " grad_" + parameterName);
        }
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var pool = new GatedAttentionPool(4, 3, new Generator(2));
        var h = GradCheck.Random(1, 2, 5, 4);
        var padding = Tensor.FromArray([0, 0, 0, 0, 0, 0, 1, 0, 0, 1], 2, 5);
        GradCheck.Check(pool.Forward, h);
        GradCheck.Check(x => pool.ForwardWithWeights(x, padding).Output, h, name: "masked");
        ModuleGradCheck.Check(pool, () => pool.ForwardWithWeights(h, padding).Output);
    }

    [Fact]
    public void WeightsSumToOneAndPaddedInstancesGetZero()
    {
        var pool = new GatedAttentionPool(3, 4, new Generator(3));
        var h = GradCheck.Random(4, 2, 4, 3);
        var padding = Tensor.FromArray([0, 0, 0, 0, 0, 1, 1, 0], 2, 4);
        var (output, weights) = pool.ForwardWithWeights(h, padding);
        Assert.Equal([2, 3], output.Shape.ToArray());
        Assert.Equal([2, 4], weights.Shape.ToArray());
        Assert.All(weights.Sum(-1).ToArray(), s => Assert.Equal(1f, s, 5));
        Assert.Equal(0f, weights[1, 1]);
        Assert.Equal(0f, weights[1, 2]);
        // z is the weighted sum of the instances.
        for (int ch = 0; ch < 3; ch++)
        {
            float z = 0;
            for (int i = 0; i < 4; i++)
            {
                z += weights[1, i] * h[1, i, ch];
            }
            Assert.Equal(z, output[1, ch], 5);
        }
    }

    [Fact]
    public void AllPaddedBagGetsUniformWeights()
    {
        var pool = new GatedAttentionPool(3, 2, new Generator(4));
        var (_, weights) = pool.ForwardWithWeights(GradCheck.Random(5, 1, 4, 3), Tensor.Ones(1, 4));
        Assert.All(weights.ToArray(), w => Assert.Equal(0.25f, w, 6));
        Assert.Equal(-1e6f, AttentionPooling.MaskValue);
    }

    [Fact]
    public void BadShapesThrow()
    {
        var pool = new GatedAttentionPool(3, 2, new Generator(4));
        Assert.Throws<ArgumentException>(() => pool.Forward(Tensor.Zeros(1, 4, 2)));
        Assert.Throws<ArgumentException>(() => pool.Forward(Tensor.Zeros(4, 3)));
        Assert.Throws<ArgumentException>(() => pool.ForwardWithWeights(Tensor.Zeros(1, 4, 3), Tensor.Zeros(1, 3)));
    }
}
