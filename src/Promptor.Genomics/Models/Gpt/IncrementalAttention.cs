using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Promptor.Genomics.Models.Gpt;

// Dimension letters: B batch, n new tokens, H heads, D head width, C = H·D, P positions already
// cached, T_max the cache capacity, R rows of a relative table.

/// <summary>
/// Causal attention of n new tokens over a growing key/value cache, for inference. The fused
/// training kernel wants contiguous <c>(B, H, Tk, D)</c> keys, but a cache preallocated to
/// <c>T_max</c> holds its <c>P + n</c> filled rows at a stride of <c>T_max·D</c> per head; this
/// kernel reads them in place instead of copying the past every step.
/// </summary>
internal static class IncrementalAttention
{
    /// <summary>Below this many multiply-adds the heads run on one thread (a decoding step is tiny).</summary>
    private const long ParallelThreshold = 1 << 16;

    /// <summary>
    /// Appends the new keys and values of <paramref name="qkv"/> <c>(B, n, 3C)</c> (rows
    /// <c>[q | k | v]</c>, head h at features <c>h·D</c> of each part) to the cache at positions
    /// <c>P .. P + n − 1</c>, then writes <c>softmax(scale·q kᵀ + rel) v</c> for query i over keys
    /// <c>0 .. P + i</c> to <paramref name="output"/> <c>(B, n, C)</c>. With a relative table
    /// (<c>(R, D)</c> shared or <c>(H, R, D)</c>, causal rows: distance <c>r − K</c>), each score
    /// gains <c>relativeScale · q · E[clip(j − pos) + K]</c>.
    /// </summary>
    public static void Forward(float[] qkv, float[] keys, float[] values, float[] output,
        int batch, int count, int heads, int headDim, int capacity, int past, float scale,
        float[]? relativeTable = null, bool relativePerHead = false, int relativeMaxDistance = 0, float relativeScale = 0f)
    {
        int c = heads * headDim;
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < count; i++)
            {
                int row = (b * count + i) * 3 * c;
                for (int h = 0; h < heads; h++)
                {
                    int at = ((b * heads + h) * capacity + past + i) * headDim;
                    qkv.AsSpan(row + c + h * headDim, headDim).CopyTo(keys.AsSpan(at, headDim));
                    qkv.AsSpan(row + 2 * c + h * headDim, headDim).CopyTo(values.AsSpan(at, headDim));
                }
            }
        }

        int total = past + count;
        int rows = relativeTable is null ? 0 : relativeMaxDistance + 1;
        long work = (long)batch * heads * count * total * headDim;
        if (work < ParallelThreshold)
        {
            for (int bh = 0; bh < batch * heads; bh++)
            {
                Head(bh);
            }
        }
        else
        {
            Parallel.For(0, batch * heads, Head);
        }

        void Head(int bh)
        {
            int b = bh / heads, h = bh % heads;
            float[] scratch = ArrayPool<float>.Shared.Rent(total + rows);
            try
            {
                var scores = scratch.AsSpan(0, total);
                var relative = scratch.AsSpan(total, rows);
                int cacheBase = bh * capacity * headDim;
                int tableBase = relativePerHead ? h * rows * headDim : 0;
                for (int i = 0; i < count; i++)
                {
                    int pos = past + i, keysSeen = pos + 1;
                    var q = qkv.AsSpan((b * count + i) * 3 * c + h * headDim, headDim);
                    Scores(q, keys.AsSpan(cacheBase, keysSeen * headDim), headDim, scale, scores[..keysSeen]);
                    if (relativeTable is not null)
                    {
                        // q · E[r] once per table row, then each key picks its clipped distance's row.
                        for (int r = 0; r < rows; r++)
                        {
                            relative[r] = relativeScale * TensorPrimitives.Dot(q, relativeTable.AsSpan(tableBase + r * headDim, headDim));
                        }
                        for (int j = 0; j < keysSeen; j++)
                        {
                            scores[j] += relative[Math.Max(j - pos, -relativeMaxDistance) + relativeMaxDistance];
                        }
                    }
                    var s = scores[..keysSeen];
                    float max = TensorPrimitives.Max(s);
                    TensorPrimitives.Subtract(s, max, s);
                    TensorPrimitives.Exp(s, s);
                    float sum = TensorPrimitives.Sum(s);
                    var o = output.AsSpan((b * count + i) * c + h * headDim, headDim);
                    Mix(s, values.AsSpan(cacheBase, keysSeen * headDim), headDim, 1f / sum, o);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        }
    }

    /// <summary>
    /// <c>scores[j] = scale · q · keys[j]</c> for the <c>scores.Length</c> key rows of width
    /// <paramref name="headDim"/>. For heads of one to four whole 16-float vectors, q stays in
    /// registers and each key costs one horizontal sum instead of a library call.
    /// </summary>
    private static void Scores(ReadOnlySpan<float> q, ReadOnlySpan<float> keys, int headDim, float scale, Span<float> scores)
    {
        if (!Vector512.IsHardwareAccelerated || headDim % 16 != 0 || headDim > 64)
        {
            for (int j = 0; j < scores.Length; j++)
            {
                scores[j] = scale * TensorPrimitives.Dot(q, keys.Slice(j * headDim, headDim));
            }
            return;
        }
        int chunks = headDim / 16;
        var q0 = Vector512.Create(q);
        var q1 = chunks > 1 ? Vector512.Create(q[16..]) : default;
        var q2 = chunks > 2 ? Vector512.Create(q[32..]) : default;
        var q3 = chunks > 3 ? Vector512.Create(q[48..]) : default;
        for (int j = 0; j < scores.Length; j++)
        {
            var key = keys.Slice(j * headDim, headDim);
            var sum = q0 * Vector512.Create(key);
            if (chunks > 1)
            {
                sum = Vector512.FusedMultiplyAdd(q1, Vector512.Create(key[16..]), sum);
            }
            if (chunks > 2)
            {
                sum = Vector512.FusedMultiplyAdd(q2, Vector512.Create(key[32..]), sum);
            }
            if (chunks > 3)
            {
                sum = Vector512.FusedMultiplyAdd(q3, Vector512.Create(key[48..]), sum);
            }
            scores[j] = scale * Vector512.Sum(sum);
        }
    }

    /// <summary>
    /// <c>o = factor · Σ_j weights[j] · values[j]</c> over value rows of width <paramref name="headDim"/>;
    /// for whole vectors each 16 features are summed in a register instead of reloaded and stored per key.
    /// </summary>
    private static void Mix(ReadOnlySpan<float> weights, ReadOnlySpan<float> values, int headDim, float factor, Span<float> o)
    {
        if (!Vector512.IsHardwareAccelerated || headDim % 16 != 0)
        {
            o.Clear();
            for (int j = 0; j < weights.Length; j++)
            {
                TensorPrimitives.MultiplyAdd(values.Slice(j * headDim, headDim), weights[j], o, o);
            }
            TensorPrimitives.Multiply(o, factor, o);
            return;
        }
        for (int d = 0; d < headDim; d += 16)
        {
            var sum = Vector512<float>.Zero;
            for (int j = 0; j < weights.Length; j++)
            {
                sum = Vector512.FusedMultiplyAdd(Vector512.Create(values.Slice(j * headDim + d, 16)), Vector512.Create(weights[j]), sum);
            }
            (sum * factor).CopyTo(o.Slice(d, 16));
        }
    }
}
