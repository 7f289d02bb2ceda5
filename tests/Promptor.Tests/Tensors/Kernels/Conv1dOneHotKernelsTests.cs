using Promptor.Tensors;
using Promptor.Tensors.Kernels;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Tensors.Kernels;

public class Conv1dOneHotKernelsTests
{
    public static TheoryData<int, int, int, int, int, int, int, int> Geometries => new()
    {
        // N, Cin, L, Cout, K, padLeft, padRight, pool
        { 3, 4, 50, 128, 15, 7, 7, 4 },     // CondPromoter's first layer in small: one register block
        { 2, 4, 33, 144, 5, 2, 2, 3 },      // a block and a remainder vector; a partial last window
        { 2, 5, 20, 16, 3, 0, 0, 1 },       // 'valid', no pooling, an extra symbol
        { 1, 4, 6, 32, 9, 4, 4, 2 },        // filter wider than the sequence
    };

    /// <summary>
    /// One-hot rows, with N (0.25 each), soft, all-zero, value-2 and one-plus-another rows mixed in: those take the
    /// dense sum. Every fifth sample is left wholly one-hot.
    /// </summary>
    private static float[] DnaLikeInput(Generator rng, int n, int l, int cin)
    {
        var x = new float[n * l * cin];
        for (int r = 0; r < n * l; r++)
        {
            int kind = r % 11;
            for (int c = 0; c < cin; c++)
            {
                x[r * cin + c] = kind switch
                {
                    3 => 1f / cin,                                   // N
                    7 => c == 0 ? 0.7f : 0.3f / (cin - 1),           // a soft call
                    9 => 0f,                                         // nothing
                    10 => c == 1 ? 2f : 0f,                          // not a unit vector
                    5 => c == 0 ? 1f : c == 2 ? 0.5f : 0f,           // a one beside another value
                    _ => 0f,
                };
            }
            if (kind is not (3 or 5 or 7 or 9 or 10))
            {
                x[r * cin + rng.NextInt(cin)] = 1f;
            }
        }
        return x;
    }

    /// <summary>DNA-like input, a weight and a bias for geometry <paramref name="g"/>.</summary>
    private static (float[] X, float[] W, float[] B) Layer(in Conv1dGeometry g, ulong seed)
    {
        var rng = new Generator(seed);
        var x = DnaLikeInput(rng, g.N, g.L, g.Cin);
        var w = new float[g.Cout * g.Cin * g.K];
        var b = new float[g.Cout];
        rng.FillNormal(w);
        rng.FillNormal(b);
        return (x, w, b);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void LookUpsEqualTheComposedWindowConvolutionPoolAndRelu(int n, int cin, int l, int cout, int k, int padLeft, int padRight, int pool)
    {
        var g = new Conv1dGeometry(n, cin, l, cout, k, 1, 1, padLeft, padRight);
        Assert.True(Conv1dOneHotKernels.Supports(g));
        var (x, w, b) = Layer(g, seed: 31);

        // The composed oracle: the full window convolution (the GEMM path), then pooling and ReLU.
        int lo = g.LOut / pool;
        var full = new float[n * g.LOut * cout];
        Conv1dWindowKernels.Forward(x, w, b, full, g);
        var expected = new float[n * lo * cout];
        var at = new int[expected.Length];
        ChannelsLastPoolKernels.MaxForwardReference(full, expected, at, n, g.LOut, cout, pool);
        for (int i = 0; i < expected.Length; i++)
        {
            expected[i] = Math.Max(expected[i], 0f);
        }

        foreach (bool record in new[] { false, true })
        {
            var y = Enumerable.Repeat(float.NaN, expected.Length).ToArray();
            var argmax = record ? Enumerable.Repeat(-1, expected.Length).ToArray() : null;
            Conv1dOneHotKernels.ForwardPoolRelu(x, w, b, y, argmax, g, pool);
            GoldenAssert.Close(expected, y, 1e-5, 1e-5, $"record {record}");
            Assert.Contains(y, v => v == 0f);
            if (argmax is null)
            {
                continue;
            }
            for (int i = 0; i < expected.Length; i++)
            {
                int sample = i / (lo * cout), q = i / cout % lo, ch = i % cout;
                int window = (at[i] - ch) / cout - (sample * g.LOut + q * pool);
                Assert.Equal(window, argmax[i]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void WeightGradientEqualsTheDoubleSumOverWinningPositions(int n, int cin, int l, int cout, int k, int padLeft, int padRight, int pool)
    {
        var g = new Conv1dGeometry(n, cin, l, cout, k, 1, 1, padLeft, padRight);
        var (x, w, b) = Layer(g, seed: 32);
        var rng = new Generator(33);
        int lo = g.LOut / pool;
        var y = new float[n * lo * cout];
        var argmax = new int[y.Length];
        Conv1dOneHotKernels.ForwardPoolRelu(x, w, b, y, argmax, g, pool);
        var passed = new float[y.Length];
        for (int i = 0; i < passed.Length; i++)
        {
            passed[i] = y[i] > 0 ? (float)rng.NextNormal() : 0f;     // gated by the ReLU, as the caller passes it
        }

        // dW[co, ci, tap] = Σ over windows of the gradient at the winning position t times x[t + tap − padLeft, ci].
        var expected = new double[w.Length];
        for (int s = 0; s < n; s++)
        {
            for (int q = 0; q < lo; q++)
            {
                for (int co = 0; co < cout; co++)
                {
                    int at = (s * lo + q) * cout + co;
                    int t = q * pool + argmax[at];
                    for (int tap = 0; tap < k; tap++)
                    {
                        int position = t + tap - padLeft;
                        if (position < 0 || position >= l)
                        {
                            continue;
                        }
                        for (int ci = 0; ci < cin; ci++)
                        {
                            expected[(co * cin + ci) * k + tap] += (double)passed[at] * x[(s * l + position) * cin + ci];
                        }
                    }
                }
            }
        }
        var dw = Enumerable.Range(0, w.Length).Select(i => 0.25f * (i % 3)).ToArray();   // accumulates
        Conv1dOneHotKernels.WeightGradient(passed, argmax, x, dw, g, pool);
        GoldenAssert.Close(expected.Select((v, i) => (float)(v + 0.25 * (i % 3))).ToArray(), dw, 1e-4, 1e-4, "dW");
    }

    [Fact]
    public void TheWindowKernelsTakeTheLookUpsForNarrowInputOnly()
    {
        Assert.True(Conv1dOneHotKernels.Supports(new Conv1dGeometry(2, 4, 100, 128, 15, 1, 1, 7, 7)));
        Assert.False(Conv1dOneHotKernels.Supports(new Conv1dGeometry(2, 16, 100, 128, 9, 1, 1, 4, 4)));   // wide input: GEMM
        Assert.False(Conv1dOneHotKernels.Supports(new Conv1dGeometry(2, 4, 100, 10, 15, 1, 1, 7, 7)));    // partial vectors
        Assert.False(Conv1dOneHotKernels.Supports(new Conv1dGeometry(2, 4, 100, 128, 15, 2, 1, 7, 7)));   // strided
    }
}
