using Promptor.Tensors;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Tensors;

/// <summary>Channels-last convolution and pooling: gradients by finite differences, values against the channels-first ops.</summary>
public class ChannelsLastConvTests
{
    public static TheoryData<string, int, int, int, int, int, int> Cases() => new()
    {
        // name, N, Cin, L, Cout, K, dilation
        { "valid", 2, 3, 9, 4, 3, 1 },
        { "same_odd", 2, 2, 7, 3, 5, 1 },
        { "same_even", 2, 2, 7, 3, 4, 1 },
        { "same_dilated", 1, 2, 9, 2, 3, 2 },   // dilation: the channels-first path, permuted
        { "pointwise", 3, 4, 5, 2, 1, 1 },
        { "no_bias", 2, 3, 8, 2, 3, 1 },
    };

    private static Padding PaddingOf(string mode) => mode.StartsWith("same", StringComparison.Ordinal) ? Padding.Same : Padding.Valid;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Conv1dChannelsLastGradCheck(string mode, int n, int cin, int l, int cout, int k, int dilation)
    {
        var padding = PaddingOf(mode);
        bool bias = mode != "no_bias";
        Tensor[] inputs = bias
            ? [GradCheck.Random(1, n, l, cin), GradCheck.Random(2, cout, cin, k), GradCheck.Random(3, cout)]
            : [GradCheck.Random(1, n, l, cin), GradCheck.Random(2, cout, cin, k)];
        GradCheck.Check(xs => xs[0].Conv1dChannelsLast(xs[1], bias ? xs[2] : null, padding, dilation), inputs, name: $"conv1d channels-last {mode}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Conv1dChannelsLastEqualsThePermutedConv1d(string mode, int n, int cin, int l, int cout, int k, int dilation)
    {
        var padding = PaddingOf(mode);
        var rng = new Generator(4);
        var x = Tensor.RandomNormal(rng, new Shape(n, l, cin));
        var w = Tensor.RandomNormal(rng, new Shape(cout, cin, k));
        var b = mode == "no_bias" ? null : Tensor.RandomNormal(rng, new Shape(cout));
        var expected = x.Permute(0, 2, 1).Conv1d(w, b, 1, padding, dilation).Permute(0, 2, 1);
        var actual = x.Conv1dChannelsLast(w, b, padding, dilation);
        Assert.Equal(expected.Shape, actual.Shape);
        GoldenAssert.Close(expected.Data, actual.Data, 1e-5, 1e-5, mode);
    }

    [Theory]
    [InlineData(2, 8, 3, 4)]
    [InlineData(1, 7, 5, 2)]   // an odd length: the last position is dropped
    public void MaxPool1dChannelsLastGradCheckAndValues(int n, int l, int c, int k)
    {
        // Values 0.5 apart, so a finite-difference step never changes which one is the maximum.
        var order = Enumerable.Range(0, n * l * c).ToArray();
        new Generator(5).Shuffle(order.AsSpan());
        var separated = Tensor.FromArray(order.Select(i => 0.5f * i - order.Length / 4f).ToArray(), n, l, c);
        GradCheck.Check(xs => xs[0].MaxPool1dChannelsLast(k), [separated], name: "max-pool channels-last");
        var x = Tensor.RandomNormal(new Generator(6), new Shape(n, l, c));
        var expected = x.Permute(0, 2, 1).MaxPool1d(k).Permute(0, 2, 1);
        Assert.Equal(expected.Data, x.MaxPool1dChannelsLast(k).Data);
    }

    [Theory]
    [InlineData(4, 30, 8, 6, 5, true, 4)]
    [InlineData(2, 9, 3, 4, 3, false, 1)]
    [InlineData(2, 21, 3, 4, 3, true, 2)]
    public void FusedInferenceEqualsTheComposedOps(int n, int l, int cin, int cout, int k, bool same, int pool)
    {
        var rng = new Generator(8);
        var x = Tensor.RandomNormal(rng, new Shape(n, l, cin));
        var w = Tensor.RandomNormal(rng, new Shape(cout, cin, k));
        var b = Tensor.RandomNormal(rng, new Shape(cout));
        var padding = same ? Padding.Same : Padding.Valid;
        var composed = x.Conv1dChannelsLast(w, b, padding).MaxPool1dChannelsLast(pool).Relu();
        var fused = Promptor.Tensors.Ops.Conv1dPoolReluInferenceChannelsLast(x, w, b, padding, 1, pool);
        Assert.Equal(composed.Shape, fused.Shape);
        GoldenAssert.Close(composed.Data, fused.Data, 1e-6, 1e-6, "fused");
        var grad = new Tensor(w.Shape, w.Data, requiresGrad: true);
        Assert.Throws<InvalidOperationException>(() => Promptor.Tensors.Ops.Conv1dPoolReluInferenceChannelsLast(x, grad, b, padding, 1, pool));
    }

    [Theory]
    [InlineData(3, 30, 4, 13, 15, true, 4, true)]     // one-hot-like first layer, pool 4 over 30: two positions dropped
    [InlineData(2, 17, 6, 20, 5, true, 2, false)]     // no bias, channels past one 16-lane vector
    [InlineData(2, 9, 3, 5, 3, false, 1, true)]       // pool 1: convolution and ReLU
    [InlineData(1, 12, 2, 3, 3, true, 3, true)]       // dilation 2 below: the composed ops
    public void RecordedFusedOpHasTheComposedOpsValuesAndGradients(int n, int l, int cin, int cout, int k, bool same, int pool, bool withBias)
    {
        int dilation = n == 1 ? 2 : 1;
        var rng = new Generator(9);
        var x = Tensor.RandomNormal(rng, new Shape(n, l, cin));
        var w = Tensor.RandomNormal(rng, new Shape(cout, cin, k));
        var b = Tensor.RandomNormal(rng, new Shape(cout));
        var padding = same ? Padding.Same : Padding.Valid;
        (Tensor Y, Tensor Dx, Tensor Dw, Tensor? Db) Run(bool fused)
        {
            var xl = new Tensor(x.Shape, x.ToArray(), requiresGrad: true);
            var wl = new Tensor(w.Shape, w.ToArray(), requiresGrad: true);
            var bl = withBias ? new Tensor(b.Shape, b.ToArray(), requiresGrad: true) : null;
            Tensor y;
            if (fused)
            {
                y = xl.Conv1dPoolReluChannelsLast(wl, bl, padding, dilation, pool);
            }
            else
            {
                var conv = xl.Conv1dChannelsLast(wl, bl, padding, dilation);
                y = (pool > 1 ? conv.MaxPool1dChannelsLast(pool) : conv).Relu();
            }
            y.Backward(Tensor.RandomNormal(new Generator(10), y.Shape));
            return (y, xl.Grad!, wl.Grad!, bl?.Grad);
        }
        var composed = Run(fused: false);
        var fusedRun = Run(fused: true);
        Assert.Equal(composed.Y.Shape, fusedRun.Y.Shape);
        Assert.True(fusedRun.Y.Size < 20 || fusedRun.Y.Data.Contains(0f));   // the ReLU closes some outputs
        GoldenAssert.Close(composed.Y.Data, fusedRun.Y.Data, 1e-6, 1e-6, "y");
        GoldenAssert.Close(composed.Dx.Data, fusedRun.Dx.Data, 1e-5, 1e-5, "dx");
        GoldenAssert.Close(composed.Dw.Data, fusedRun.Dw.Data, 1e-5, 1e-5, "dW");
        if (withBias)
        {
            GoldenAssert.Close(composed.Db!.Data, fusedRun.Db!.Data, 1e-5, 1e-5, "db");
        }
        using (Promptor.Tensors.Autograd.Tape.NoGrad())
        {
            GoldenAssert.Close(composed.Y.Data, x.Conv1dPoolReluChannelsLast(w, withBias ? b : null, padding, dilation, pool).Data, 1e-6, 1e-6, "no-grad y");
        }
    }

    [Fact]
    public void RecordedFusedKernelsOverSeveralChunksEqualOneChunk()
    {
        var g = new Promptor.Tensors.Kernels.Conv1dGeometry(5, 6, 40, 18, 5, 1, 1, 2, 2);
        const int pool = 4;
        var rng = new Generator(15);
        var x = new float[g.N * g.L * g.Cin];
        var w = new float[g.Cout * g.Cin * g.K];
        var b = new float[g.Cout];
        rng.FillNormal(x);
        rng.FillNormal(w);
        rng.FillNormal(b);
        int size = g.N * (g.LOut / pool) * g.Cout;
        var dy = new float[size];
        rng.FillNormal(dy);
        (float[] Y, float[] Dx, float[] Dw, float[] Db) Run(int budget)
        {
            var y = new float[size];
            var argmax = new int[size];
            var dx = new float[x.Length];
            var dw = new float[w.Length];
            var db = new float[b.Length];
            Promptor.Tensors.Kernels.Conv1dWindowKernels.ForwardPoolReluRecorded(x, w, b, y, argmax, g, pool, budget);
            Promptor.Tensors.Kernels.Conv1dWindowKernels.BackwardPoolRelu(dy, y, argmax, x, w, dx, dw, db, g, pool, budget);
            return (y, dx, dw, db);
        }
        var one = Run(1 << 22);
        var several = Run(500);     // one or two samples per chunk
        Assert.Equal(one.Y, several.Y);
        GoldenAssert.Close(one.Dx, several.Dx, 1e-6, 1e-6, "dx");
        GoldenAssert.Close(one.Dw, several.Dw, 1e-5, 1e-5, "dW");
        Assert.Equal(one.Db, several.Db);
    }

    [Fact]
    public void WrongChannelsNameTheLayout()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 9, 3).Conv1dChannelsLast(Tensor.Zeros(4, 2, 3), null));
        Assert.Contains("has 3", ex.Message, StringComparison.Ordinal);
        var rank = Assert.Throws<ArgumentException>(() => Tensor.Zeros(9, 3).Conv1dChannelsLast(Tensor.Zeros(4, 3, 3), null));
        Assert.Contains("(N, L, Cin)", rank.Message, StringComparison.Ordinal);
    }
}
