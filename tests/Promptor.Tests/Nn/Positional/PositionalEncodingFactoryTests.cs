using Promptor.Nn.Positional;
using Promptor.Tensors;
using Promptor.Tests.Tensors;

namespace Promptor.Tests.Nn.Positional;

public class PositionalEncodingFactoryTests
{
    [Theory]
    [InlineData(PositionalEncodingKind.None, typeof(NoPositionalEncoding))]
    [InlineData(PositionalEncodingKind.Relative, typeof(NoPositionalEncoding))]
    [InlineData(PositionalEncodingKind.Sinusoidal, typeof(SinusoidalPositionalEncoding))]
    [InlineData(PositionalEncodingKind.Learned, typeof(LearnedPositionalEmbedding))]
    public void CreatesTheModuleForEachKind(PositionalEncodingKind kind, Type expected)
    {
        var pe = PositionalEncoding.Create(kind, 6, 10, new Generator(1));
        Assert.IsType(expected, pe);
        var x = GradCheck.Random(2, 2, 10, 6);
        Assert.Equal(x.Shape, pe.Forward(x).Shape);
    }

    [Fact]
    public void SinusoidalUsesTheGivenBase()
    {
        var pe = Assert.IsType<SinusoidalPositionalEncoding>(PositionalEncoding.Create(PositionalEncodingKind.Sinusoidal, 6, 5, @base: 100));
        Assert.Equal(100, pe.Base);
        Assert.Equal(SinusoidalPositionalEncoding.Table(5, 6, 100).Data, pe.Pe.Data);
    }

    [Fact]
    public void NoneIsTheIdentity()
    {
        var pe = PositionalEncoding.Create(PositionalEncodingKind.None, 4, 3);
        var x = GradCheck.Random(3, 2, 50, 4);
        Assert.Same(x, pe.Forward(x));
        Assert.Same(x, pe.Forward(x, 17));
        Assert.Empty(pe.Parameters());
        Assert.Empty(pe.NamedBuffers());
    }

    [Fact]
    public void LearnedNeedsAGenerator()
    {
        Assert.Throws<ArgumentNullException>(() => PositionalEncoding.Create(PositionalEncodingKind.Learned, 4, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => PositionalEncoding.Create((PositionalEncodingKind)42, 4, 3));
    }
}
