using Promptor.Tensors;
using Promptor.Tensors.Kernels;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Tensors.Kernels;

public class Conv1dWindowKernelsTests
{
    public static TheoryData<int, int, int, int, int, int, int, int> Geometries => new()
    {
        // N, Cin, L, Cout, K, padLeft, padRight, budget (floats per chunk buffer)
        { 3, 4, 37, 13, 15, 7, 7, 1 << 22 },     // one-hot DNA, 'same', one chunk
        { 5, 16, 30, 24, 9, 4, 4, 600 },         // the second layer's shape in small; one sample per chunk
        { 4, 7, 20, 5, 3, 0, 0, 200 },           // 'valid'; two samples per chunk, odd channel counts
        { 3, 8, 12, 8, 4, 1, 2, 1 << 22 },       // even taps, asymmetric padding
        { 2, 3, 9, 6, 1, 0, 0, 1 << 22 },        // pointwise
        { 2, 5, 4, 3, 7, 3, 3, 1 << 22 },        // kernel wider than the sequence, padding makes it fit
        // Wide enough for Winograd's F(3, 3) in every product (WinogradWindowKernels.Worthwhile):
        { 3, 32, 40, 24, 9, 4, 4, 1 << 22 },     // the second layer's taps
        { 4, 24, 31, 40, 5, 2, 2, 2000 },        // several chunks, lengths not multiples of 3
        { 2, 48, 17, 32, 8, 3, 4, 1 << 22 },     // even taps (a zero tap pads the last segment)
        { 2, 64, 5, 32, 3, 1, 1, 1 << 22 },      // three taps, one segment; fewer positions than a tile pair
    };

    /// <summary>
    /// Swaps the last two axes of <paramref name="x"/> <c>(N, R, C)</c> → <c>(N, C, R)</c>: channels-last
    /// to channels-first for the oracle (R = positions) and back (R = channels).
    /// </summary>
    private static float[] SwapLastAxes(float[] x, int n, int rows, int cols)
    {
        var y = new float[x.Length];
        for (int b = 0; b < n; b++)
        {
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < cols; c++)
                {
                    y[(b * cols + c) * rows + r] = x[(b * rows + r) * cols + c];
                }
            }
        }
        return y;
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void WindowGemmEqualsTheDoubleReference(int n, int cin, int l, int cout, int k, int padLeft, int padRight, int budget)
    {
        var g = new Conv1dGeometry(n, cin, l, cout, k, 1, 1, padLeft, padRight);
        Assert.True(Conv1dWindowKernels.Supports(g));
        var rng = new Generator(11);
        var x = new float[n * l * cin];
        var w = new float[cout * cin * k];
        var b = new float[cout];
        rng.FillNormal(x);
        rng.FillNormal(w);
        rng.FillNormal(b);
        foreach (var bias in new[] { b, null })
        {
            var fast = Enumerable.Repeat(float.NaN, n * g.LOut * cout).ToArray();   // every value must be written
            var slow = new float[fast.Length];
            Conv1dWindowKernels.Forward(x, w, bias, fast, g, budget);
            Conv1dKernels.ForwardReference(SwapLastAxes(x, n, l, cin), w, bias, slow, g);
            // Outputs are sums of Cin·K unit-scale products; Winograd's transforms add a few roundings
            // of that scale (not of each output's own size), so the absolute tolerance follows it.
            double atol = Math.Max(1e-5, 5e-6 * Math.Sqrt(cin * k));
            GoldenAssert.Close(SwapLastAxes(slow, n, cout, g.LOut), fast, atol, 1e-4, $"bias {bias is not null}");
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void WindowGradientsEqualTheDoubleReference(int n, int cin, int l, int cout, int k, int padLeft, int padRight, int budget)
    {
        var g = new Conv1dGeometry(n, cin, l, cout, k, 1, 1, padLeft, padRight);
        var rng = new Generator(12);
        var x = new float[n * l * cin];
        var w = new float[cout * cin * k];
        var dy = new float[n * g.LOut * cout];
        rng.FillNormal(x);
        rng.FillNormal(w);
        rng.FillNormal(dy);
        // Gradients accumulate: start from non-zero values.
        var dx = Enumerable.Range(0, x.Length).Select(i => 0.5f * (i % 3)).ToArray();
        var dw = Enumerable.Range(0, w.Length).Select(i => -0.25f * (i % 5)).ToArray();
        var db = Enumerable.Range(0, cout).Select(i => (float)i).ToArray();
        var dxRef = SwapLastAxes(dx, n, l, cin);
        var dwRef = (float[])dw.Clone();
        var dbRef = (float[])db.Clone();

        Conv1dWindowKernels.Backward(dy, x, w, dx, dw, db, g, budget);
        Conv1dKernels.BackwardReference(SwapLastAxes(dy, n, g.LOut, cout), SwapLastAxes(x, n, l, cin), w, dxRef, dwRef, dbRef, g);

        GoldenAssert.Close(SwapLastAxes(dxRef, n, cin, l), dx, 1e-4, 1e-4, "dx");
        GoldenAssert.Close(dwRef, dw, 1e-4, 1e-4, "dW");
        GoldenAssert.Close(dbRef, db, 1e-4, 1e-4, "db");
    }

    [Fact]
    public void FusedPoolAndReluEqualTheComposedWindowOps()
    {
        var g = new Conv1dGeometry(3, 6, 41, 10, 5, 1, 1, 2, 2);
        var rng = new Generator(13);
        var x = new float[g.N * g.L * g.Cin];
        var w = new float[g.Cout * g.Cin * g.K];
        var b = new float[g.Cout];
        rng.FillNormal(x);
        rng.FillNormal(w);
        rng.FillNormal(b);
        foreach (int pool in new[] { 1, 4 })
        {
            int lo = g.LOut / pool;
            var full = new float[g.N * g.LOut * g.Cout];
            Conv1dWindowKernels.Forward(x, w, b, full, g);
            var expected = new float[g.N * lo * g.Cout];
            var argmax = new int[expected.Length];
            ChannelsLastPoolKernels.MaxForwardReference(full, expected, argmax, g.N, g.LOut, g.Cout, pool);
            for (int i = 0; i < expected.Length; i++)
            {
                expected[i] = Math.Max(expected[i], 0f);
            }
            var fused = Enumerable.Repeat(float.NaN, expected.Length).ToArray();
            Conv1dWindowKernels.ForwardPoolRelu(x, w, b, fused, g, pool, budget: 700);
            GoldenAssert.Close(expected, fused, 1e-6, 1e-6, $"pool {pool}");
            Assert.Contains(fused, v => v == 0f);
        }
    }

    [Fact]
    public void StridesAndDilationsAreNotWindows()
    {
        Assert.False(Conv1dWindowKernels.Supports(new Conv1dGeometry(1, 4, 100, 8, 3, 2, 1, 1, 1)));
        Assert.False(Conv1dWindowKernels.Supports(new Conv1dGeometry(1, 4, 100, 8, 3, 1, 2, 2, 2)));
    }

    [Theory]
    [InlineData(2, 12, 19, 4)]   // channels not a multiple of the vector: a scalar tail; 12 positions pooled by 4
    [InlineData(1, 10, 8, 3)]    // 10 positions by 3: the last position is dropped
    public void ChannelsLastMaxPoolVectorPathEqualsScalar(int n, int l, int c, int k)
    {
        var rng = new Generator(14);
        var x = new float[n * l * c];
        rng.FillNormal(x);
        x[3] = x[3 + c];                // a tie: the first maximum wins
        x[2 * c + 1] = float.NaN;       // NaN wins
        int lo = l / k;
        var y = new float[n * lo * c];
        var yRef = new float[y.Length];
        var a = new int[y.Length];
        var aRef = new int[y.Length];
        ChannelsLastPoolKernels.MaxForward(x, y, a, n, l, c, k);
        ChannelsLastPoolKernels.MaxForwardReference(x, yRef, aRef, n, l, c, k);
        Assert.Equal(aRef, a);
        Assert.Equal(yRef, y);
        Assert.True(float.IsNaN(y[1]));
    }
}
