using Promptor.Tensors;
using Promptor.Tensors.Kernels;

namespace Promptor.Tests.Tensors.Kernels;

using static Promptor.Tests.Tensors.GradCheck;

public class AttentionInferenceKernelsTests
{
    /// <summary>Batch, heads, query and key lengths, key and value widths: vector-multiple and ragged widths, short and long rows, blocks of 8 with remainders.</summary>
    public static TheoryData<int, int, int, int, int, int> Shapes => new()
    {
        { 1, 1, 1, 1, 1, 1 },
        { 2, 3, 5, 7, 4, 6 },
        { 3, 8, 62, 62, 16, 16 },
        { 2, 8, 34, 62, 16, 16 },
        { 1, 2, 17, 33, 32, 20 },
        { 2, 1, 9, 130, 8, 5 },
        { 1, 2, 70, 300, 16, 48 },
        { 2, 2, 45, 20, 32, 32 },     // more queries than keys: causal blocks past the last key
        { 1, 4, 128, 128, 32, 32 },   // the GPT's heads: causal blocks skip the keys they cannot see
    };

    private static AttentionMaskSpec Mask(string kind, int b, int h, int tq, int tk)
    {
        var padding = new float[b * tk];
        for (int i = 0; i < b; i++)
        {
            for (int j = Math.Max(0, tk - 1 - 2 * i); j < tk; j++)
            {
                padding[i * tk + j] = 1f;
            }
        }
        var bias = Random(11, b, h, tq, tk).Data;
        return kind switch
        {
            "none" => AttentionMaskSpec.None,
            "causal" => new AttentionMaskSpec(true, null, null, 0, 0),
            "padding" => new AttentionMaskSpec(false, padding, null, 0, 0),
            "bias" => new AttentionMaskSpec(false, null, bias, h * tq * tk, tq * tk),
            _ => new AttentionMaskSpec(true, padding, bias, h * tq * tk, tq * tk),
        };
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance, string what)
    {
        double scale = expected.Select(Math.Abs).DefaultIfEmpty(0f).Max();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale + 1e-6, $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void FastKernelEqualsTheDoubleReferenceWithEveryMaskKind(int b, int h, int tq, int tk, int dk, int dv)
    {
        var q = Random(1, b, h, tq, dk).Data;
        var k = Random(2, b, h, tk, dk).Data;
        var v = Random(3, b, h, tk, dv).Data;
        var gates = Random(4, h).Data;
        var d = new AttentionDims(b, h, tq, tk, dk, dv);
        var lq = AttentionLayout.Contiguous(h, tq, dk);
        var lk = AttentionLayout.Contiguous(h, tk, dk);
        var lv = AttentionLayout.Contiguous(h, tk, dv);
        var lo = AttentionLayout.Contiguous(h, tq, dv);
        foreach (string kind in new[] { "none", "causal", "padding", "bias", "all" })
        {
            var mask = Mask(kind, b, h, tq, tk);
            foreach (var g in new[] { null, gates })
            {
                var fast = new float[b * h * tq * dv];
                var slow = new float[fast.Length];
                AttentionInferenceKernels.Forward(q, lq, k, lk, v, lv, fast, lo, d, mask, 0.3f, g);
                AttentionInferenceKernels.ForwardReference(q, lq, k, lk, v, lv, slow, lo, d, mask, 0.3f, g);
                Assert.All(fast, x => Assert.True(float.IsFinite(x)));
                AssertClose(slow, fast, 2e-6, $"{kind}, gates {g is not null}");
            }
        }
    }

    [Fact]
    public void FastKernelEqualsTheTrainingKernelOnContiguousHeads()
    {
        const int b = 3, h = 4, tq = 29, tk = 45, dk = 16, dv = 16;
        var q = Random(5, b, h, tq, dk).Data;
        var k = Random(6, b, h, tk, dk).Data;
        var v = Random(7, b, h, tk, dv).Data;
        var d = new AttentionDims(b, h, tq, tk, dk, dv);
        var mask = Mask("all", b, h, tq, tk);
        var flash = new float[b * h * tq * dv];
        AttentionKernels.Forward(q, k, v, flash, new float[b * h * tq], d, mask, 0.25f);
        var whole = new float[flash.Length];
        AttentionInferenceKernels.Forward(q, AttentionLayout.Contiguous(h, tq, dk), k, AttentionLayout.Contiguous(h, tk, dk),
            v, AttentionLayout.Contiguous(h, tk, dv), whole, AttentionLayout.Contiguous(h, tq, dv), d, mask, 0.25f);
        AssertClose(flash, whole, 2e-6, "output");
    }

    [Fact]
    public void ReadsHeadsInPlaceFromPackedProjectionsAndWritesMergedRows()
    {
        // (B, T, 3E) packed [q | k | v] with H heads of width D, output (B, T, E): the same result as
        // splitting into contiguous (B, H, T, D) tensors first.
        const int b = 2, t = 13, h = 3, w = 16, e = h * w;
        var packed = Random(8, b, t, 3 * e).Data;
        float[] Split(int part)
        {
            var x = new float[b * h * t * w];
            for (int bi = 0; bi < b; bi++)
            {
                for (int hi = 0; hi < h; hi++)
                {
                    for (int ti = 0; ti < t; ti++)
                    {
                        Array.Copy(packed, (bi * t + ti) * 3 * e + part * e + hi * w, x, ((bi * h + hi) * t + ti) * w, w);
                    }
                }
            }
            return x;
        }
        var d = new AttentionDims(b, h, t, t, w, w);
        var contiguous = AttentionLayout.Contiguous(h, t, w);
        var split = new float[b * h * t * w];
        AttentionInferenceKernels.ForwardReference(Split(0), contiguous, Split(1), contiguous, Split(2), contiguous, split, contiguous, d, AttentionMaskSpec.None, 0.25f);
        var merged = new float[b * t * e];
        AttentionInferenceKernels.Forward(packed, AttentionLayout.Interleaved(0, t, 3 * e, w), packed, AttentionLayout.Interleaved(e, t, 3 * e, w),
            packed, AttentionLayout.Interleaved(2 * e, t, 3 * e, w), merged, AttentionLayout.Interleaved(0, t, e, w), d, AttentionMaskSpec.None, 0.25f);
        for (int bi = 0; bi < b; bi++)
        {
            for (int hi = 0; hi < h; hi++)
            {
                for (int ti = 0; ti < t; ti++)
                {
                    for (int c = 0; c < w; c++)
                    {
                        float expected = split[((bi * h + hi) * t + ti) * w + c];
                        float actual = merged[(bi * t + ti) * e + hi * w + c];
                        Assert.True(Math.Abs(expected - actual) <= 1e-5f, $"b{bi} h{hi} t{ti} c{c}: {expected} vs {actual}");
                    }
                }
            }
        }
    }

    [Fact]
    public void RowsSumToOneSoConstantValuesPassThroughAndMaskedRowsAreZero()
    {
        // Softmax weights sum to 1: with every value row equal to u, every output row is u · gate.
        const int b = 2, h = 2, tq = 11, tk = 21, w = 16;
        var v = new float[b * h * tk * w];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = i % w - 3.5f;
        }
        var padding = new float[b * tk];
        Array.Fill(padding, 1f, tk, tk);                              // batch 1: every key masked
        var d = new AttentionDims(b, h, tq, tk, w, w);
        var o = new float[b * h * tq * w];
        AttentionInferenceKernels.Forward(Random(1, b, h, tq, w).Data, AttentionLayout.Contiguous(h, tq, w), Random(2, b, h, tk, w).Data,
            AttentionLayout.Contiguous(h, tk, w), v, AttentionLayout.Contiguous(h, tk, w), o, AttentionLayout.Contiguous(h, tq, w), d,
            new AttentionMaskSpec(false, padding, null, 0, 0), 1f, [2f, -1f]);
        for (int hi = 0; hi < h; hi++)
        {
            float gate = hi == 0 ? 2f : -1f;
            for (int i = 0; i < tq; i++)
            {
                for (int c = 0; c < w; c++)
                {
                    Assert.Equal((c - 3.5f) * gate, o[((0 * h + hi) * tq + i) * w + c], 1e-4f);
                    Assert.Equal(0f, o[((1 * h + hi) * tq + i) * w + c]);
                }
            }
        }
    }

    [Fact]
    public void SinglePrecisionExpIsWithinTwoUlpsOnTheSoftmaxRangeAndZeroBelowIt()
    {
        var inputs = new List<float> { 0f, -0f, -1e-30f, -0.5f, -1f, -10f, -87f, -87.29f, -87.31f, -100f, -1e30f, float.NegativeInfinity };
        for (int i = 0; i < 4000; i++)
        {
            inputs.Add(-90f * i / 4000f);
        }
        while (inputs.Count % 16 != 0)
        {
            inputs.Add(-3f);
        }
        for (int start = 0; start < inputs.Count; start += 16)
        {
            var x = System.Runtime.Intrinsics.Vector512.Create(inputs.GetRange(start, 16).ToArray());
            var e = AttentionInferenceKernels.ExpNonPositive(x);
            for (int lane = 0; lane < 16; lane++)
            {
                float input = x[lane];
                double exact = input < -87.3f ? 0 : Math.Exp(input);
                Assert.True(Math.Abs(e[lane] - exact) <= 2.5e-7 * exact, $"exp({input}) = {e[lane]}, exact {exact}");
            }
        }
    }
}
