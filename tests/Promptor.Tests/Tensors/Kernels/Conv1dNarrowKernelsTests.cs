using Promptor.Tensors;
using Promptor.Tensors.Kernels;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Tensors.Kernels;

public class Conv1dNarrowKernelsTests
{
    public static TheoryData<int, int, int, int, int, int, int, int> Geometries => new()
    {
        // N, Cin, L, Cout, K, dilation, padLeft, padRight
        { 3, 4, 37, 13, 15, 1, 7, 7 },     // one-hot DNA, 'same', channels not a multiple of 8, a partial last vector
        { 2, 4, 1000, 128, 15, 1, 7, 7 },  // the reference model's first layer
        { 2, 1, 5, 8, 3, 1, 0, 0 },        // 'valid', output shorter than one vector
        { 1, 4, 50, 16, 16, 1, 7, 8 },     // even taps, asymmetric padding, Cin·K = 64
        { 2, 3, 41, 9, 5, 3, 6, 6 },       // dilation 3
        { 5, 2, 64, 24, 1, 1, 0, 0 },      // pointwise
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void DirectLoopsEqualTheDoubleReference(int n, int cin, int l, int cout, int k, int dilation, int padLeft, int padRight)
    {
        var g = new Conv1dGeometry(n, cin, l, cout, k, 1, dilation, padLeft, padRight);
        Assert.True(Conv1dNarrowKernels.Supports(g));
        var rng = new Generator(3);
        var x = new float[n * cin * l];
        var w = new float[cout * cin * k];
        var b = new float[cout];
        rng.FillNormal(x);
        rng.FillNormal(w);
        rng.FillNormal(b);
        foreach (var bias in new[] { b, null })
        {
            var fast = Enumerable.Repeat(float.NaN, n * cout * g.LOut).ToArray();   // every value must be written
            var slow = new float[fast.Length];
            Conv1dNarrowKernels.Forward(x, w, bias, fast, g);
            Conv1dKernels.ForwardReference(x, w, bias, slow, g);
            GoldenAssert.Close(slow, fast, 1e-5, 1e-4, $"bias {bias is not null}");
        }
    }

    [Theory]
    [InlineData(3, 4, 37, 13, 15, true, 4)]     // 'same', pool 4 over 37 positions: the last one is dropped
    [InlineData(2, 4, 1000, 16, 16, true, 4)]   // even taps: asymmetric 'same' padding
    [InlineData(2, 2, 20, 9, 3, false, 1)]      // 'valid', pool 1: ReLU alone
    [InlineData(1, 128, 40, 8, 3, true, 2)]     // a deep patch: the composed ops
    public void FusedPoolAndReluEqualTheComposedOps(int n, int cin, int l, int cout, int k, bool same, int pool)
    {
        var rng = new Generator(5);
        var x = Tensor.RandomNormal(rng, new Shape(n, cin, l));
        var w = Tensor.RandomNormal(rng, new Shape(cout, cin, k));
        var b = Tensor.RandomNormal(rng, new Shape(cout));
        var padding = same ? Padding.Same : Padding.Valid;
        var composed = x.Conv1d(w, b, 1, padding).MaxPool1d(pool).Relu();
        var fused = Promptor.Tensors.Ops.Conv1dPoolReluInference(x, w, b, padding, 1, pool);
        Assert.Equal(composed.Shape, fused.Shape);
        GoldenAssert.Close(composed.Data, fused.Data, 1e-5, 1e-5, "fused");
        Assert.Contains(fused.Data, v => v == 0f);
        var grad = new Tensor(w.Shape, w.Data, requiresGrad: true);
        Assert.Throws<InvalidOperationException>(() => Promptor.Tensors.Ops.Conv1dPoolReluInference(x, grad, b, padding, 1, pool));
    }

    [Fact]
    public void DeepPatchesAndStridesAreLeftToTheGemmPath()
    {
        Assert.False(Conv1dNarrowKernels.Supports(new Conv1dGeometry(1, 128, 250, 128, 9, 1, 1, 4, 4)));
        Assert.False(Conv1dNarrowKernels.Supports(new Conv1dGeometry(1, 4, 100, 8, 3, 2, 1, 1, 1)));
    }
}
