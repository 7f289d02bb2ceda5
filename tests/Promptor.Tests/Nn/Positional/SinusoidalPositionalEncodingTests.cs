using Promptor.Nn.Positional;
using Promptor.Tensors;
using Promptor.Tests.Tensors;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Nn.Positional;

public class SinusoidalPositionalEncodingTests
{
    [Theory]
    [InlineData("sinusoidal_t7_d8_base10000")]
    [InlineData("sinusoidal_t5_d6_base100")]
    public void TableMatchesPyTorchFixture(string name)
    {
        var c = GoldenFixture.Case("positional", name);
        int length = c.Int("length"), d = c.Int("d_model");
        double @base = c.Number("base");
        Assert.Equal([length, d], c.Shape("pe"));

        var table = SinusoidalPositionalEncoding.Table(length, d, @base);
        Assert.Equal([length, d], table.Shape.ToArray());
        GoldenAssert.Close(c.Data("pe"), table.Data, 1e-6, 0, $"{name} Table");

        // The module's buffer covers more positions; its first rows are the same table.
        var module = new SinusoidalPositionalEncoding(d, length + 3, @base);
        GoldenAssert.Close(c.Data("pe"), module.Pe.Data.AsSpan(0, length * d), 1e-6, 0, $"{name} buffer");
    }

    [Fact]
    public void DefaultBaseIs10000()
    {
        var module = new SinusoidalPositionalEncoding(8, 7);
        Assert.Equal(10000, module.Base);
        var c = GoldenFixture.Case("positional", "sinusoidal_t7_d8_base10000");
        GoldenAssert.Close(c.Data("pe"), module.Pe.Data, 1e-6, 0, "default base");
    }

    [Fact]
    public void OddWidthAppliesTheFormulaToEveryColumn()
    {
        const int d = 7;
        const double b = 50;
        var table = SinusoidalPositionalEncoding.Table(9, d, b);
        for (int pos = 0; pos < 9; pos++)
        {
            for (int c = 0; c < d; c++)
            {
                double angle = pos / Math.Pow(b, 2.0 * (c / 2) / d);
                double expected = c % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle);
                Assert.Equal(expected, table[pos, c], 1e-6);
            }
        }
        // The unpaired last column is a sine: 0 at position 0.
        Assert.Equal(0f, table[0, d - 1]);
        Assert.NotEqual(0f, table[3, d - 1]);
    }

    [Fact]
    public void PeIsANonPersistentBufferAndNotAParameter()
    {
        var module = new SinusoidalPositionalEncoding(4, 10);
        Assert.Equal(["pe"], module.NamedBuffers().Select(b => b.Name));
        Assert.Same(module.Pe, module.NamedBuffers().Single().Buffer);
        Assert.Equal([10, 4], module.Pe.Shape.ToArray());
        Assert.Empty(module.StateDict());
        Assert.Empty(module.Parameters());
    }

    [Fact]
    public void ForwardAddsTheRowsAtTheOffset()
    {
        var module = new SinusoidalPositionalEncoding(6, 12, 100);
        var x = GradCheck.Random(1, 2, 4, 6);
        x.RequiresGrad = true;
        var y = module.Forward(x, 5);
        Assert.Equal(x.Shape, y.Shape);
        var table = SinusoidalPositionalEncoding.Table(12, 6, 100);
        for (int b = 0; b < 2; b++)
        {
            for (int t = 0; t < 4; t++)
            {
                for (int c = 0; c < 6; c++)
                {
                    Assert.Equal(x[b, t, c] + table[t + 5, c], y[b, t, c], 1e-6);
                }
            }
        }
        var w = GradCheck.Random(2, 2, 4, 6);
        y.Backward(w);
        Assert.Equal(w.Data, x.Grad!.Data);

        // Offset 0 through IModule.Forward.
        var y0 = module.Forward(x.Detach());
        Assert.Equal(x[1, 2, 3] + table[2, 3], y0[1, 2, 3], 1e-6);
    }

    [Fact]
    public void RejectsTooLongInputsWrongWidthAndBadBase()
    {
        var module = new SinusoidalPositionalEncoding(4, 6);
        var ex = Assert.Throws<ArgumentException>(() => module.Forward(Tensor.Zeros(1, 7, 4)));
        Assert.Contains("T = 7", ex.Message, StringComparison.Ordinal);
        Assert.Contains("maxLength = 6", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => module.Forward(Tensor.Zeros(1, 3, 4), 4));
        Assert.Throws<ArgumentException>(() => module.Forward(Tensor.Zeros(1, 3, 5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SinusoidalPositionalEncoding.Table(3, 4, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SinusoidalPositionalEncoding.Table(3, 4, double.NaN));
        Assert.Equal([0, 4], SinusoidalPositionalEncoding.Table(0, 4).Shape.ToArray());
    }
}
