using Promptor.Tensors;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Tensors;

public class LossTests
{
    public static TheoryData<string> GoldenCases() => GoldenTensors.Cases("losses");

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void LossMatchesPyTorch(string name)
    {
        var c = GoldenFixture.Case("losses", name);
        (Tensor loss, Tensor input, string gradName) = c.String("op") switch
        {
            "cross_entropy" => CrossEntropyCase(c),
            "bce_with_logits" => BceCase(c),
            "mse" => MseCase(c),
            "poisson_nll" => PoissonCase(c),
            var op => throw new InvalidDataException(op),
        };
        Assert.Equal(0, loss.Rank);
        GoldenTensors.AssertClose(c, "loss", loss);
        loss.Backward();
        GoldenTensors.AssertClose(c, gradName, input.Grad);
    }

    private static (Tensor, Tensor, string) CrossEntropyCase(GoldenCase c)
    {
        var logits = GoldenTensors.Get(c, "logits", requiresGrad: true);
        var loss = logits.CrossEntropy(c.Ints("targets"), c.Int("ignore_index"), (float)c.Number("label_smoothing"));
        return (loss, logits, "grad_logits");
    }

    private static (Tensor, Tensor, string) BceCase(GoldenCase c)
    {
        var logits = GoldenTensors.Get(c, "logits", requiresGrad: true);
        var loss = logits.BinaryCrossEntropyWithLogits(GoldenTensors.Get(c, "targets"), GoldenTensors.Optional(c, "pos_weight"));
        Assert.Equal(c.Bool("has_pos_weight"), c.Has("pos_weight"));
        return (loss, logits, "grad_logits");
    }

    private static (Tensor, Tensor, string) MseCase(GoldenCase c)
    {
        var pred = GoldenTensors.Get(c, "pred", requiresGrad: true);
        var mask = c.Bool("masked") ? GoldenTensors.Get(c, "mask") : null;
        return (pred.MseLoss(GoldenTensors.Get(c, "target"), mask), pred, "grad_pred");
    }

    private static (Tensor, Tensor, string) PoissonCase(GoldenCase c)
    {
        var input = GoldenTensors.Get(c, "input", requiresGrad: true);
        return (input.PoissonNllLoss(GoldenTensors.Get(c, "target")), input, "grad_input");
    }

    // ---- gradient checks ----------------------------------------------------------------------

    [Fact]
    public void MseGradCheck()
    {
        GradCheck.Check(xs => xs[0].MseLoss(xs[1]), [GradCheck.Random(1, 3, 4), GradCheck.Random(2, 3, 4)], name: "mse");
    }

    [Fact]
    public void MaskedMseGradCheck()
    {
        var mask = Tensor.RandomBernoulli(new Generator(3), new Shape(3, 4), 0.5f);
        mask.Data[0] = 1f;
        GradCheck.Check(xs => xs[0].MseLoss(xs[1], mask), [GradCheck.Random(1, 3, 4), GradCheck.Random(2, 3, 4)], name: "masked mse");
        // A mask that broadcasts over the columns.
        var rows = Tensor.FromArray([1f, 0f, 1f], 3, 1);
        GradCheck.Check(xs => xs[0].MseLoss(xs[1], rows), [GradCheck.Random(1, 3, 4), GradCheck.Random(2, 3, 4)], name: "row-masked mse");
    }

    [Fact]
    public void MaskedMseValueAndAllZeroMask()
    {
        var pred = new Tensor(new Shape(2, 2), [1f, 2f, 3f, 4f], requiresGrad: true);
        var target = Tensor.FromArray([0f, 0f, 0f, 0f], 2, 2);
        var mask = Tensor.FromArray([1f, 0f, 0f, 1f], 2, 2);
        Assert.Equal((1f + 16f) / 2f, pred.MseLoss(target, mask).Item());
        Assert.Equal((1f + 4f + 9f + 16f) / 4f, pred.MseLoss(target).Item());

        var empty = pred.MseLoss(target, Tensor.Zeros(2, 2));
        Assert.Equal(0f, empty.Item());
        empty.Backward();
        Assert.All(pred.Grad!.Data, g => Assert.Equal(0f, g));
    }

    [Fact]
    public void BceGradCheck()
    {
        var targets = GradCheck.Uniform(2, 0f, 1f, 4, 3);
        GradCheck.Check(xs => xs[0].BinaryCrossEntropyWithLogits(xs[1]), [GradCheck.Random(1, 4, 3), targets], name: "bce");
    }

    [Fact]
    public void BceWithPosWeightGradCheck()
    {
        GradCheck.Check(xs => xs[0].BinaryCrossEntropyWithLogits(xs[1], xs[2]),
            [GradCheck.Random(1, 4, 3), GradCheck.Uniform(2, 0f, 1f, 4, 3), GradCheck.Uniform(3, 0.5f, 3f, 3)],
            name: "bce pos_weight");
    }

    [Fact]
    public void BceIsFiniteForLargeLogits()
    {
        var logits = new Tensor(new Shape(4), [100f, -100f, 100f, -100f], requiresGrad: true);
        var loss = logits.BinaryCrossEntropyWithLogits(Tensor.FromArray([1f, 0f, 0f, 1f]));
        Assert.Equal(50f, loss.Item(), 4); // two perfect predictions, two that cost 100 each
        loss.Backward();
        float[] expected = [0f, 0f, 0.25f, -0.25f];
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], logits.Grad!.Data[i], 6);
        }
    }

    [Theory]
    [InlineData(0f, false)]
    [InlineData(0.1f, false)]
    [InlineData(0f, true)]
    [InlineData(0.2f, true)]
    public void CrossEntropyGradCheck(float smoothing, bool ignore)
    {
        int[] targets = ignore ? [2, -100, 0, 4, -100] : [2, 1, 0, 4, 3];
        GradCheck.Check(x => x.CrossEntropy(targets, labelSmoothing: smoothing), GradCheck.Random(1, 5, 5),
            name: $"cross entropy smoothing={smoothing} ignore={ignore}");
    }

    [Fact]
    public void CrossEntropyOverTrailingDimsGradCheck()
    {
        int[] targets = [0, 3, 1, 7, 2, 2, 0, 1, 3, 3, 1, 0];
        // (N, C, T1, T2) = (2, 4, 3, 2) with a custom ignore index.
        GradCheck.Check(x => x.CrossEntropy(targets, ignoreIndex: 7, labelSmoothing: 0.1f), GradCheck.Random(2, 2, 4, 3, 2),
            name: "cross entropy (N, C, T1, T2)");
    }

    [Fact]
    public void CrossEntropyMatchesLogSoftmaxComposite()
    {
        var logits = GradCheck.Random(5, 3, 6);
        int[] targets = [5, 0, 2];
        var fused = logits.CrossEntropy(targets).Item();
        var logp = logits.LogSoftmax();
        float composite = -(logp[0, 5] + logp[1, 0] + logp[2, 2]) / 3f;
        Assert.Equal(composite, fused, 5);
    }

    [Fact]
    public void CrossEntropyAcceptsOneUnbatchedRow()
    {
        var logits = Tensor.FromArray([1f, 2f, 0.5f]);
        float expected = -logits.LogSoftmax().Data[1];
        Assert.Equal(expected, logits.CrossEntropy([1]).Item(), 6);
        GradCheck.Check(x => x.CrossEntropy([2], labelSmoothing: 0.3f), GradCheck.Random(7, 4), name: "cross entropy (C)");
    }

    [Fact]
    public void CrossEntropyRejectsOutOfRangeTargetsNamingTheIndex()
    {
        var logits = Tensor.Zeros(3, 4);
        var ex = Assert.Throws<ArgumentException>(() => logits.CrossEntropy([0, 4, 1]));
        Assert.Contains("target 4 at index 1", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => logits.CrossEntropy([0, 1, -1]));
        Assert.Contains("index 2", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => logits.CrossEntropy([0, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => logits.CrossEntropy([0, 1, 2], labelSmoothing: 1.5f));
    }

    [Fact]
    public void CrossEntropyWithEveryTargetIgnoredIsZero()
    {
        var logits = new Tensor(new Shape(2, 3), GradCheck.Random(6, 2, 3).Data, requiresGrad: true);
        var loss = logits.CrossEntropy([-100, -100]);
        Assert.Equal(0f, loss.Item());
        loss.Backward();
        Assert.All(logits.Grad!.Data, g => Assert.Equal(0f, g));
    }

    [Fact]
    public void PoissonNllGradCheck()
    {
        GradCheck.Check(xs => xs[0].PoissonNllLoss(xs[1]), [GradCheck.Random(1, 3, 4), GradCheck.Uniform(2, 0f, 4f, 3, 4)], name: "poisson nll");
    }

    [Fact]
    public void LossShapeMismatchesThrow()
    {
        var a = Tensor.Zeros(2, 3);
        var ex = Assert.Throws<ArgumentException>(() => a.MseLoss(Tensor.Zeros(3, 2)));
        Assert.Contains("(3, 2)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => a.BinaryCrossEntropyWithLogits(Tensor.Zeros(2)));
        Assert.Throws<ArgumentException>(() => a.BinaryCrossEntropyWithLogits(Tensor.Zeros(2, 3), Tensor.Ones(2)));
        Assert.Throws<ArgumentException>(() => a.PoissonNllLoss(Tensor.Zeros(6)));
    }
}
