using System.Buffers;
using System.Numerics.Tensors;

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
                    for (int j = 0; j < keysSeen; j++)
                    {
                        scores[j] = scale * TensorPrimitives.Dot(q, keys.AsSpan(cacheBase + j * headDim, headDim));
                    }
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
                    o.Clear();
                    for (int j = 0; j < keysSeen; j++)
                    {
                        TensorPrimitives.MultiplyAdd(values.AsSpan(cacheBase + j * headDim, headDim), s[j], o, o);
                    }
                    TensorPrimitives.Multiply(o, 1f / sum, o);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        }
    }
}
