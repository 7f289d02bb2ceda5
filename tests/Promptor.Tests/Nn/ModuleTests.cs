using Promptor.Nn;
using Promptor.Nn.Layers;
using Promptor.Tensors;

namespace Promptor.Tests.Nn;

public class ModuleTests
{
    private sealed class Block : Module, IModule
    {
        public Block(Generator g)
        {
            Fc = RegisterModule("fc", new Linear(3, 3, g));
            Scale = RegisterParameter("scale", new Parameter(Tensor.Ones(3)));
            Running = RegisterBuffer("running", Tensor.Zeros(3));
            Cache = RegisterBuffer("cache", Tensor.Zeros(2), persistent: false);
        }

        public Linear Fc { get; }

        public Parameter Scale { get; }

        public Tensor Running { get; }

        public Tensor Cache { get; }

        public Tensor Forward(Tensor input) => Fc.Forward(input) * Scale;
    }

    private sealed class Net : Module
    {
        public Net(ulong seed)
        {
            var g = new Generator(seed);
            Alpha = RegisterParameter("alpha", new Parameter(Tensor.Full(0.5f)));
            Emb = RegisterModule("emb", new Embedding(5, 3, g));
            Blocks = RegisterModule("blocks", new Sequential(new Block(g), new Block(g)));
        }

        public Parameter Alpha { get; }

        public Embedding Emb { get; }

        public Sequential Blocks { get; }

        public Tensor Forward(int[] ids) => Blocks.Forward(Emb.Forward(ids)) * Alpha;
    }

    private sealed class Tied : Module
    {
        public Tied(Generator g)
        {
            Emb = RegisterModule("emb", new Embedding(4, 2, g));
            RegisterParameter("head_weight", Emb.Weight);
        }

        public Embedding Emb { get; }
    }

    [Fact]
    public void NamedParametersFollowPyTorchOrderAndNames()
    {
        var names = new Net(1).NamedParameters().Select(p => p.Name).ToArray();
        Assert.Equal(
        [
            "alpha", "emb.weight",
            "blocks.0.scale", "blocks.0.fc.weight", "blocks.0.fc.bias",
            "blocks.1.scale", "blocks.1.fc.weight", "blocks.1.fc.bias",
        ], names);
    }

    [Fact]
    public void BuffersAndStateDict()
    {
        var net = new Net(1);
        Assert.Equal(["blocks.0.running", "blocks.0.cache", "blocks.1.running", "blocks.1.cache"], net.NamedBuffers().Select(b => b.Name));
        Assert.Equal(
        [
            "alpha", "emb.weight",
            "blocks.0.scale", "blocks.0.running", "blocks.0.fc.weight", "blocks.0.fc.bias",
            "blocks.1.scale", "blocks.1.running", "blocks.1.fc.weight", "blocks.1.fc.bias",
        ], net.StateDict().Keys);
        var block = (Block)net.Blocks[1];
        Assert.Same(block.Running, net.StateDict()["blocks.1.running"]);
    }

    [Fact]
    public void ParameterCountAndParameters()
    {
        var net = new Net(1);
        long expected = 1 + 5 * 3 + 2 * (3 + 3 * 3 + 3);
        Assert.Equal(expected, net.ParameterCount);
        Assert.All(net.Parameters(), p => Assert.True(p.RequiresGrad));
        Assert.Equal(8, net.Parameters().Count());
    }

    [Fact]
    public void SharedParameterIsListedOnceButSavedUnderBothNames()
    {
        var tied = new Tied(new Generator(3));
        // A module's own parameters come before its children's, so the tied weight is named by the parent.
        Assert.Equal(["head_weight"], tied.NamedParameters().Select(p => p.Name));
        Assert.Equal(8, tied.ParameterCount);
        Assert.Equal(["head_weight", "emb.weight"], tied.StateDict().Keys);
    }

    [Fact]
    public void StateDictRoundTripCopiesValues()
    {
        var source = new Net(1);
        var target = new Net(2);
        int[] ids = [0, 3, 4];
        Assert.NotEqual(source.Forward(ids).ToArray(), target.Forward(ids).ToArray());

        var result = target.LoadStateDict(source.StateDict());
        Assert.Empty(result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
        foreach (var (name, t) in source.StateDict())
        {
            Assert.Equal(t.ToArray(), target.StateDict()[name].ToArray());
        }
        Assert.Equal(source.Forward(ids).ToArray(), target.Forward(ids).ToArray());

        // Copied, not aliased.
        source.Emb.Weight.Data[0] += 1f;
        Assert.NotEqual(source.Emb.Weight.Data[0], target.Emb.Weight.Data[0]);
    }

    [Fact]
    public void StrictLoadReportsMissingAndUnexpectedAndChangesNothing()
    {
        var net = new Net(1);
        var before = net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        var dict = new Net(2).StateDict();
        dict.Remove("blocks.1.fc.bias");
        dict["blocks.9.extra"] = Tensor.Zeros(2);

        var ex = Assert.Throws<StateDictMismatchException>(() => net.LoadStateDict(dict));
        Assert.Equal(["blocks.1.fc.bias"], ex.MissingKeys);
        Assert.Equal(["blocks.9.extra"], ex.UnexpectedKeys);
        Assert.Empty(ex.ShapeMismatches);
        Assert.Contains("'blocks.1.fc.bias'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'blocks.9.extra'", ex.Message, StringComparison.Ordinal);
        foreach (var (name, t) in net.StateDict())
        {
            Assert.Equal(before[name], t.ToArray());
        }

        var result = net.LoadStateDict(dict, strict: false);
        Assert.Equal(["blocks.1.fc.bias"], result.MissingKeys);
        Assert.Equal(["blocks.9.extra"], result.UnexpectedKeys);
        Assert.Equal(dict["emb.weight"].ToArray(), net.Emb.Weight.ToArray());
        Assert.Equal(before["blocks.1.fc.bias"], net.StateDict()["blocks.1.fc.bias"].ToArray());
    }

    [Fact]
    public void ShapeMismatchThrowsEvenWhenNotStrict()
    {
        var net = new Net(1);
        var dict = new Net(2).StateDict();
        dict["blocks.0.fc.weight"] = Tensor.Zeros(3, 4);
        var before = net.Emb.Weight.ToArray();
        foreach (bool strict in new[] { true, false })
        {
            var ex = Assert.Throws<StateDictMismatchException>(() => net.LoadStateDict(dict, strict));
            Assert.Single(ex.ShapeMismatches);
            Assert.Contains("blocks.0.fc.weight: checkpoint (3, 4), module (3, 3)", ex.Message, StringComparison.Ordinal);
        }
        Assert.Equal(before, net.Emb.Weight.ToArray());
    }

    [Fact]
    public void TrainEvalPropagatesToEveryDescendant()
    {
        var net = new Net(1);
        Assert.All(net.NamedModules(), m => Assert.True(m.Module.IsTraining));
        Assert.Same(net, net.Eval());
        Assert.Equal(7, net.NamedModules().Count());
        Assert.All(net.NamedModules(), m => Assert.False(m.Module.IsTraining));
        net.Blocks.Train();
        Assert.False(net.IsTraining);
        Assert.True(net.Blocks[0].IsTraining);
        Assert.True(((Block)net.Blocks[1]).Fc.IsTraining);
        net.Train();
        Assert.All(net.NamedModules(), m => Assert.True(m.Module.IsTraining));
    }

    [Fact]
    public void NamedModulesUsesDottedPaths()
    {
        Assert.Equal(["", "emb", "blocks", "blocks.0", "blocks.0.fc", "blocks.1", "blocks.1.fc"],
            new Net(1).NamedModules().Select(m => m.Name));
    }

    [Fact]
    public void ZeroGradDropsEveryGradient()
    {
        var net = new Net(1);
        net.Forward([1, 2]).Sum().Backward();
        Assert.All(net.Parameters(), p => Assert.True(p.HasGrad));
        net.ZeroGrad();
        Assert.All(net.Parameters(), p => Assert.False(p.HasGrad));
    }

    [Fact]
    public void RegistrationRejectsBadNames()
    {
        Assert.Throws<ArgumentException>(() => new Sequential(("a.b", new Relu())));
        Assert.Throws<ArgumentException>(() => new Sequential(("x", new Relu()), ("x", new Relu())));
        Assert.Throws<ArgumentException>(() => new Sequential(("", new Relu())));
    }

    [Fact]
    public void ToStringShowsTheTree()
    {
        var text = new Sequential(("fc1", new Linear(8, 16, new Generator(1))), ("act", new Gelu())).ToString();
        Assert.Equal("Sequential(\n  (fc1): Linear(in=8, out=16, bias=True)\n  (act): Gelu()\n)", text);
    }
}
