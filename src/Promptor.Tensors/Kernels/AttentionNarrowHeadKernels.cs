using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Promptor.Tensors.Kernels;

// Dimension letters: Tq query rows, Tk keys, D = 16 the head width (one 512-bit vector of floats).

/// <summary>
/// Unmasked attention for heads exactly 16 floats wide (the promoter models' 128-wide layers with
/// 8 heads). Scores are computed with query rows in the vector lanes: a block of 16 query rows is
/// gathered once into 16 column registers (scaled by the score scale), and each key's 16 scores are
/// one vector of fused multiply-adds with the key's elements broadcast straight from its row, so K
/// is never transposed. The softmax over keys is then element-wise across those vectors (maximum,
/// exp and sum need no horizontal reductions). The weighted sum of values runs row-major, one
/// accumulator per query row, each weight broadcast from a fixed offset of the key's weight vector,
/// so outputs are stored as whole rows. Compared with the row-major kernel this drops the per-head
/// key transpose and every horizontal step, which dominate heads this narrow.
/// </summary>
internal static class AttentionNarrowHeadKernels
{
    /// <summary>The one head width this kernel takes.</summary>
    public const int Width = 16;

    private const int Lanes = 16;

    /// <summary>Whether the kernel takes these operands: 16-wide heads, no mask, AVX-512.</summary>
    public static bool Supports(in AttentionDims d, in AttentionMaskSpec mask) =>
        Vector512.IsHardwareAccelerated && d.KeyWidth == Width && d.ValueWidth == Width
        && !mask.Causal && mask.KeyPadding is null && mask.Bias is null;

    /// <summary>
    /// The (batch, head) pair's output rows <c>o = gate · softmax(scale · q kᵀ) v</c>.
    /// <paramref name="scratch"/> holds at least <c>Tk·16 + 512</c> floats.
    /// </summary>
    public static unsafe void Pair(float[] q, int qStart, int qStride, float[] k, int kStart, int kStride, float[] v, int vStart, int vStride,
        float[] o, int oStart, int oStride, int queries, int keys, float scale, float gate, Span<float> scratch)
    {
        Debug.Assert(scratch.Length >= keys * Lanes + 2 * Lanes * Width, "Narrow attention scratch too short");
        Debug.Assert(qStart + (queries - 1) * qStride + Width <= q.Length && kStart + (keys - 1) * kStride + Width <= k.Length
            && vStart + (keys - 1) * vStride + Width <= v.Length && oStart + (queries - 1) * oStride + Width <= o.Length, "Narrow attention operand too short");
        fixed (float* qp = q, kp = k, vp = v, op = o, sp = scratch)
        {
            float* st = sp;                                   // (Tk, 16): scores, then weights, of the block's rows
            float* block = sp + keys * Lanes;                 // (16, 16): the block's queries (column-major), then its row factors and rows
            for (int i0 = 0; i0 < queries; i0 += Lanes)
            {
                int rows = Math.Min(Lanes, queries - i0);
                TransposeIn(qp + qStart + (long)i0 * qStride, qStride, rows, scale, block);
                var q0 = Vector512.Load(block);
                var q1 = Vector512.Load(block + 16);
                var q2 = Vector512.Load(block + 32);
                var q3 = Vector512.Load(block + 48);
                var q4 = Vector512.Load(block + 64);
                var q5 = Vector512.Load(block + 80);
                var q6 = Vector512.Load(block + 96);
                var q7 = Vector512.Load(block + 112);
                var q8 = Vector512.Load(block + 128);
                var q9 = Vector512.Load(block + 144);
                var q10 = Vector512.Load(block + 160);
                var q11 = Vector512.Load(block + 176);
                var q12 = Vector512.Load(block + 192);
                var q13 = Vector512.Load(block + 208);
                var q14 = Vector512.Load(block + 224);
                var q15 = Vector512.Load(block + 240);

                // Scores: one vector per key over the block's rows, two keys at a time.
                var max = Vector512.Create(float.NegativeInfinity);
                float* key = kp + kStart;
                int j = 0;
                for (; j + 2 <= keys; j += 2, key += 2 * kStride)
                {
                    float* k1 = key + kStride;
                    var a = Vector512.Create(key[0]) * q0;
                    var b = Vector512.Create(k1[0]) * q0;
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[1]), q1, a);
                    b = Vector512.FusedMultiplyAdd(Vector512.Create(k1[1]), q1, b);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[2]), q2, a);
                    b = Vector512.FusedMultiplyAdd(Vector512.Create(k1[2]), q2, b);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[3]), q3, a);
                    b = Vector512.FusedMultiplyAdd(Vector512.Create(k1[3]), q3, b);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[4]), q4, a);
                    b = Vector512.FusedMultiplyAdd(Vector512.Create(k1[4]), q4, b);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[5]), q5, a);
                    b = Vector512.FusedMultiplyAdd(Vector512.Create(k1[5]), q5, b);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[6]), q6, a);
                    b = Vector512.FusedMultiplyAdd(Vector512.Create(k1[6]), q6, b);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[7]), q7, a);
                    b = Vector512.FusedMultiplyAdd(Vector512.Create(k1[7]), q7, b);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[8]), q8, a);
                    b = Vector512.FusedMultiplyAdd(Vector512.Create(k1[8]), q8, b);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[9]), q9, a);
                    b = Vector512.FusedMultiplyAdd(Vector512.Create(k1[9]), q9, b);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[10]), q10, a);
                    b = Vector512.FusedMultiplyAdd(Vector512.Create(k1[10]), q10, b);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[11]), q11, a);
                    b = Vector512.FusedMultiplyAdd(Vector512.Create(k1[11]), q11, b);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[12]), q12, a);
                    b = Vector512.FusedMultiplyAdd(Vector512.Create(k1[12]), q12, b);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[13]), q13, a);
                    b = Vector512.FusedMultiplyAdd(Vector512.Create(k1[13]), q13, b);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[14]), q14, a);
                    b = Vector512.FusedMultiplyAdd(Vector512.Create(k1[14]), q14, b);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[15]), q15, a);
                    b = Vector512.FusedMultiplyAdd(Vector512.Create(k1[15]), q15, b);
                    a.Store(st + j * Lanes);
                    b.Store(st + (j + 1) * Lanes);
                    max = Vector512.Max(max, Vector512.Max(a, b));
                }
                if (j < keys)
                {
                    var a = Vector512.Create(key[0]) * q0;
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[1]), q1, a);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[2]), q2, a);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[3]), q3, a);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[4]), q4, a);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[5]), q5, a);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[6]), q6, a);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[7]), q7, a);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[8]), q8, a);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[9]), q9, a);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[10]), q10, a);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[11]), q11, a);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[12]), q12, a);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[13]), q13, a);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[14]), q14, a);
                    a = Vector512.FusedMultiplyAdd(Vector512.Create(key[15]), q15, a);
                    a.Store(st + j * Lanes);
                    max = Vector512.Max(max, a);
                }

                // Softmax numerators and their sums, per lane (query row).
                var sum = Vector512<float>.Zero;
                for (j = 0; j < keys; j++)
                {
                    var e = AttentionInferenceKernels.ExpNonPositive(Vector512.Load(st + j * Lanes) - max);
                    e.Store(st + j * Lanes);
                    sum += e;
                }
                var factor = Vector512.Create(gate) / sum;

                // Weighted values, row-major: one accumulator per query row; the weights of key j
                // for the block's rows sit side by side, so each is broadcast from a fixed offset.
                factor.Store(block);
                Vector512<float> o0 = default, o1 = default, o2 = default, o3 = default, o4 = default, o5 = default, o6 = default, o7 = default;
                Vector512<float> o8 = default, o9 = default, o10 = default, o11 = default, o12 = default, o13 = default, o14 = default, o15 = default;
                float* value = vp + vStart;
                float* w = st;
                for (j = 0; j < keys; j++, value += vStride, w += Lanes)
                {
                    var vv = Vector512.Load(value);
                    o0 = Vector512.FusedMultiplyAdd(Vector512.Create(w[0]), vv, o0);
                    o1 = Vector512.FusedMultiplyAdd(Vector512.Create(w[1]), vv, o1);
                    o2 = Vector512.FusedMultiplyAdd(Vector512.Create(w[2]), vv, o2);
                    o3 = Vector512.FusedMultiplyAdd(Vector512.Create(w[3]), vv, o3);
                    o4 = Vector512.FusedMultiplyAdd(Vector512.Create(w[4]), vv, o4);
                    o5 = Vector512.FusedMultiplyAdd(Vector512.Create(w[5]), vv, o5);
                    o6 = Vector512.FusedMultiplyAdd(Vector512.Create(w[6]), vv, o6);
                    o7 = Vector512.FusedMultiplyAdd(Vector512.Create(w[7]), vv, o7);
                    o8 = Vector512.FusedMultiplyAdd(Vector512.Create(w[8]), vv, o8);
                    o9 = Vector512.FusedMultiplyAdd(Vector512.Create(w[9]), vv, o9);
                    o10 = Vector512.FusedMultiplyAdd(Vector512.Create(w[10]), vv, o10);
                    o11 = Vector512.FusedMultiplyAdd(Vector512.Create(w[11]), vv, o11);
                    o12 = Vector512.FusedMultiplyAdd(Vector512.Create(w[12]), vv, o12);
                    o13 = Vector512.FusedMultiplyAdd(Vector512.Create(w[13]), vv, o13);
                    o14 = Vector512.FusedMultiplyAdd(Vector512.Create(w[14]), vv, o14);
                    o15 = Vector512.FusedMultiplyAdd(Vector512.Create(w[15]), vv, o15);
                }
                float* output = op + oStart + (long)i0 * oStride;
                (o0 * Vector512.Create(block[0])).Store(output);
                if (rows == Lanes)
                {
                    (o1 * Vector512.Create(block[1])).Store(output + oStride);
                    (o2 * Vector512.Create(block[2])).Store(output + 2 * oStride);
                    (o3 * Vector512.Create(block[3])).Store(output + 3 * oStride);
                    (o4 * Vector512.Create(block[4])).Store(output + 4 * oStride);
                    (o5 * Vector512.Create(block[5])).Store(output + 5 * oStride);
                    (o6 * Vector512.Create(block[6])).Store(output + 6 * oStride);
                    (o7 * Vector512.Create(block[7])).Store(output + 7 * oStride);
                    (o8 * Vector512.Create(block[8])).Store(output + 8 * oStride);
                    (o9 * Vector512.Create(block[9])).Store(output + 9 * oStride);
                    (o10 * Vector512.Create(block[10])).Store(output + 10 * oStride);
                    (o11 * Vector512.Create(block[11])).Store(output + 11 * oStride);
                    (o12 * Vector512.Create(block[12])).Store(output + 12 * oStride);
                    (o13 * Vector512.Create(block[13])).Store(output + 13 * oStride);
                    (o14 * Vector512.Create(block[14])).Store(output + 14 * oStride);
                    (o15 * Vector512.Create(block[15])).Store(output + 15 * oStride);
                }
                else
                {
                    // A short last block: its rows go through the scratch one by one.
                    float* rest = block + Lanes;
                    o1.Store(rest);
                    o2.Store(rest + 16);
                    o3.Store(rest + 32);
                    o4.Store(rest + 48);
                    o5.Store(rest + 64);
                    o6.Store(rest + 80);
                    o7.Store(rest + 96);
                    o8.Store(rest + 112);
                    o9.Store(rest + 128);
                    o10.Store(rest + 144);
                    o11.Store(rest + 160);
                    o12.Store(rest + 176);
                    o13.Store(rest + 192);
                    o14.Store(rest + 208);
                    for (int r = 1; r < rows; r++)
                    {
                        (Vector512.Load(rest + (r - 1) * Lanes) * Vector512.Create(block[r])).Store(output + (long)r * oStride);
                    }
                }
            }
        }
    }

    /// <summary>
    /// block[c·16 + r] = scale · q[r·stride + c] for the block's rows, one column at a time with two
    /// 8-lane gathers; lanes past <paramref name="rows"/> repeat row 0 (finite, never stored).
    /// </summary>
    internal static unsafe void TransposeIn(float* q, int stride, int rows, float scale, float* block)
    {
        Span<int> index = stackalloc int[Lanes];
        for (int r = 0; r < Lanes; r++)
        {
            index[r] = r < rows ? r * stride : 0;
        }
        var low = Vector256.Create<int>(index[..8]);
        var high = Vector256.Create<int>(index[8..]);
        var s = Vector512.Create(scale);
        if (Avx2.IsSupported)
        {
            for (int c = 0; c < Width; c++)
            {
                var column = Vector512.Create(Avx2.GatherVector256(q + c, low, 4), Avx2.GatherVector256(q + c, high, 4));
                (column * s).Store(block + c * Lanes);
            }
            return;
        }
        for (int c = 0; c < Width; c++)
        {
            for (int r = 0; r < Lanes; r++)
            {
                block[c * Lanes + r] = scale * q[index[r] + c];
            }
        }
    }
}
