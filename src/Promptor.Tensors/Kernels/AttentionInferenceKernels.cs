using System.Buffers;
using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Promptor.Tensors.Kernels;

// Dimension letters: B batch, H heads, Tq query length, Tk key length, D query/key width,
// Dv value width, E = H·D the model width when heads are interleaved in one row.

/// <summary>
/// Scaled dot-product attention for inference: no log-sum-exp is kept and no gradient can follow.
/// It is built for the many small heads of the promoter models (tens of positions, 16-wide
/// heads) and skips what only training needs: the training kernel (<see cref="AttentionKernels.Forward"/>) also keeps
/// each row's log-sum-exp for backward. Per (batch, head) it transposes K once into a scratch <c>(D, Tk)</c>
/// panel, so a block of eight query rows scores 16 keys per vector instruction by broadcasting one
/// query element at a time; the softmax runs on whole score rows (at most
/// <see cref="MaxKeyLength"/> keys) and each value row is read once for the eight query rows.
/// (batch, head) pairs are spread over cores in a few chunks per thread.
/// <see cref="ForwardReference"/> is the naive oracle.
/// </summary>
internal static class AttentionInferenceKernels
{
    /// <summary>The longest key sequence the whole-row kernel takes; longer ones use the tiled kernel.</summary>
    public const int MaxKeyLength = 1024;

    /// <summary>
    /// Query rows handled together: each key-panel and value-row load serves all of them, and
    /// their 8 independent accumulators hide the latency of the fused multiply-adds.
    /// </summary>
    private const int RowBlock = 8;

    private const int Lanes = 16;

    /// <summary>Below this many multiply-adds a call runs on the calling thread.</summary>
    private const long ParallelThreshold = 1L << 18;

    /// <summary>Whether <see cref="Forward"/> takes attention of these sizes.</summary>
    public static bool Supports(in AttentionDims d) => d.KeyLength <= MaxKeyLength;

    /// <summary>
    /// Writes <c>o = softmax(scale · q kᵀ + mask) v</c>, each head's output multiplied by
    /// <paramref name="gates"/>[h] when given (length H). A query row whose keys are all masked gets
    /// a zero output. <paramref name="o"/> must not overlap q, k or v.
    /// </summary>
    public static void Forward(float[] q, AttentionLayout qLayout, float[] k, AttentionLayout kLayout, float[] v, AttentionLayout vLayout,
        float[] o, AttentionLayout oLayout, AttentionDims d, AttentionMaskSpec mask, float scale, float[]? gates = null)
    {
        Debug.Assert(d.KeyLength <= MaxKeyLength, "Key sequence too long for the whole-row kernel");
        Debug.Assert(gates is null || gates.Length == d.Heads, "One gate per head");
        int pairs = d.Batch * d.Heads;
        if (pairs == 0 || d.QueryLength == 0)
        {
            return;
        }
        long work = (long)pairs * d.QueryLength * d.KeyLength * (d.KeyWidth + d.ValueWidth);
        int threads = Math.Min(Gemm.ThreadsForThisThread, Environment.ProcessorCount);
        if (threads <= 1 || pairs == 1 || work < ParallelThreshold)
        {
            RunPairs(0, pairs, q, qLayout, k, kLayout, v, vLayout, o, oLayout, d, mask, scale, gates);
            return;
        }
        // A few chunks per thread: each chunk rents its scratch once, and a core slowed by other
        // work takes fewer chunks.
        int chunks = Math.Min(pairs, 4 * threads);
        WorkerTeam.For(chunks, threads, c =>
        {
            int start = (int)((long)pairs * c / chunks), end = (int)((long)pairs * (c + 1) / chunks);
            RunPairs(start, end, q, qLayout, k, kLayout, v, vLayout, o, oLayout, d, mask, scale, gates);
        });
    }

    private static void RunPairs(int start, int end, float[] q, AttentionLayout qLayout, float[] k, AttentionLayout kLayout,
        float[] v, AttentionLayout vLayout, float[] o, AttentionLayout oLayout, AttentionDims d, AttentionMaskSpec mask, float scale, float[]? gates)
    {
        if (AttentionNarrowHeadKernels.Supports(d, mask))
        {
            float[] narrow = ArrayPool<float>.Shared.Rent(d.KeyLength * Lanes + 2 * Lanes * AttentionNarrowHeadKernels.Width);
            try
            {
                for (int pair = start; pair < end; pair++)
                {
                    int b = pair / d.Heads, h = pair % d.Heads;
                    AttentionNarrowHeadKernels.Pair(q, qLayout.Start(b, h), qLayout.RowStride, k, kLayout.Start(b, h), kLayout.RowStride,
                        v, vLayout.Start(b, h), vLayout.RowStride, o, oLayout.Start(b, h), oLayout.RowStride,
                        d.QueryLength, d.KeyLength, scale, gates is null ? 1f : gates[h], narrow);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(narrow);
            }
            return;
        }
        int keysPadded = (d.KeyLength + Lanes - 1) / Lanes * Lanes;
        float[] scratch = ArrayPool<float>.Shared.Rent((d.KeyWidth + RowBlock) * keysPadded);
        try
        {
            var kt = scratch.AsSpan(0, d.KeyWidth * keysPadded);
            var scores = scratch.AsSpan(d.KeyWidth * keysPadded, RowBlock * keysPadded);
            Span<float> factors = stackalloc float[RowBlock];
            for (int pair = start; pair < end; pair++)
            {
                int b = pair / d.Heads, h = pair % d.Heads;
                TransposeKeys(k.AsSpan(kLayout.Start(b, h)), kLayout.RowStride, d.KeyLength, d.KeyWidth, kt, keysPadded);
                float gate = gates is null ? 1f : gates[h];
                int qStart = qLayout.Start(b, h), vStart = vLayout.Start(b, h), oStart = oLayout.Start(b, h);
                for (int i0 = 0; i0 < d.QueryLength; i0 += RowBlock)
                {
                    int rows = Math.Min(RowBlock, d.QueryLength - i0);
                    // Causal: the block's rows see keys j ≤ i0 + rows − 1 only; the later columns are
                    // neither scored nor combined.
                    int keys = mask.Causal ? Math.Min(d.KeyLength, i0 + rows) : d.KeyLength;
                    int columns = (keys + Lanes - 1) / Lanes * Lanes;
                    Score(q, qStart + i0 * qLayout.RowStride, qLayout.RowStride, rows, kt, keysPadded, columns, d.KeyWidth, scale, scores);
                    if (mask.Causal || mask.KeyPadding is not null || mask.Bias is not null)
                    {
                        mask.Apply(scores, rows, keys, keysPadded, b, h, i0, 0, d);
                    }
                    for (int r = 0; r < rows; r++)
                    {
                        float sum = SoftmaxNumerator(scores.Slice(r * keysPadded, columns), keys);
                        factors[r] = sum > 0f ? gate / sum : 0f;
                    }
                    // A short last block: the unused rows repeat row 0's scores, which may be −∞.
                    scores[(rows * keysPadded)..].Clear();
                    Combine(scores, keysPadded, rows, keys, v, vStart, vLayout.RowStride, d.ValueWidth, factors,
                        o, oStart + i0 * oLayout.RowStride, oLayout.RowStride);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>kt (D, Tk padded) = kᵀ, zero in the padding columns.</summary>
    private static void TransposeKeys(ReadOnlySpan<float> k, int rowStride, int keys, int width, Span<float> kt, int keysPadded)
    {
        for (int c = 0; c < width; c++)
        {
            var row = kt.Slice(c * keysPadded, keysPadded);
            for (int j = 0; j < keys; j++)
            {
                row[j] = k[j * rowStride + c];
            }
            row[keys..].Clear();
        }
    }

    /// <summary>
    /// scores (RowBlock, Tk padded) = scale · q kᵀ for up to <see cref="RowBlock"/> query rows, in the
    /// first <paramref name="columns"/> key columns (a multiple of 16, at most the padded length); the
    /// rows of a short last block repeat row 0 (their scores are computed but never used).
    /// </summary>
    private static unsafe void Score(float[] q, int qStart, int qStride, int rows, ReadOnlySpan<float> kt, int keysPadded, int columns, int width, float scale, Span<float> scores)
    {
        Debug.Assert(qStart + (rows - 1) * qStride + width <= q.Length && scores.Length >= RowBlock * keysPadded, "Score spans too short");
        var s = Vector512.Create(scale);
        fixed (float* qp = q, ktp = kt, sp = scores)
        {
            float* q0 = qp + qStart;
            float* q1 = q0 + (rows > 1 ? qStride : 0), q2 = q0 + (rows > 2 ? 2 * qStride : 0), q3 = q0 + (rows > 3 ? 3 * qStride : 0);
            float* q4 = q0 + (rows > 4 ? 4 * qStride : 0), q5 = q0 + (rows > 5 ? 5 * qStride : 0), q6 = q0 + (rows > 6 ? 6 * qStride : 0);
            float* q7 = q0 + (rows > 7 ? 7 * qStride : 0);
            for (int j = 0; j < columns; j += Lanes)
            {
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
                float* key = ktp + j;
                for (int c = 0; c < width; c++, key += keysPadded)
                {
                    var kv = Vector512.Load(key);
                    a0 = Vector512.FusedMultiplyAdd(Vector512.Create(q0[c]), kv, a0);
                    a1 = Vector512.FusedMultiplyAdd(Vector512.Create(q1[c]), kv, a1);
                    a2 = Vector512.FusedMultiplyAdd(Vector512.Create(q2[c]), kv, a2);
                    a3 = Vector512.FusedMultiplyAdd(Vector512.Create(q3[c]), kv, a3);
                    a4 = Vector512.FusedMultiplyAdd(Vector512.Create(q4[c]), kv, a4);
                    a5 = Vector512.FusedMultiplyAdd(Vector512.Create(q5[c]), kv, a5);
                    a6 = Vector512.FusedMultiplyAdd(Vector512.Create(q6[c]), kv, a6);
                    a7 = Vector512.FusedMultiplyAdd(Vector512.Create(q7[c]), kv, a7);
                }
                float* row = sp + j;
                (a0 * s).Store(row);
                (a1 * s).Store(row + keysPadded);
                (a2 * s).Store(row + 2 * keysPadded);
                (a3 * s).Store(row + 3 * keysPadded);
                (a4 * s).Store(row + 4 * keysPadded);
                (a5 * s).Store(row + 5 * keysPadded);
                (a6 * s).Store(row + 6 * keysPadded);
                (a7 * s).Store(row + 7 * keysPadded);
            }
        }
    }

    /// <summary>
    /// Replaces the first <paramref name="keys"/> scores of a padded row by <c>exp(s − max)</c> and
    /// returns their sum (0 when every key is masked). Whole vectors over the padded row, with the
    /// padding lanes set to −∞ first: for rows of tens of keys the per-call overhead of span
    /// primitives would cost more than the arithmetic.
    /// </summary>
    private static float SoftmaxNumerator(Span<float> row, int keys)
    {
        row[keys..].Fill(float.NegativeInfinity);
        var max = Vector512.Create(float.NegativeInfinity);
        for (int j = 0; j < row.Length; j += Lanes)
        {
            max = Vector512.Max(max, Vector512.Create(row.Slice(j, Lanes)));
        }
        float m = MaxAcross(Vector256.Max(max.GetLower(), max.GetUpper()));
        if (float.IsNegativeInfinity(m))
        {
            row.Clear();
            return 0f;
        }
        var shift = Vector512.Create(m);
        var sum = Vector512<float>.Zero;
        for (int j = 0; j < row.Length; j += Lanes)
        {
            var e = ExpNonPositive(Vector512.Create(row.Slice(j, Lanes)) - shift);
            sum += e;
            e.CopyTo(row.Slice(j, Lanes));
        }
        return Vector512.Sum(sum);
    }

    /// <summary>
    /// <c>eˣ</c> for x ≤ 0 (softmax numerators), 16 lanes at once in single precision: Cody–Waite
    /// reduction <c>x = n·ln2 + r</c>, |r| ≤ ln2/2, Cephes' degree-6 polynomial for <c>eʳ</c> (about
    /// 1 ulp), and <c>2ⁿ</c> built in the exponent bits. Below −87.3 (where <c>eˣ</c> is under the
    /// smallest normal float, and for −∞) it returns 0. The general <see cref="Vector512.Exp(Vector512{float})"/>
    /// evaluates in double precision and costs several times more.
    /// </summary>
    internal static Vector512<float> ExpNonPositive(Vector512<float> x)
    {
        var underflow = Vector512.LessThan(x, Vector512.Create(-87.3f));
        x = Vector512.Max(x, Vector512.Create(-87.3f));
        var n = Vector512.Round(x * 1.44269504088896341f);
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693359375f), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(2.12194440e-4f), r);
        var p = Vector512.Create(1.9875691500e-4f);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201e-1f));
        p = Vector512.FusedMultiplyAdd(p, r * r, r) + Vector512<float>.One;
        var scale = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle();
        return Vector512.ConditionalSelect(underflow, Vector512<float>.Zero, p * scale);
    }

    private static float MaxAcross(Vector256<float> v)
    {
        var m = Vector128.Max(v.GetLower(), v.GetUpper());
        return MathF.Max(MathF.Max(m[0], m[1]), MathF.Max(m[2], m[3]));
    }

    /// <summary>
    /// o[r, :] = factor[r] · Σ_j p[r, j] · v[j, :] for the block's rows (p holds
    /// <see cref="RowBlock"/> rows; those past <paramref name="rows"/> must be finite and are not stored).
    /// </summary>
    private static unsafe void Combine(ReadOnlySpan<float> p, int ldp, int rows, int keys, float[] v, int vStart, int vStride, int width,
        ReadOnlySpan<float> factors, float[] o, int oStart, int oStride)
    {
        Debug.Assert(p.Length >= RowBlock * ldp && vStart + (keys - 1) * vStride + width <= v.Length, "Combine spans too short");
        int c0 = 0;
        fixed (float* pp = p, vp = v, op = o)
        {
            for (; c0 + Lanes <= width; c0 += Lanes)
            {
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
                float* value = vp + vStart + c0;
                for (int j = 0; j < keys; j++, value += vStride)
                {
                    var vv = Vector512.Load(value);
                    float* pj = pp + j;
                    a0 = Vector512.FusedMultiplyAdd(Vector512.Create(pj[0]), vv, a0);
                    a1 = Vector512.FusedMultiplyAdd(Vector512.Create(pj[ldp]), vv, a1);
                    a2 = Vector512.FusedMultiplyAdd(Vector512.Create(pj[2 * ldp]), vv, a2);
                    a3 = Vector512.FusedMultiplyAdd(Vector512.Create(pj[3 * ldp]), vv, a3);
                    a4 = Vector512.FusedMultiplyAdd(Vector512.Create(pj[4 * ldp]), vv, a4);
                    a5 = Vector512.FusedMultiplyAdd(Vector512.Create(pj[5 * ldp]), vv, a5);
                    a6 = Vector512.FusedMultiplyAdd(Vector512.Create(pj[6 * ldp]), vv, a6);
                    a7 = Vector512.FusedMultiplyAdd(Vector512.Create(pj[7 * ldp]), vv, a7);
                }
                float* out0 = op + oStart + c0;
                Span<Vector512<float>> sums = [a0, a1, a2, a3, a4, a5, a6, a7];
                for (int r = 0; r < rows; r++)
                {
                    (sums[r] * factors[r]).Store(out0 + r * oStride);
                }
            }
        }
        if (c0 == width)
        {
            return;
        }
        // A width that is not a multiple of the vector: the last columns one row at a time.
        for (int r = 0; r < rows; r++)
        {
            var row = o.AsSpan(oStart + r * oStride + c0, width - c0);
            row.Clear();
            var pr = p.Slice(r * ldp, keys);
            for (int j = 0; j < keys; j++)
            {
                TensorPrimitives.MultiplyAdd(v.AsSpan(vStart + j * vStride + c0, width - c0), pr[j], row, row);
            }
            TensorPrimitives.Multiply(row, factors[r], row);
        }
    }

    /// <summary>
    /// The naive oracle of <see cref="Forward"/>: scores, softmax and weighted sum per query row in
    /// double precision, with the same layouts, mask and gates.
    /// </summary>
    public static void ForwardReference(float[] q, AttentionLayout qLayout, float[] k, AttentionLayout kLayout, float[] v, AttentionLayout vLayout,
        float[] o, AttentionLayout oLayout, AttentionDims d, AttentionMaskSpec mask, float scale, float[]? gates = null)
    {
        var s = new float[d.KeyLength];
        var p = new double[d.KeyLength];
        for (int b = 0; b < d.Batch; b++)
        {
            for (int h = 0; h < d.Heads; h++)
            {
                int qs = qLayout.Start(b, h), ks = kLayout.Start(b, h), vs = vLayout.Start(b, h), os = oLayout.Start(b, h);
                for (int i = 0; i < d.QueryLength; i++)
                {
                    for (int j = 0; j < d.KeyLength; j++)
                    {
                        double dot = 0;
                        for (int c = 0; c < d.KeyWidth; c++)
                        {
                            dot += (double)q[qs + i * qLayout.RowStride + c] * k[ks + j * kLayout.RowStride + c];
                        }
                        s[j] = (float)(scale * dot);
                    }
                    mask.Apply(s, 1, d.KeyLength, d.KeyLength, b, h, i, 0, d);
                    double max = double.NegativeInfinity;
                    foreach (float x in s)
                    {
                        max = Math.Max(max, x);
                    }
                    double sum = 0;
                    for (int j = 0; j < d.KeyLength; j++)
                    {
                        p[j] = double.IsNegativeInfinity(max) ? 0 : Math.Exp(s[j] - max);
                        sum += p[j];
                    }
                    double factor = sum > 0 ? (gates is null ? 1.0 : gates[h]) / sum : 0;
                    for (int c = 0; c < d.ValueWidth; c++)
                    {
                        double acc = 0;
                        for (int j = 0; j < d.KeyLength; j++)
                        {
                            acc += p[j] * v[vs + j * vLayout.RowStride + c];
                        }
                        o[os + i * oLayout.RowStride + c] = (float)(acc * factor);
                    }
                }
            }
        }
    }
}
