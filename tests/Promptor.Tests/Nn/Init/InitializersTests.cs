using Promptor.Nn.Init;
using Promptor.Tensors;

namespace Promptor.Tests.Nn.Init;

public class InitializersTests
{
    // (out, in) = (512, 256): fan_in 256, fan_out 512, 131072 samples, so the sample standard
    // deviation is within ~0.6% (3σ) of the truth and a 2% tolerance still catches a wrong gain.
    private const int Out = 512, In = 256;

    private static (double Mean, double Std, float Min, float Max) Stats(Tensor t)
    {
        double mean = t.Data.Average(v => (double)v);
        double std = Math.Sqrt(t.Data.Average(v => ((double)v - mean) * ((double)v - mean)));
        return (mean, std, t.Data.Min(), t.Data.Max());
    }

    private static void AssertUniform(Tensor t, double bound)
    {
        var (mean, std, min, max) = Stats(t);
        Assert.True(min >= -bound && max <= bound, $"values [{min}, {max}] outside ±{bound}");
        Assert.True(min < -0.99 * bound && max > 0.99 * bound, $"values [{min}, {max}] do not fill ±{bound}");
        Assert.InRange(std, 0.98 * bound / Math.Sqrt(3), 1.02 * bound / Math.Sqrt(3));
        Assert.InRange(mean, -0.01 * bound, 0.01 * bound);
    }

    private static void AssertNormal(Tensor t, double expectedStd)
    {
        var (mean, std, _, _) = Stats(t);
        Assert.InRange(std, 0.98 * expectedStd, 1.02 * expectedStd);
        Assert.InRange(mean, -0.01 * expectedStd, 0.01 * expectedStd);
    }

    [Fact]
    public void XavierUniformBound()
    {
        var t = Initializers.XavierUniform(Tensor.Zeros(Out, In), new Generator(1));
        AssertUniform(t, Math.Sqrt(6.0 / (In + Out)));
        var gained = Initializers.XavierUniform(Tensor.Zeros(Out, In), new Generator(1), gain: Initializers.CalculateGain(Nonlinearity.Tanh));
        AssertUniform(gained, 5.0 / 3.0 * Math.Sqrt(6.0 / (In + Out)));
    }

    [Fact]
    public void XavierNormalStd()
    {
        var t = Initializers.XavierNormal(Tensor.Zeros(Out, In), new Generator(2));
        AssertNormal(t, Math.Sqrt(2.0 / (In + Out)));
    }

    [Fact]
    public void KaimingUniformDefaultsAndModes()
    {
        // Defaults: a = 0, fan_in, leaky_relu → gain √2, bound √3·√2/√fan_in.
        AssertUniform(Initializers.KaimingUniform(Tensor.Zeros(Out, In), new Generator(3)), Math.Sqrt(6.0 / In));
        AssertUniform(Initializers.KaimingUniform(Tensor.Zeros(Out, In), new Generator(3), mode: FanMode.FanOut), Math.Sqrt(6.0 / Out));
        // PyTorch's Linear: a = √5 → bound 1/√fan_in.
        AssertUniform(Initializers.KaimingUniform(Tensor.Zeros(Out, In), new Generator(3), a: Math.Sqrt(5)), 1 / Math.Sqrt(In));
        AssertUniform(Initializers.KaimingUniform(Tensor.Zeros(Out, In), new Generator(3), nonlinearity: Nonlinearity.Linear), Math.Sqrt(3.0 / In));
    }

    [Fact]
    public void KaimingNormalStd()
    {
        AssertNormal(Initializers.KaimingNormal(Tensor.Zeros(Out, In), new Generator(4), nonlinearity: Nonlinearity.Relu), Math.Sqrt(2.0 / In));
        AssertNormal(Initializers.KaimingNormal(Tensor.Zeros(Out, In), new Generator(4), mode: FanMode.FanOut, nonlinearity: Nonlinearity.Relu), Math.Sqrt(2.0 / Out));
        AssertNormal(Initializers.KaimingNormal(Tensor.Zeros(Out, In), new Generator(4), nonlinearity: Nonlinearity.Tanh), 5.0 / 3.0 / Math.Sqrt(In));
    }

    [Fact]
    public void ConvolutionFansIncludeTheReceptiveField()
    {
        Assert.Equal((32L * 5, 64L * 5), Initializers.CalculateFans(new Shape(64, 32, 5)));
        Assert.Equal((3L, 4L), Initializers.CalculateFans(new Shape(4, 3)));
        Assert.Throws<ArgumentException>(() => Initializers.CalculateFans(new Shape(4)));
        Assert.Throws<ArgumentException>(() => Initializers.XavierUniform(Tensor.Zeros(8), new Generator(1)));
        // A conv weight (Cout 128, Cin 32, K 8): fan_in 256.
        AssertNormal(Initializers.KaimingNormal(Tensor.Zeros(128, 32, 8), new Generator(5), nonlinearity: Nonlinearity.Relu), Math.Sqrt(2.0 / 256));
    }

    [Fact]
    public void GainsMatchTorchCalculateGain()
    {
        Assert.Equal(1.0, Initializers.CalculateGain(Nonlinearity.Linear));
        Assert.Equal(1.0, Initializers.CalculateGain(Nonlinearity.Sigmoid));
        Assert.Equal(5.0 / 3.0, Initializers.CalculateGain(Nonlinearity.Tanh));
        Assert.Equal(Math.Sqrt(2), Initializers.CalculateGain(Nonlinearity.Relu));
        Assert.Equal(Math.Sqrt(2 / (1 + 0.01 * 0.01)), Initializers.CalculateGain(Nonlinearity.LeakyRelu), 12);
        Assert.Equal(Math.Sqrt(2 / (1 + 0.2 * 0.2)), Initializers.CalculateGain(Nonlinearity.LeakyRelu, 0.2), 12);
        Assert.Equal(Math.Sqrt(2), Initializers.CalculateGain(Nonlinearity.LeakyRelu, 0), 12);
        Assert.Equal(0.75, Initializers.CalculateGain(Nonlinearity.Selu));
    }

    [Fact]
    public void UniformNormalAndConstants()
    {
        var u = Initializers.Uniform(Tensor.Zeros(100_000), new Generator(6), -2, 3);
        Assert.True(u.Data.Min() >= -2 && u.Data.Max() < 3);
        Assert.InRange(u.Data.Average(v => (double)v), 0.45, 0.55);
        AssertNormal(Initializers.Normal(Tensor.Zeros(100_000), new Generator(7), 0, 0.02), 0.02);
        var shifted = Initializers.Normal(Tensor.Zeros(100_000), new Generator(7), 5, 2);
        Assert.InRange(Stats(shifted).Mean, 4.97, 5.03);
        Assert.All(Initializers.Constant(Tensor.Zeros(3, 2), 0.25f).Data, v => Assert.Equal(0.25f, v));
        Assert.All(Initializers.Ones(Tensor.Zeros(4)).Data, v => Assert.Equal(1f, v));
        Assert.All(Initializers.Zeros(Tensor.Ones(4)).Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void SeededInitialisationIsReproducible()
    {
        var a = Initializers.KaimingUniform(Tensor.Zeros(16, 8), new Generator(42));
        var b = Initializers.KaimingUniform(Tensor.Zeros(16, 8), new Generator(42));
        var c = Initializers.KaimingUniform(Tensor.Zeros(16, 8), new Generator(43));
        Assert.Equal(a.ToArray(), b.ToArray());
        Assert.NotEqual(a.ToArray(), c.ToArray());
    }

    [Fact]
    public void InitialisingAParameterRecordsNothing()
    {
        var p = new Promptor.Nn.Parameter(new Shape(4, 4));
        Initializers.XavierNormal(p, new Generator(1));
        Assert.True(p.IsLeaf);
        Assert.False(p.HasGrad);
        Assert.True(p.RequiresGrad);
    }
}
