using Promptor.Nn;
using Promptor.Nn.Layers;
using Promptor.Nn.Optim;
using Promptor.Nn.Serialization;
using Promptor.Tensors;

namespace Promptor.Tests.Nn.Optim;

public class OptimizerTests
{
    [Fact]
    public void WeightDecayGroupsSplitByRank()
    {
        var g = new Generator(1);
        var model = new Sequential(new Linear(3, 4, g), new Relu(), new Linear(4, 2, g, bias: false));
        var groups = ParameterGroups.WithWeightDecay(model, 0.1);
        Assert.Equal(["decay", "no_decay"], groups.Select(x => x.Name));
        Assert.Equal(0.1, groups[0].WeightDecay);
        Assert.Equal(0.0, groups[1].WeightDecay);
        var seq = model;
        Assert.Equal(new Tensor[] { ((Linear)seq[0]).Weight, ((Linear)seq[2]).Weight }, groups[0].Parameters);
        Assert.Equal(new Tensor[] { ((Linear)seq[0]).Bias! }, groups[1].Parameters);
    }

    [Fact]
    public void AdamWDecaysWeightsButNotBiases()
    {
        var fc = new Linear(3, 2, new Generator(1));
        var w0 = fc.Weight.ToArray();
        var b0 = fc.Bias!.ToArray();
        var optimizer = new AdamW(ParameterGroups.WithWeightDecay(fc, 0.1), learningRate: 0.01);
        NnTestUtil.SetGrad(fc.Weight, new float[6]);
        NnTestUtil.SetGrad(fc.Bias, new float[2]);
        optimizer.Step();
        Assert.Equal(b0, fc.Bias.ToArray());
        for (int i = 0; i < w0.Length; i++)
        {
            Assert.Equal(w0[i] * (float)(1 - 0.01 * 0.1), fc.Weight.Data[i], 7);
            Assert.NotEqual(w0[i], fc.Weight.Data[i]);
        }
    }

    [Fact]
    public void GroupsHaveTheirOwnLearningRateAndOptions()
    {
        var a = new Parameter(Tensor.Ones(2));
        var b = new Parameter(Tensor.Ones(2));
        var sgd = new Sgd(
            [new ParamGroup([a]), new ParamGroup([b]) { LearningRate = 0.5, Options = new SgdOptions { Momentum = 0.9 } }],
            learningRate: 0.1);
        Assert.Equal(["0", "1"], sgd.Groups.Select(x => x.Name));
        Assert.Equal(0.1, sgd.Groups[0].BaseLearningRate);
        Assert.Equal(0.5, sgd.Groups[1].LearningRate);
        for (int step = 0; step < 2; step++)
        {
            NnTestUtil.SetGrad(a, [1, 1]);
            NnTestUtil.SetGrad(b, [1, 1]);
            sgd.Step();
        }
        Assert.Equal(1 - 0.1f - 0.1f, a.Data[0], 6);
        Assert.Equal(1 - 0.5f - 0.5f * 1.9f, b.Data[0], 6); // buf = 1, then 0.9·1 + 1
    }

    [Fact]
    public void ParametersWithoutGradientsAreSkipped()
    {
        var a = new Parameter(Tensor.Ones(2));
        var b = new Parameter(Tensor.Ones(2));
        var adam = new Adam([a, b], learningRate: 0.1);
        NnTestUtil.SetGrad(a, [1, -1]);
        adam.Step();
        Assert.Equal([1, 1], b.ToArray());
        Assert.NotEqual(1f, a.Data[0]);
        var state = adam.GetState();
        Assert.Equal(1, state.Scalars["state.0.step"]);
        Assert.False(state.Scalars.ContainsKey("state.1.step"));
        adam.ZeroGrad();
        Assert.False(a.HasGrad);
    }

    [Fact]
    public void InvalidGroupsAreRejected()
    {
        var a = new Parameter(Tensor.Ones(2));
        Assert.Throws<ArgumentException>(() => new Adam([new ParamGroup([a]), new ParamGroup([a])]));
        Assert.Throws<ArgumentException>(() => new Adam([new ParamGroup([a]) { Options = new SgdOptions() }]));
        Assert.Throws<ArgumentException>(() => new Sgd([a], 0.1, momentum: 0, nesterov: true));
        Assert.Throws<ArgumentException>(() => new Adam([a], beta1: 1.0));
        Assert.Throws<ArgumentException>(() => new Adam(Array.Empty<ParamGroup>()));
        Assert.ThrowsAny<ArgumentException>(() => new Sgd([a], -1));
        var nonLeaf = new Parameter(Tensor.Ones(2)) * 2f;
        Assert.Throws<ArgumentException>(() => new Sgd([nonLeaf], 0.1));
    }

    private static (Parameter A, Parameter B) TwoParams() =>
        (new Parameter(Tensor.FromArray([1, -2, 3, 0.5f], 2, 2)), new Parameter(Tensor.FromArray([0.1f, 0.2f])));

    private static void Feed(Optimizer optimizer, Parameter a, Parameter b, int step)
    {
        NnTestUtil.SetGrad(a, [0.3f * step, -0.1f, 0.2f, 1f / (step + 1)]);
        NnTestUtil.SetGrad(b, [step, -step]);
        optimizer.Step();
    }

    public static TheoryData<string> OptimizerKinds() => ["sgd", "adam", "adamw"];

    private static Optimizer Make(string kind, Parameter a, Parameter b) => kind switch
    {
        "sgd" => new Sgd([a, b], 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        "adam" => new Adam([a, b], 0.01, weightDecay: 0.1),
        _ => new AdamW(ParameterGroups.WithWeightDecay([("a", (Tensor)a), ("b", b)], 0.1), 0.01),
    };

    [Theory]
    [MemberData(nameof(OptimizerKinds))]
    public void ResumingFromSavedStateMatchesAnUninterruptedRun(string kind)
    {
        var (a1, b1) = TwoParams();
        var straight = Make(kind, a1, b1);
        for (int s = 0; s < 5; s++)
        {
            Feed(straight, a1, b1, s);
        }

        var (a2, b2) = TwoParams();
        var first = Make(kind, a2, b2);
        for (int s = 0; s < 3; s++)
        {
            Feed(first, a2, b2, s);
        }
        string dir = NnTestUtil.NewTempDirectory();
        try
        {
            string path = Path.Combine(dir, "optim.safetensors");
            OptimizerCheckpoint.Save(path, first, new Dictionary<string, string> { ["epoch"] = "3" });
            var a3 = new Parameter(a2.Clone());
            var b3 = new Parameter(b2.Clone());
            var resumed = Make(kind, a3, b3);
            var extra = OptimizerCheckpoint.Load(path, resumed);
            Assert.Equal("3", extra["epoch"]);
            Assert.Equal(3, resumed.StepCount);
            for (int s = 3; s < 5; s++)
            {
                Feed(resumed, a3, b3, s);
            }
            Assert.Equal(a1.ToArray(), a3.ToArray());
            Assert.Equal(b1.ToArray(), b3.ToArray());
        }
        finally
        {
            NnTestUtil.DeleteDirectory(dir);
        }
    }

    [Fact]
    public void StateNamesFollowPyTorch()
    {
        var (a, b) = TwoParams();
        var adam = Make("adam", a, b);
        Feed(adam, a, b, 1);
        var state = adam.GetState();
        Assert.Equal(["state.0.exp_avg", "state.0.exp_avg_sq", "state.1.exp_avg", "state.1.exp_avg_sq"], state.Tensors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([2, 2], state.Tensors["state.0.exp_avg"].Shape.ToArray());
        Assert.Equal(0.01, state.Scalars["group.0.lr"]);
        Assert.Equal(1, state.Scalars["step_count"]);

        var sgd = Make("sgd", a, b);
        Feed(sgd, a, b, 1);
        Assert.Equal(["state.0.momentum_buffer", "state.1.momentum_buffer"], sgd.GetState().Tensors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LoadingMismatchedStateThrowsAndChangesNothing()
    {
        var (a, b) = TwoParams();
        var adam = Make("adam", a, b);
        Feed(adam, a, b, 1);
        var good = adam.GetState();

        var wrongShape = new OptimizerState(new(good.Tensors) { ["state.1.exp_avg"] = Tensor.Zeros(3) }, new(good.Scalars));
        Assert.Throws<ArgumentException>(() => adam.LoadState(wrongShape));
        var unknownBuffer = new OptimizerState(new(good.Tensors) { ["state.0.momentum_buffer"] = Tensor.Zeros(2, 2) }, new(good.Scalars));
        Assert.Throws<ArgumentException>(() => adam.LoadState(unknownBuffer));
        var badIndex = new OptimizerState(new(good.Tensors), new(good.Scalars) { ["state.7.step"] = 1 });
        Assert.Throws<ArgumentException>(() => adam.LoadState(badIndex));
        var unknownScalar = new OptimizerState(new(good.Tensors), new(good.Scalars) { ["momentum"] = 1 });
        Assert.Throws<ArgumentException>(() => adam.LoadState(unknownScalar));

        var after = adam.GetState();
        Assert.Equal(good.Scalars, after.Scalars);
        Assert.Equal(good.Tensors["state.0.exp_avg"].ToArray(), after.Tensors["state.0.exp_avg"].ToArray());
    }
}
