using Promptor.Nn.Attention;
using Promptor.Nn.Layers;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Training;

/// <summary>The Reseed hooks the trainer uses for exact resume.</summary>
public class ReseedTests
{
    [Fact]
    public void ReseededDropoutRepeatsItsMasks()
    {
        var dropout = new Dropout(0.5f, new Generator(1));
        var x = Tensor.Ones(64);
        dropout.Reseed(42);
        var first = dropout.Forward(x).ToArray();
        var second = dropout.Forward(x).ToArray();
        dropout.Reseed(42);
        Assert.Equal(first, dropout.Forward(x).ToArray());
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void ReseededAttentionDropoutRepeatsItsMasks()
    {
        var attention = new MultiHeadAttention(new MultiHeadAttentionOptions { EmbedDim = 8, Heads = 2, Dropout = 0.5f }, new Generator(1));
        var x = Tensor.RandomNormal(new Generator(2), new Shape(2, 5, 8));
        attention.Reseed(7);
        var first = attention.Forward(x).ToArray();
        var second = attention.Forward(x).ToArray();
        attention.Reseed(7);
        Assert.Equal(first, attention.Forward(x).ToArray());
        Assert.NotEqual(first, second);
    }
}
