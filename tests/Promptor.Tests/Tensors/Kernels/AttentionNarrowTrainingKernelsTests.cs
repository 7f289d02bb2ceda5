using System.Runtime.Intrinsics;
using Promptor.Tensors.Kernels;

namespace Promptor.Tests.Tensors.Kernels;

using static Promptor.Tests.Tensors.GradCheck;

/// <summary>
/// The 16-wide-head training kernels (query rows in vector lanes) against the general tile kernels,
/// forward and backward, with and without weight dropout, on packed self-attention and on separate
/// query, key and value tensors.
/// </summary>
public class AttentionNarrowTrainingKernelsTests
{
    private const int W = AttentionNarrowHeadKernels.Width;

    [Theory]
    [InlineData(1, 1, 1, 0f)]       // one position
    [InlineData(2, 3, 15, 0f)]      // one short block
    [InlineData(2, 8, 62, 0f)]      // the promoter model's self-attention: three full blocks and a short one
    [InlineData(2, 8, 62, 0.1f)]    // … with its weight dropout
    [InlineData(1, 2, 33, 0.5f)]    // heavy dropout, a one-row block
    public void PackedSelfAttentionEqualsTheTileKernels(int b, int h, int t, float dropout)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            return;
        }
        int e = h * W;
        var packed = Random(1, b, t, 3 * e).Data;
        var layouts = (Q: AttentionLayout.Interleaved(0, t, 3 * e, W), K: AttentionLayout.Interleaved(e, t, 3 * e, W),
            V: AttentionLayout.Interleaved(2 * e, t, 3 * e, W), O: AttentionLayout.Interleaved(0, t, e, W));
        var d = new AttentionDims(b, h, t, t, W, W);
        var drop = dropout > 0 ? new AttentionDropout(dropout, 0x1234_5678_9ABC_DEF0UL) : (AttentionDropout?)null;
        var dO = Random(2, b, t, e).Data;
        var initial = Random(3, b, t, 3 * e).Data;   // gradients accumulate onto what is there

        (float[] O, float[] Lse, float[] Grad) Run(bool narrow)
        {
            var o = new float[b * t * e];
            var lse = new float[b * h * t];
            var grad = (float[])initial.Clone();
            if (narrow)
            {
                AttentionKernels.ForwardNarrow(packed, layouts.Q, packed, layouts.K, packed, layouts.V, o, layouts.O, lse, d, 0.25f, drop);
                AttentionKernels.BackwardNarrow(packed, layouts.Q, packed, layouts.K, packed, layouts.V, o, layouts.O, lse, dO, grad, grad, grad, d, 0.25f, drop);
            }
            else
            {
                AttentionKernels.ForwardTiled(packed, layouts.Q, packed, layouts.K, packed, layouts.V, o, layouts.O, lse, d, AttentionMaskSpec.None, 0.25f, drop);
                AttentionKernels.BackwardTiled(packed, layouts.Q, packed, layouts.K, packed, layouts.V, o, layouts.O, lse, dO, grad, grad, grad, d, AttentionMaskSpec.None, 0.25f, drop);
            }
            return (o, lse, grad);
        }

        var fast = Run(narrow: true);
        var tiles = Run(narrow: false);
        AssertClose(tiles.O, fast.O, "output");
        AssertClose(tiles.Lse, fast.Lse, "log-sum-exp");
        AssertClose(tiles.Grad, fast.Grad, "packed gradient");
        Assert.NotEqual(initial, fast.Grad);
    }

    [Theory]
    [InlineData(2, 8, 1, 62, 0f)]     // one treatment query per gene over 62 positions
    [InlineData(3, 2, 16, 62, 0.1f)]  // all sixteen treatment queries at once, with dropout
    [InlineData(1, 1, 40, 300, 0f)]   // many keys: large scores shift the softmax
    [InlineData(2, 4, 7, 3, 0.2f)]    // fewer keys than queries
    public void CrossAttentionEqualsTheTileKernelsAndSkipsMissingGradients(int b, int h, int tq, int tk, float dropout)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            return;
        }
        int e = h * W;
        var q = Random(4, b, tq, e).Data;
        for (int i = 0; i < q.Length; i++)
        {
            q[i] *= 3f;
        }
        var k = Random(5, b, tk, e).Data;
        var v = Random(6, b, tk, e).Data;
        var dO = Random(7, b, tq, e).Data;
        var lq = AttentionLayout.Interleaved(0, tq, e, W);
        var lk = AttentionLayout.Interleaved(0, tk, e, W);
        var d = new AttentionDims(b, h, tq, tk, W, W);
        var drop = dropout > 0 ? new AttentionDropout(dropout, 99UL) : (AttentionDropout?)null;

        (float[] O, float[] Lse, float[]? DQ, float[] DK, float[] DV) Run(bool narrow, bool withQueryGradient)
        {
            var o = new float[b * tq * e];
            var lse = new float[b * h * tq];
            var dq = withQueryGradient ? new float[q.Length] : null;
            var dk = new float[k.Length];
            var dv = new float[v.Length];
            if (narrow)
            {
                AttentionKernels.ForwardNarrow(q, lq, k, lk, v, lk, o, lq, lse, d, 0.25f, drop);
                AttentionKernels.BackwardNarrow(q, lq, k, lk, v, lk, o, lq, lse, dO, dq, dk, dv, d, 0.25f, drop);
            }
            else
            {
                AttentionKernels.ForwardTiled(q, lq, k, lk, v, lk, o, lq, lse, d, AttentionMaskSpec.None, 0.25f, drop);
                AttentionKernels.BackwardTiled(q, lq, k, lk, v, lk, o, lq, lse, dO, dq, dk, dv, d, AttentionMaskSpec.None, 0.25f, drop);
            }
            return (o, lse, dq, dk, dv);
        }

        var fast = Run(narrow: true, withQueryGradient: true);
        var tiles = Run(narrow: false, withQueryGradient: true);
        AssertClose(tiles.O, fast.O, "output");
        AssertClose(tiles.Lse, fast.Lse, "log-sum-exp");
        AssertClose(tiles.DQ!, fast.DQ!, "dQ");
        AssertClose(tiles.DK, fast.DK, "dK");
        AssertClose(tiles.DV, fast.DV, "dV");

        var frozenQueries = Run(narrow: true, withQueryGradient: false);
        Assert.Equal(fast.DK, frozenQueries.DK);
        Assert.Equal(fast.DV, frozenQueries.DV);
    }

    [Fact]
    public void TheDispatchTakesOnlyUnmaskedSixteenWideHeads()
    {
        var d = new AttentionDims(1, 1, 4, 4, 16, 16);
        Assert.Equal(Vector512.IsHardwareAccelerated, AttentionNarrowTrainingKernels.Supports(d, AttentionMaskSpec.None));
        Assert.False(AttentionNarrowTrainingKernels.Supports(d, new AttentionMaskSpec(true, null, null, 0, 0)));
        Assert.False(AttentionNarrowTrainingKernels.Supports(d, new AttentionMaskSpec(false, new float[4], null, 0, 0)));
        Assert.False(AttentionNarrowTrainingKernels.Supports(d with { KeyWidth = 32, ValueWidth = 32 }, AttentionMaskSpec.None));
        Assert.False(AttentionNarrowTrainingKernels.Supports(d with { KeyLength = 0 }, AttentionMaskSpec.None));   // no keys: zero rows, as the tiles give
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float scale = expected.Max(x => Math.Abs(x));
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * scale + 1e-5f * Math.Abs(expected[i]),
                $"{what}[{i}]: tile kernels {expected[i]}, narrow kernels {actual[i]}");
        }
    }
}
