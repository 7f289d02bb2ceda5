using Promptor.Nn;
using Promptor.Nn.Layers;
using Promptor.Tensors;

namespace Promptor.Tests.Nn.Layers;

public class SequentialTests
{
    [Fact]
    public void ChainsLayersAndNamesThemByPosition()
    {
        var g = new Generator(1);
        var fc1 = new Linear(2, 3, g);
        var fc2 = new Linear(3, 1, g);
        var seq = new Sequential(fc1, new Relu(), fc2);
        Assert.Equal(3, seq.Count);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], seq.NamedParameters().Select(p => p.Name));
        var x = Tensor.FromArray([1, -2, 0.5f, 3], 2, 2);
        Assert.Equal(fc2.Forward(fc1.Forward(x).Relu()).ToArray(), seq.Forward(x).ToArray());
    }

    [Fact]
    public void EmptyChainIsTheIdentity()
    {
        var x = Tensor.FromArray([1f, 2f]);
        Assert.Same(x, new Sequential().Forward(x));
        Assert.Equal(0, new Sequential().Count);
    }

    [Fact]
    public void RejectsModulesWithoutSingleTensorForward()
    {
        Assert.Throws<ArgumentException>(() => new Sequential(new Embedding(3, 2, new Generator(1))));
    }

    [Fact]
    public void ActivationsMatchOps()
    {
        var x = Tensor.FromArray([-2, -0.5f, 0.5f, 3]);
        Assert.Equal(x.Relu().ToArray(), new Relu().Forward(x).ToArray());
        Assert.Equal(x.Gelu().ToArray(), new Gelu().Forward(x).ToArray());
        Assert.Equal(x.Gelu(approximateTanh: true).ToArray(), new Gelu(approximateTanh: true).Forward(x).ToArray());
        Assert.Empty(new Gelu().NamedParameters());
        IModule m = new Relu();
        Func<Tensor, Tensor> f = m.Forward;
        Assert.Equal(0f, f(Tensor.FromArray([-1f])).Item());
    }
}
