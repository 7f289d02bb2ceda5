using System.Text.Json;
using Promptor.Tensors;
using Promptor.Tensors.Kernels;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Tensors;

public class ConvTests
{
    public static TheoryData<string> GoldenCases() => GoldenTensors.Cases("conv1d");

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Conv1dMatchesPyTorch(string name)
    {
        var c = GoldenFixture.Case("conv1d", name);
        var x = GoldenTensors.Get(c, "x", requiresGrad: true);
        var w = GoldenTensors.Get(c, "weight", requiresGrad: true);
        var b = GoldenTensors.Optional(c, "bias", requiresGrad: true);
        Assert.Equal(c.Bool("has_bias"), b is not null);
        var pad = c.Param("padding");
        Padding padding = pad.ValueKind == JsonValueKind.String
            ? pad.GetString() switch { "same" => Padding.Same, "valid" => Padding.Valid, var s => throw new InvalidDataException(s) }
            : c.Int("padding");

        var y = x.Conv1d(w, b, c.Int("stride"), padding, c.Int("dilation"));
        GoldenTensors.AssertClose(c, "out", y);
        y.Backward(GoldenTensors.Get(c, "grad_out"));
        GoldenTensors.AssertClose(c, "grad_x", x.Grad);
        GoldenTensors.AssertClose(c, "grad_weight", w.Grad);
        if (b is not null)
        {
            GoldenTensors.AssertClose(c, "grad_bias", b.Grad);
        }
    }

    public static TheoryData<string, int, int, int, int, int, int, int> GradCases() => new()
    {
        // name, N, Cin, L, Cout, K, stride, dilation; padding chosen by name below
        { "valid", 2, 3, 9, 4, 3, 1, 1 },
        { "same_odd", 2, 2, 7, 3, 5, 1, 1 },
        { "same_even", 2, 2, 7, 3, 4, 1, 1 },
        { "same_dilated", 1, 2, 9, 2, 3, 1, 2 },
        { "stride2", 2, 3, 11, 2, 3, 2, 1 },
        { "pad1_stride2", 2, 2, 10, 3, 3, 2, 1 },
        { "pad2_stride3_dilation2", 2, 2, 12, 2, 3, 3, 2 },
        { "pointwise", 3, 4, 5, 2, 1, 1, 1 },
        { "no_bias", 2, 3, 8, 2, 3, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(GradCases))]
    public void Conv1dGradCheck(string mode, int n, int cin, int l, int cout, int k, int stride, int dilation)
    {
        Padding padding = mode switch
        {
            "same_odd" or "same_even" or "same_dilated" => Padding.Same,
            "pad1_stride2" => 1,
            "pad2_stride3_dilation2" => Padding.Symmetric(2),
            _ => Padding.Valid,
        };
        bool bias = mode != "no_bias";
        Tensor[] inputs = bias
            ? [GradCheck.Random(1, n, cin, l), GradCheck.Random(2, cout, cin, k), GradCheck.Random(3, cout)]
            : [GradCheck.Random(1, n, cin, l), GradCheck.Random(2, cout, cin, k)];
        GradCheck.Check(xs => xs[0].Conv1d(xs[1], bias ? xs[2] : null, stride, padding, dilation), inputs, name: $"conv1d {mode}");
    }

    [Fact]
    public void SamePaddingKeepsLengthAndPutsTheExtraZeroOnTheRight()
    {
        // Even kernel: total padding 3 = 1 left + 2 right. A kernel that picks its first tap reads
        // x[t − 1], so output 0 sees the left zero and the last output reads x[L − 2].
        var x = Tensor.FromArray([1f, 2f, 3f, 4f, 5f], 1, 1, 5);
        var w = Tensor.FromArray([1f, 0f, 0f, 0f], 1, 1, 4);
        var y = x.Conv1d(w, null, padding: Padding.Same);
        Assert.Equal([0f, 1f, 2f, 3f, 4f], y.Data);
        var last = Tensor.FromArray([0f, 0f, 0f, 1f], 1, 1, 4);
        Assert.Equal([3f, 4f, 5f, 0f, 0f], x.Conv1d(last, null, padding: Padding.Same).Data);
    }

    [Fact]
    public void ShapeErrorsNameTheShapes()
    {
        var x = Tensor.Zeros(2, 3, 10);
        var ex = Assert.Throws<ArgumentException>(() => x.Conv1d(Tensor.Zeros(4, 2, 3), null));
        Assert.Contains("(4, 2, 3)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(2, 3, 10)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(3, 10).Conv1d(Tensor.Zeros(4, 3, 3), null));
        Assert.Throws<ArgumentException>(() => x.Conv1d(Tensor.Zeros(4, 3, 3), Tensor.Zeros(3)));
        var same = Assert.Throws<ArgumentException>(() => x.Conv1d(Tensor.Zeros(4, 3, 3), null, stride: 2, padding: Padding.Same));
        Assert.Contains("stride", same.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => x.Conv1d(Tensor.Zeros(4, 3, 11), null));
        Assert.Throws<ArgumentOutOfRangeException>(() => x.Conv1d(Tensor.Zeros(4, 3, 3), null, stride: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Padding.Symmetric(-1));
    }

    [Fact]
    public void FastKernelsMatchReferenceOverManyShapes()
    {
        var rng = new Generator(2024);
        int checkedShapes = 0;
        for (int trial = 0; trial < 400; trial++)
        {
            int n = 1 + rng.NextInt(3), cin = 1 + rng.NextInt(4), cout = 1 + rng.NextInt(4);
            int l = 1 + rng.NextInt(14), k = 1 + rng.NextInt(5);
            int stride = 1 + rng.NextInt(3), dilation = 1 + rng.NextInt(3);
            int padKind = rng.NextInt(3);
            Padding padding = padKind == 0 ? Padding.Valid : padKind == 1 && stride == 1 ? Padding.Same : rng.NextInt(4);
            var (pl, pr) = padding.Resolve(k, dilation, stride);
            if (l + pl + pr < dilation * (k - 1) + 1)
            {
                continue;
            }
            var g = new Conv1dGeometry(n, cin, l, cout, k, stride, dilation, pl, pr);
            int patchCols = Math.Max(g.Patch, g.Cout) * g.LOut;
            // Default budget (all samples in one GEMM), one sample per GEMM, and ragged chunks of two.
            foreach (int budget in new[] { Conv1dKernels.ColumnBudget, 1, 2 * patchCols })
            {
                CompareWithReference(g, budget, rng, $"trial {trial} {g} budget {budget}");
            }
            checkedShapes++;
        }
        Assert.True(checkedShapes > 250, $"only {checkedShapes} shapes checked");
    }

    private static void CompareWithReference(Conv1dGeometry g, int budget, Generator rng, string what)
    {
        float[] Rand(int size)
        {
            var a = new float[size];
            rng.FillNormal(a);
            return a;
        }
        var x = Rand(g.N * g.Cin * g.L);
        var w = Rand(g.Cout * g.Cin * g.K);
        var b = Rand(g.Cout);
        var dy = Rand(g.N * g.Cout * g.LOut);
        var yFast = new float[dy.Length];
        var yRef = new float[dy.Length];
        Conv1dKernels.Forward(x, w, b, yFast, g, budget);
        Conv1dKernels.ForwardReference(x, w, b, yRef, g);
        GoldenAssert.Close(yRef, yFast, 1e-5, 1e-4, $"{what}: y");

        // Start from non-zero gradients: the kernels must accumulate, not overwrite.
        var dx0 = Rand(x.Length);
        var dw0 = Rand(w.Length);
        var db0 = Rand(b.Length);
        var (dxFast, dwFast, dbFast) = ((float[])dx0.Clone(), (float[])dw0.Clone(), (float[])db0.Clone());
        var (dxRef, dwRef, dbRef) = ((float[])dx0.Clone(), (float[])dw0.Clone(), (float[])db0.Clone());
        Conv1dKernels.Backward(dy, x, w, dxFast, dwFast, dbFast, g, budget);
        Conv1dKernels.BackwardReference(dy, x, w, dxRef, dwRef, dbRef, g);
        GoldenAssert.Close(dxRef, dxFast, 1e-5, 1e-4, $"{what}: dx");
        GoldenAssert.Close(dwRef, dwFast, 1e-5, 1e-4, $"{what}: dWeight");
        GoldenAssert.Close(dbRef, dbFast, 1e-5, 1e-4, $"{what}: dBias");

        // Only some gradients requested: the others stay untouched.
        var dwOnly = (float[])dw0.Clone();
        Conv1dKernels.Backward(dy, x, w, default, dwOnly, default, g, budget);
        GoldenAssert.Close(dwRef, dwOnly, 1e-5, 1e-4, $"{what}: dWeight alone");
        var dxOnly = (float[])dx0.Clone();
        Conv1dKernels.Backward(dy, x, w, dxOnly, default, default, g, budget);
        GoldenAssert.Close(dxRef, dxOnly, 1e-5, 1e-4, $"{what}: dx alone");
    }

    [Fact]
    public void BiasFreeConvWithoutGradOnWeightOnlyFillsInputGrad()
    {
        var x = new Tensor(new Shape(2, 3, 6), GradCheck.Random(4, 2, 3, 6).Data, requiresGrad: true);
        var w = GradCheck.Random(5, 2, 3, 3);
        x.Conv1d(w, null).Sum().Backward();
        Assert.True(x.HasGrad);
        Assert.False(w.HasGrad);
        Assert.Contains(x.Grad!.Data, v => v != 0f);
    }
}
