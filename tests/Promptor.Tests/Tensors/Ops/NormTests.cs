using Promptor.Tensors;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Tensors;

public class NormTests
{
    public static TheoryData<string> LayerNormCases() => GoldenTensors.Cases("layer_norm");

    public static TheoryData<string> GroupNormCases() => GoldenTensors.Cases("group_norm");

    public static TheoryData<string> BatchNormCases() => GoldenTensors.Cases("batch_norm");

    [Theory]
    [MemberData(nameof(LayerNormCases))]
    public void LayerNormMatchesPyTorch(string name)
    {
        var c = GoldenFixture.Case("layer_norm", name);
        var x = GoldenTensors.Get(c, "x", requiresGrad: true);
        var w = GoldenTensors.Get(c, "weight", requiresGrad: true);
        var b = GoldenTensors.Get(c, "bias", requiresGrad: true);
        var y = x.LayerNorm(w, b, (float)c.Number("eps"));
        GoldenTensors.AssertClose(c, "out", y);
        y.Backward(GoldenTensors.Get(c, "grad_out"));
        GoldenTensors.AssertClose(c, "grad_x", x.Grad);
        GoldenTensors.AssertClose(c, "grad_weight", w.Grad);
        GoldenTensors.AssertClose(c, "grad_bias", b.Grad);
    }

    [Theory]
    [MemberData(nameof(GroupNormCases))]
    public void GroupNormMatchesPyTorch(string name)
    {
        var c = GoldenFixture.Case("group_norm", name);
        var x = GoldenTensors.Get(c, "x", requiresGrad: true);
        var w = GoldenTensors.Get(c, "weight", requiresGrad: true);
        var b = GoldenTensors.Get(c, "bias", requiresGrad: true);
        var y = x.GroupNorm(c.Int("groups"), w, b, (float)c.Number("eps"));
        GoldenTensors.AssertClose(c, "out", y);
        y.Backward(GoldenTensors.Get(c, "grad_out"));
        GoldenTensors.AssertClose(c, "grad_x", x.Grad);
        GoldenTensors.AssertClose(c, "grad_weight", w.Grad);
        GoldenTensors.AssertClose(c, "grad_bias", b.Grad);
    }

    [Theory]
    [MemberData(nameof(BatchNormCases))]
    public void BatchNormMatchesPyTorchIncludingRunningStats(string name)
    {
        var c = GoldenFixture.Case("batch_norm", name);
        var x = GoldenTensors.Get(c, "x", requiresGrad: true);
        var w = GoldenTensors.Get(c, "weight", requiresGrad: true);
        var b = GoldenTensors.Get(c, "bias", requiresGrad: true);
        var runningMean = GoldenTensors.Get(c, "running_mean");
        var runningVar = GoldenTensors.Get(c, "running_var");
        var y = x.BatchNorm(w, b, runningMean, runningVar, c.Bool("training"), (float)c.Number("momentum"), (float)c.Number("eps"));
        GoldenTensors.AssertClose(c, "out", y);
        GoldenTensors.AssertClose(c, "running_mean_after", runningMean);
        GoldenTensors.AssertClose(c, "running_var_after", runningVar);
        y.Backward(GoldenTensors.Get(c, "grad_out"));
        GoldenTensors.AssertClose(c, "grad_x", x.Grad);
        GoldenTensors.AssertClose(c, "grad_weight", w.Grad);
        GoldenTensors.AssertClose(c, "grad_bias", b.Grad);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void LayerNormGradCheck(bool withGamma, bool withBeta)
    {
        var inputs = new List<Tensor> { GradCheck.Random(1, 2, 3, 6) };
        if (withGamma)
        {
            inputs.Add(GradCheck.Uniform(2, 0.5f, 1.5f, 6));
        }
        if (withBeta)
        {
            inputs.Add(GradCheck.Random(3, 6));
        }
        GradCheck.Check(xs => xs[0].LayerNorm(withGamma ? xs[1] : null, withBeta ? xs[^1] : null), inputs.ToArray(),
            name: $"layer norm gamma={withGamma} beta={withBeta}");
    }

    [Fact]
    public void LayerNormWithoutAffineNormalisesEachRow()
    {
        var x = GradCheck.Random(5, 4, 7) + 10f;
        var y = x.LayerNorm(null, null);
        for (int r = 0; r < 4; r++)
        {
            var row = y.Data.AsSpan(r * 7, 7).ToArray();
            Assert.Equal(0.0, row.Average(), 5);
            Assert.Equal(1.0, row.Select(v => (double)v * v).Average(), 3);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(6)]
    public void GroupNormGradCheck(int groups)
    {
        GradCheck.Check(xs => xs[0].GroupNorm(groups, xs[1], xs[2]),
            [GradCheck.Random(1, 2, 6, 4), GradCheck.Uniform(2, 0.5f, 1.5f, 6), GradCheck.Random(3, 6)],
            name: $"group norm G={groups}");
    }

    [Fact]
    public void GroupNormOnFourDimensionsAndWithoutAffine()
    {
        GradCheck.Check(x => x.GroupNorm(2, null, null), GradCheck.Random(4, 2, 4, 3, 2), name: "group norm (N, C, H, W) no affine");
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void BatchNormGradCheck(bool training, bool withLength)
    {
        int[] shape = withLength ? [3, 4, 5] : [6, 4];
        var rm = GradCheck.Random(7, 4);
        var rv = GradCheck.Uniform(8, 0.5f, 2f, 4);
        // Fresh running buffers each evaluation, so the in-place update cannot drift between
        // the finite-difference evaluations.
        GradCheck.Check(xs => xs[0].BatchNorm(xs[1], xs[2], rm.Clone(), rv.Clone(), training),
            [GradCheck.Random(1, shape), GradCheck.Uniform(2, 0.5f, 1.5f, 4), GradCheck.Random(3, 4)],
            name: $"batch norm training={training} {string.Join("x", shape)}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchNormOnRowsEqualsBatchNormOverTheLengthAxis(bool training)
    {
        // Channels-last positions flattened into rows (N·L, C) take the row kernel; the same values
        // permuted to (N, C, L) take the per-channel one: outputs, gradients and running statistics agree.
        const int n = 3, l = 300, c = 20;    // 900 rows: several float blocks per channel
        var x = GradCheck.Random(11, n, l, c);
        var gamma = GradCheck.Uniform(12, 0.5f, 1.5f, c);
        var beta = GradCheck.Random(13, c);
        var dy = GradCheck.Random(14, n, l, c);
        (Tensor Y, Tensor Dx, Tensor Dg, Tensor Db, Tensor Rm, Tensor Rv) Run(bool rows)
        {
            var xl = new Tensor(x.Shape, x.ToArray(), requiresGrad: true);
            var g = new Tensor(gamma.Shape, gamma.ToArray(), requiresGrad: true);
            var b = new Tensor(beta.Shape, beta.ToArray(), requiresGrad: true);
            var rm = GradCheck.Random(15, c);
            var rv = GradCheck.Uniform(16, 0.5f, 2f, c);
            Tensor y = rows
                ? xl.Reshape(n * l, c).BatchNorm(g, b, rm, rv, training).Reshape(n, l, c)
                : xl.Permute(0, 2, 1).BatchNorm(g, b, rm, rv, training).Permute(0, 2, 1);
            y.Backward(dy);
            return (y, xl.Grad!, g.Grad!, b.Grad!, rm, rv);
        }
        var byRows = Run(rows: true);
        var byLength = Run(rows: false);
        GoldenAssert.Close(byLength.Y.Data, byRows.Y.Data, 1e-5, 1e-5, "y");
        GoldenAssert.Close(byLength.Dx.Data, byRows.Dx.Data, 1e-5, 1e-4, "dx");
        GoldenAssert.Close(byLength.Dg.Data, byRows.Dg.Data, 1e-4, 1e-4, "dgamma");
        GoldenAssert.Close(byLength.Db.Data, byRows.Db.Data, 1e-4, 1e-4, "dbeta");
        GoldenAssert.Close(byLength.Rm.Data, byRows.Rm.Data, 1e-6, 1e-5, "running mean");
        GoldenAssert.Close(byLength.Rv.Data, byRows.Rv.Data, 1e-6, 1e-5, "running var");
    }

    [Fact]
    public void BatchNormTrainingWithoutBuffersOrAffine()
    {
        GradCheck.Check(x => x.BatchNorm(null, null, null, null, training: true), GradCheck.Random(9, 4, 3, 2), name: "batch norm bare");
    }

    [Fact]
    public void BatchNormUpdatesRunningStatsOnlyInTraining()
    {
        var x = GradCheck.Random(3, 8, 2, 5);
        var rm = Tensor.Zeros(2);
        var rv = Tensor.Ones(2);
        x.BatchNorm(null, null, rm, rv, training: true, momentum: 0.5f);
        for (int ch = 0; ch < 2; ch++)
        {
            var values = Enumerable.Range(0, 8).SelectMany(n => Enumerable.Range(0, 5).Select(l => (double)x[n, ch, l])).ToArray();
            double mu = values.Average();
            double unbiased = values.Sum(v => (v - mu) * (v - mu)) / (values.Length - 1);
            Assert.Equal(0.5 * mu, rm.Data[ch], 5);
            Assert.Equal(0.5 + 0.5 * unbiased, rv.Data[ch], 5);
        }
        var (m0, v0) = (rm.ToArray(), rv.ToArray());
        var y = x.BatchNorm(null, null, rm, rv, training: false);
        Assert.Equal(m0, rm.Data);
        Assert.Equal(v0, rv.Data);
        Assert.Equal((x[1, 1, 2] - m0[1]) / MathF.Sqrt(v0[1] + 1e-5f), y[1, 1, 2], 5);
    }

    // ---- fused kernels against compositions of primitive ops (the oracle the style guide asks for) ----

    private static Tensor LayerNormComposite(Tensor x, float eps)
    {
        var centred = x - x.Mean(-1, keepDim: true);
        var variance = centred.Square().Mean(-1, keepDim: true);
        return centred / (variance + eps).Sqrt();
    }

    /// <summary>Runs both functions on copies of the inputs and compares outputs and every input gradient.</summary>
    private static void AssertMatchesComposite(Func<Tensor[], Tensor> fused, Func<Tensor[], Tensor> composite, Tensor[] inputs, string what)
    {
        var upstream = GradCheck.Random(99, fused(inputs).Shape.ToArray());
        Tensor[] Leaves() => inputs.Select(t => new Tensor(t.Shape, t.ToArray(), requiresGrad: true)).ToArray();
        var a = Leaves();
        var b = Leaves();
        var ya = fused(a);
        var yb = composite(b);
        GoldenAssert.Close(yb.Data, ya.Data, 1e-5, 1e-4, $"{what}: output");
        ya.Backward(upstream);
        yb.Backward(upstream);
        for (int i = 0; i < inputs.Length; i++)
        {
            GoldenAssert.Close(b[i].Grad!.Data, a[i].Grad!.Data, 1e-4, 1e-3, $"{what}: gradient of input {i}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(37)]
    public void LayerNormMatchesComposite(int c)
    {
        AssertMatchesComposite(
            xs => xs[0].LayerNorm(xs[1], xs[2]),
            xs => LayerNormComposite(xs[0], 1e-5f) * xs[1] + xs[2],
            [GradCheck.Random(1, 3, 5, c) + 3f, GradCheck.Random(2, c), GradCheck.Random(3, c)], $"layer norm C={c}");
    }

    [Theory]
    [InlineData(2, 6, 9)]
    [InlineData(3, 9, 13)]
    public void GroupNormMatchesComposite(int groups, int c, int l)
    {
        AssertMatchesComposite(
            xs => xs[0].GroupNorm(groups, xs[1], xs[2]),
            xs =>
            {
                var normed = LayerNormComposite(xs[0].Reshape(2, groups, -1), 1e-5f).Reshape(2, c, l);
                return normed * xs[1].Reshape(1, c, 1) + xs[2].Reshape(1, c, 1);
            },
            [GradCheck.Random(1, 2, c, l), GradCheck.Random(2, c), GradCheck.Random(3, c)], $"group norm G={groups}");
    }

    [Fact]
    public void BatchNormTrainingMatchesComposite()
    {
        AssertMatchesComposite(
            xs => xs[0].BatchNorm(xs[1], xs[2], null, null, training: true),
            xs =>
            {
                var centred = xs[0] - xs[0].Mean([0, 2], keepDim: true);
                var variance = centred.Square().Mean([0, 2], keepDim: true);
                return centred / (variance + 1e-5f).Sqrt() * xs[1].Reshape(1, 5, 1) + xs[2].Reshape(1, 5, 1);
            },
            [GradCheck.Random(1, 4, 5, 11) - 2f, GradCheck.Random(2, 5), GradCheck.Random(3, 5)], "batch norm (N, C, L)");
    }

    [Fact]
    public void InvalidArgumentsThrowWithShapes()
    {
        var x = Tensor.Zeros(2, 6, 4);
        var ln = Assert.Throws<ArgumentException>(() => x.LayerNorm(Tensor.Ones(6), null));
        Assert.Contains("(4)", ln.Message, StringComparison.Ordinal);
        Assert.Contains("(6)", ln.Message, StringComparison.Ordinal);
        var gn = Assert.Throws<ArgumentException>(() => x.GroupNorm(4, null, null));
        Assert.Contains("4 groups", gn.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => x.GroupNorm(2, Tensor.Ones(4), null));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3, 4, 5).BatchNorm(null, null, null, null, true));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(1, 3).BatchNorm(null, null, null, null, true));
        Assert.Throws<ArgumentException>(() => x.BatchNorm(null, null, null, null, training: false));
        Assert.Throws<ArgumentException>(() => x.BatchNorm(null, null, Tensor.Zeros(4), null, training: true));
    }
}
