using Promptor.Tensors;
using Promptor.Tensors.Kernels;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Tensors.Kernels;

public class WinogradWindowKernelsTests
{
    public static TheoryData<int, int, int, int> Shapes => new()
    {
        // rows, Cin, Cout, K
        { 90, 32, 32, 9 },      // rows a multiple of the tile
        { 101, 20, 24, 15 },    // odd rows, channels not a multiple of the vector width
        { 7, 64, 16, 3 },       // one segment
        { 4, 40, 40, 8 },       // even taps, fewer rows than the filter
        { 1, 32, 48, 6 },       // a single row
    };

    /// <summary><c>y[r, co] = Σ_k Σ_ci x[r + k, ci] · w[k·Cin + ci, co]</c> in double.</summary>
    private static double[] ProductReference(float[] x, float[] w, int rows, int cin, int cout, int k)
    {
        var y = new double[rows * cout];
        for (int r = 0; r < rows; r++)
        {
            for (int t = 0; t < k; t++)
            {
                for (int ci = 0; ci < cin; ci++)
                {
                    double v = x[(r + t) * cin + ci];
                    for (int co = 0; co < cout; co++)
                    {
                        y[r * cout + co] += v * w[(t * cin + ci) * cout + co];
                    }
                }
            }
        }
        return y;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ProductEqualsTheDoubleReference(int rows, int cin, int cout, int k)
    {
        Assert.True(WinogradWindowKernels.Worthwhile(k, cin, cout));
        var rng = new Generator(21);
        var x = new float[(rows + k - 1) * cin];
        var w = new float[k * cin * cout];
        rng.FillNormal(x);
        rng.FillNormal(w);
        var y = Enumerable.Repeat(float.NaN, rows * cout + 5).ToArray();   // every row written, nothing past it
        WinogradWindowKernels.Product(x, cin, w, k, cout, rows, y);
        var expected = ProductReference(x, w, rows, cin, cout, k);
        GoldenAssert.Close(expected.Select(v => (float)v).ToArray(), y[..(rows * cout)], 2e-5, 1e-4, "product");
        Assert.All(y[(rows * cout)..], v => Assert.True(float.IsNaN(v)));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void WeightGradientEqualsTheDoubleReferenceAndAccumulates(int rows, int cin, int cout, int k)
    {
        var rng = new Generator(22);
        var x = new float[(rows + k - 1) * cin];
        var dy = new float[rows * cout];
        rng.FillNormal(x);
        rng.FillNormal(dy);
        var expected = new double[k * cin * cout];
        for (int r = 0; r < rows; r++)
        {
            for (int t = 0; t < k; t++)
            {
                for (int ci = 0; ci < cin; ci++)
                {
                    for (int co = 0; co < cout; co++)
                    {
                        expected[(t * cin + ci) * cout + co] += (double)x[(r + t) * cin + ci] * dy[r * cout + co];
                    }
                }
            }
        }

        var written = Enumerable.Repeat(float.NaN, expected.Length).ToArray();   // beta 0 ignores what was there
        WinogradWindowKernels.WeightGradient(x, cin, dy, k, cout, rows, 0f, written);
        GoldenAssert.Close(expected.Select(v => (float)v).ToArray(), written, 2e-5, 1e-4, "beta 0");

        var accumulated = Enumerable.Range(0, expected.Length).Select(i => 0.5f * (i % 7)).ToArray();
        WinogradWindowKernels.WeightGradient(x, cin, dy, k, cout, rows, 1f, accumulated);
        GoldenAssert.Close(expected.Select((v, i) => (float)(v + 0.5 * (i % 7))).ToArray(), accumulated, 2e-5, 1e-4, "beta 1");
    }

    [Theory]
    [InlineData(3, 64, 32, true)]      // 5 products for 9
    [InlineData(3, 32, 32, false)]     // one segment of 32 channels: GEMMs too narrow
    [InlineData(9, 128, 128, true)]    // 15 for 27: the second CondPromoter layer
    [InlineData(4, 64, 64, false)]     // two segments: 10 for 12 saves too little
    [InlineData(7, 64, 64, false)]     // 15 for 21
    [InlineData(15, 4, 128, false)]    // one-hot input: GEMMs too narrow
    [InlineData(9, 128, 8, false)]     // few output channels
    [InlineData(2, 64, 64, false)]     // fewer taps than a segment
    public void WorthwhileOnlyWhereItSavesAndStaysWide(int k, int cin, int cout, bool expected)
        => Assert.Equal(expected, WinogradWindowKernels.Worthwhile(k, cin, cout));

    [Fact]
    public void UnworthwhileShapesFallBackToTheDirectProduct()
    {
        var rng = new Generator(23);
        int rows = 30, cin = 4, cout = 8, k = 15;
        var x = new float[(rows + k - 1) * cin];
        var w = new float[k * cin * cout];
        rng.FillNormal(x);
        rng.FillNormal(w);
        var viaWinograd = new float[rows * cout];
        var direct = new float[rows * cout];
        WinogradWindowKernels.Product(x, cin, w, k, cout, rows, viaWinograd);
        Gemm.MultiplyOverlapping(false, false, rows, cout, k * cin, 1f, x, cin, w, cout, 0f, direct, cout);
        Assert.Equal(direct, viaWinograd);   // the same GEMM, bit for bit
    }
}
