using System.Runtime.Intrinsics;
using Promptor.Tensors.Kernels;

namespace Promptor.Tests.Tensors.Kernels;

using static Promptor.Tests.Tensors.GradCheck;

/// <summary>The 16-wide-head attention kernel (query rows in vector lanes) against the double reference.</summary>
public class AttentionNarrowHeadKernelsTests
{
    [Theory]
    [InlineData(1, 1, 1, 1)]       // one query, one key
    [InlineData(2, 3, 15, 3)]      // a short block, an odd key count
    [InlineData(1, 2, 16, 62)]     // exactly one block
    [InlineData(2, 8, 17, 62)]     // a full block and a one-row block
    [InlineData(2, 8, 62, 63)]     // the promoter model's self-attention, odd keys
    [InlineData(1, 1, 40, 300)]    // many keys: large scores shift the softmax
    public void EqualsTheDoubleReferenceOnPackedHeadsWithGates(int b, int h, int tq, int tk)
    {
        Assert.True(AttentionNarrowHeadKernels.Supports(new AttentionDims(b, h, tq, tk, 16, 16), AttentionMaskSpec.None) == Vector512.IsHardwareAccelerated);
        const int w = AttentionNarrowHeadKernels.Width;
        int e = h * w;
        // Queries in (B, Tq, E) rows, keys and values packed in (B, Tk, 2E) rows; output (B, Tq, E).
        var q = Random(1, b, tq, e).Data;
        var kv = Random(2, b, tk, 2 * e).Data;
        for (int i = 0; i < q.Length; i++)
        {
            q[i] *= 3f;
        }
        var gates = Random(3, h).Data;
        var d = new AttentionDims(b, h, tq, tk, w, w);
        var layouts = (Q: AttentionLayout.Interleaved(0, tq, e, w), K: AttentionLayout.Interleaved(0, tk, 2 * e, w),
            V: AttentionLayout.Interleaved(e, tk, 2 * e, w), O: AttentionLayout.Interleaved(0, tq, e, w));
        var fast = new float[b * tq * e];
        var slow = new float[fast.Length];
        AttentionInferenceKernels.Forward(q, layouts.Q, kv, layouts.K, kv, layouts.V, fast, layouts.O, d, AttentionMaskSpec.None, 0.25f, gates);
        AttentionInferenceKernels.ForwardReference(q, layouts.Q, kv, layouts.K, kv, layouts.V, slow, layouts.O, d, AttentionMaskSpec.None, 0.25f, gates);
        for (int i = 0; i < fast.Length; i++)
        {
            Assert.True(Math.Abs(slow[i] - fast[i]) <= 2e-6f * (1f + Math.Abs(slow[i])), $"[{i}]: reference {slow[i]}, kernel {fast[i]}");
        }
    }

    [Fact]
    public void QueriesSharedAcrossTheBatchAndPaddingRowsLeaveOtherMemoryAlone()
    {
        // Batch stride 0 for the queries; the output rows sit inside a wider row whose other columns must stay untouched.
        const int b = 3, h = 2, tq = 5, tk = 9, w = AttentionNarrowHeadKernels.Width, e = h * w, rowWidth = e + 7;
        var q = Random(4, tq, e).Data;
        var kv = Random(5, b, tk, 2 * e).Data;
        var d = new AttentionDims(b, h, tq, tk, w, w);
        var lq = new AttentionLayout(0, 0, w, e);
        var lk = AttentionLayout.Interleaved(0, tk, 2 * e, w);
        var lv = AttentionLayout.Interleaved(e, tk, 2 * e, w);
        var lo = AttentionLayout.Interleaved(0, tq, rowWidth, w);
        var fast = Enumerable.Repeat(-7f, b * tq * rowWidth).ToArray();
        var slow = Enumerable.Repeat(-7f, fast.Length).ToArray();
        AttentionInferenceKernels.Forward(q, lq, kv, lk, kv, lv, fast, lo, d, AttentionMaskSpec.None, 0.5f);
        AttentionInferenceKernels.ForwardReference(q, lq, kv, lk, kv, lv, slow, lo, d, AttentionMaskSpec.None, 0.5f);
        for (int i = 0; i < fast.Length; i++)
        {
            Assert.True(Math.Abs(slow[i] - fast[i]) <= 2e-6f * (1f + Math.Abs(slow[i])), $"[{i}]: reference {slow[i]}, kernel {fast[i]}");
        }
        Assert.All(Enumerable.Range(0, b * tq), r => Assert.All(fast.AsSpan(r * rowWidth + e, 7).ToArray(), x => Assert.Equal(-7f, x)));
    }

    [Fact]
    public void MasksAndOtherWidthsAreLeftToTheRowMajorKernel()
    {
        var d = new AttentionDims(1, 1, 4, 4, 16, 16);
        Assert.False(AttentionNarrowHeadKernels.Supports(d, new AttentionMaskSpec(true, null, null, 0, 0)));
        Assert.False(AttentionNarrowHeadKernels.Supports(d with { KeyWidth = 8 }, AttentionMaskSpec.None));
        Assert.False(AttentionNarrowHeadKernels.Supports(d with { ValueWidth = 32 }, AttentionMaskSpec.None));
    }
}
