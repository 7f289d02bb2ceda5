using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Promptor.Tensors.Kernels;

// Dimension letters: Tq query rows, Tk keys, D = 16 the head width (one 512-bit vector of floats).
// "Lane layout": a block of 16 query rows with one row per vector lane, so the 16 weights of one key
// for the block are one vector, and the softmax over keys needs no horizontal step.

/// <summary>
/// The training forward and backward of unmasked attention for heads exactly 16 floats wide (the
/// promoter models' 128-wide layers with 8 heads), with weight dropout, in the lane layout of
/// <see cref="AttentionNarrowHeadKernels"/>. Per block of 16 query rows and per key, the scores and
/// the output-gradient products are 16 fused multiply-adds against the block's transposed queries
/// and output gradients, with the key's or value's elements broadcast from its row; the gradients of
/// K and V are sums of the block's rows weighted by one such vector, and the gradient of Q is the
/// weighted sum of key rows the forward uses for values. Each pass over the keys keeps its 16 × 16
/// block in registers, so the inner loops load only the broadcast elements. Nothing is transposed but
/// the two 16 × 16 blocks, nothing is padded, and no step reduces across lanes. Same results as
/// <see cref="AttentionKernels"/> up to the order of sums (the dropout mask is the same).
/// </summary>
internal static unsafe class AttentionNarrowTrainingKernels
{
    private const int Lanes = 16;
    private const int Width = AttentionNarrowHeadKernels.Width;
    private const int Block = Lanes * Width;

    /// <summary>Switch for comparisons against the general tile kernel (benchmarks and tests). Default on.</summary>
    public static bool Enabled { get; set; } = true;

    private static readonly Vector512<uint> LaneIndex = Vector512.Create(0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u, 9u, 10u, 11u, 12u, 13u, 14u, 15u);

    /// <summary>Whether these kernels take the call: <see cref="Enabled"/>, 16-wide heads, at least one key, no mask, AVX-512.</summary>
    public static bool Supports(in AttentionDims d, in AttentionMaskSpec mask) => Enabled && d.KeyLength > 0 && AttentionNarrowHeadKernels.Supports(d, mask);

    /// <summary>Floats of scratch <see cref="Forward"/> needs for <paramref name="keys"/> keys.</summary>
    public static int ForwardScratch(int keys) => keys * Lanes + 2 * Block + Lanes;

    /// <summary>Floats of scratch <see cref="Backward"/> needs for <paramref name="keys"/> keys.</summary>
    public static int BackwardScratch(int keys) => 4 * keys * Lanes + 4 * Block;

    /// <summary>
    /// One (batch, head) pair's output rows <c>o = dropout(softmax(scale · q kᵀ)) v</c> and row
    /// log-sum-exps <paramref name="lse"/> (before dropout, as the general kernel saves them).
    /// Pointers are at the pair's first row; <paramref name="bh"/> and <paramref name="d"/> key the dropout mask.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(float* q, int qStride, float* k, int kStride, float* v, int vStride, float* o, int oStride, float* lse,
        int bh, in AttentionDims d, float scale, AttentionDropout? dropout, float* scratch)
    {
        int queries = d.QueryLength, keys = d.KeyLength;
        float* st = scratch;                          // (Tk, 16): scores, then weights
        float* columns = st + keys * Lanes;           // (16, 16): scaled query columns
        float* rows = columns + Block;                // (16, 16): weighted value rows
        float* factors = rows + Block;                // 16: 1 / row sums
        for (int i0 = 0; i0 < queries; i0 += Lanes)
        {
            int count = Math.Min(Lanes, queries - i0);
            AttentionNarrowHeadKernels.TransposeIn(q + (long)i0 * qStride, qStride, count, scale, columns);
            var c0 = Vector512.Load(columns);
            var c1 = Vector512.Load(columns + 16);
            var c2 = Vector512.Load(columns + 32);
            var c3 = Vector512.Load(columns + 48);
            var c4 = Vector512.Load(columns + 64);
            var c5 = Vector512.Load(columns + 80);
            var c6 = Vector512.Load(columns + 96);
            var c7 = Vector512.Load(columns + 112);
            var c8 = Vector512.Load(columns + 128);
            var c9 = Vector512.Load(columns + 144);
            var c10 = Vector512.Load(columns + 160);
            var c11 = Vector512.Load(columns + 176);
            var c12 = Vector512.Load(columns + 192);
            var c13 = Vector512.Load(columns + 208);
            var c14 = Vector512.Load(columns + 224);
            var c15 = Vector512.Load(columns + 240);
            var max = Vector512.Create(float.NegativeInfinity);
            for (int j = 0; j < keys; j++)
            {
                var s = Combine(k + (long)j * kStride, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15);
                s.Store(st + j * Lanes);
                max = Vector512.Max(max, s);
            }
            var sum = Vector512<float>.Zero;
            for (int j = 0; j < keys; j++)
            {
                var e = AttentionTileKernels.Exp(Vector512.Load(st + j * Lanes) - max);
                sum += e;
                if (dropout is { } drop)
                {
                    e *= DropoutFactors(drop, bh, i0, j, d);    // the sum above counts kept and dropped weights alike
                }
                e.Store(st + j * Lanes);
            }
            (Vector512<float>.One / sum).Store(factors);
            var logSumExp = max + Vector512.Log(sum);
            WeightedRows(st, keys, v, vStride, rows);
            for (int r = 0; r < count; r++)
            {
                (Vector512.Load(rows + r * Width) * Vector512.Create(factors[r])).Store(o + (long)(i0 + r) * oStride);
                lse[i0 + r] = logSumExp.GetElement(r);
            }
        }
    }

    /// <summary>
    /// Accumulates (<c>+=</c>) one pair's gradients of q, k and v (null ones skipped) from the forward
    /// inputs, its output <paramref name="o"/> and log-sum-exps, and the output gradient <paramref name="dO"/>
    /// (with <paramref name="o"/>'s row stride). Each gradient has its operand's row stride. Per block of
    /// 16 query rows, four passes over the keys each hold one 16 × 16 block in registers: the queries'
    /// columns (weights P), the output gradient's columns (dP, then dS and the dropped weights), the
    /// output gradient's rows (dV) and the queries' rows (dK); a fifth sums key rows into dQ.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(float* q, int qStride, float* k, int kStride, float* v, int vStride, float* o, float* dO, int oStride,
        float* lse, float* dQ, float* dK, float* dV, int bh, in AttentionDims d, float scale, AttentionDropout? dropout, float* scratch)
    {
        int queries = d.QueryLength, keys = d.KeyLength;
        float* stP = scratch;                           // (Tk, 16): weights P of the block, then the dropped weights
        float* stS = stP + keys * Lanes;                // (Tk, 16): dS of the block
        float* columns = stS + keys * Lanes;            // (16, 16): scaled query columns, then output-gradient columns
        float* qRows = columns + Block;                 // (16, 16): the block's query rows, zero past its end
        float* dRows = qRows + Block;                   // (16, 16): its output-gradient rows, likewise
        float* outRows = dRows + Block;                 // (16, 16): the block's dQ rows
        float* kSums = outRows + Block;                 // (Tk, 16): dK of the pair, summed over its blocks
        float* vSums = kSums + keys * Width;            // (Tk, 16): dV likewise
        new Span<float>(kSums, 2 * keys * Width).Clear();
        Span<float> lseLanes = stackalloc float[Lanes];
        Span<float> deltaLanes = stackalloc float[Lanes];
        for (int i0 = 0; i0 < queries; i0 += Lanes)
        {
            int count = Math.Min(Lanes, queries - i0);
            new Span<float>(qRows, 2 * Block).Clear();
            lseLanes.Fill(float.PositiveInfinity);     // rows past the end get weight exp(−∞) = 0
            deltaLanes.Clear();
            for (int r = 0; r < count; r++)
            {
                long row = i0 + r;
                var dRow = Vector512.Load(dO + row * oStride);
                Vector512.Load(q + row * qStride).Store(qRows + r * Width);
                dRow.Store(dRows + r * Width);
                lseLanes[r] = lse[row];
                // delta = Σ_c dO · O = Σ_j P dP: the softmax-backward row term (it holds with dropout too).
                deltaLanes[r] = Vector512.Sum(dRow * Vector512.Load(o + row * oStride));
            }

            // P = exp(scale · q kᵀ − lse), recomputed instead of stored.
            AttentionNarrowHeadKernels.TransposeIn(q + (long)i0 * qStride, qStride, count, scale, columns);
            var logSumExp = Vector512.Create<float>(lseLanes);
            var c0 = Vector512.Load(columns);
            var c1 = Vector512.Load(columns + 16);
            var c2 = Vector512.Load(columns + 32);
            var c3 = Vector512.Load(columns + 48);
            var c4 = Vector512.Load(columns + 64);
            var c5 = Vector512.Load(columns + 80);
            var c6 = Vector512.Load(columns + 96);
            var c7 = Vector512.Load(columns + 112);
            var c8 = Vector512.Load(columns + 128);
            var c9 = Vector512.Load(columns + 144);
            var c10 = Vector512.Load(columns + 160);
            var c11 = Vector512.Load(columns + 176);
            var c12 = Vector512.Load(columns + 192);
            var c13 = Vector512.Load(columns + 208);
            var c14 = Vector512.Load(columns + 224);
            var c15 = Vector512.Load(columns + 240);
            for (int j = 0; j < keys; j++)
            {
                var s = Combine(k + (long)j * kStride, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15);
                AttentionTileKernels.Exp(s - logSumExp).Store(stP + j * Lanes);
            }

            // dP = (dO vᵀ) ⊙ dropout mask and dS = scale · P ⊙ (dP − delta); P becomes P ⊙ mask.
            AttentionNarrowHeadKernels.TransposeIn(dO + (long)i0 * oStride, oStride, count, 1f, columns);
            var delta = Vector512.Create<float>(deltaLanes);
            var scaleVector = Vector512.Create(scale);
            c0 = Vector512.Load(columns);
            c1 = Vector512.Load(columns + 16);
            c2 = Vector512.Load(columns + 32);
            c3 = Vector512.Load(columns + 48);
            c4 = Vector512.Load(columns + 64);
            c5 = Vector512.Load(columns + 80);
            c6 = Vector512.Load(columns + 96);
            c7 = Vector512.Load(columns + 112);
            c8 = Vector512.Load(columns + 128);
            c9 = Vector512.Load(columns + 144);
            c10 = Vector512.Load(columns + 160);
            c11 = Vector512.Load(columns + 176);
            c12 = Vector512.Load(columns + 192);
            c13 = Vector512.Load(columns + 208);
            c14 = Vector512.Load(columns + 224);
            c15 = Vector512.Load(columns + 240);
            for (int j = 0; j < keys; j++)
            {
                var dP = Combine(v + (long)j * vStride, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15);
                var p = Vector512.Load(stP + j * Lanes);
                var dS = scaleVector * p;
                if (dropout is { } drop)
                {
                    var f = DropoutFactors(drop, bh, i0, j, d);
                    (p * f).Store(stP + j * Lanes);
                    dP *= f;
                }
                (dS * (dP - delta)).Store(stS + j * Lanes);
            }

            // dV[j] += Σ_r P[r, j] · dO[r] (dropped weights), dK[j] += Σ_r dS[r, j] · q[r].
            if (dV is not null)
            {
                AccumulateRows(stP, keys, dRows, vSums, Width);
            }
            if (dK is not null)
            {
                AccumulateRows(stS, keys, qRows, kSums, Width);
            }
            if (dQ is not null)
            {
                WeightedRows(stS, keys, k, kStride, outRows);
                for (int r = 0; r < count; r++)
                {
                    var g = dQ + (long)(i0 + r) * qStride;
                    (Vector512.Load(g) + Vector512.Load(outRows + r * Width)).Store(g);
                }
            }
        }
        for (int j = 0; j < keys; j++)
        {
            if (dK is not null)
            {
                var g = dK + (long)j * kStride;
                (Vector512.Load(g) + Vector512.Load(kSums + j * Width)).Store(g);
            }
            if (dV is not null)
            {
                var g = dV + (long)j * vStride;
                (Vector512.Load(g) + Vector512.Load(vSums + j * Width)).Store(g);
            }
        }
    }

    /// <summary>
    /// <c>target[j] += Σ_r st[j, r] · rows[r]</c> for every key j: the weights of <paramref name="st"/> (lane
    /// layout) combine the 16 rows of <paramref name="rows"/>, which stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateRows(float* st, int keys, float* rows, float* target, int stride)
    {
        var r0 = Vector512.Load(rows);
        var r1 = Vector512.Load(rows + 16);
        var r2 = Vector512.Load(rows + 32);
        var r3 = Vector512.Load(rows + 48);
        var r4 = Vector512.Load(rows + 64);
        var r5 = Vector512.Load(rows + 80);
        var r6 = Vector512.Load(rows + 96);
        var r7 = Vector512.Load(rows + 112);
        var r8 = Vector512.Load(rows + 128);
        var r9 = Vector512.Load(rows + 144);
        var r10 = Vector512.Load(rows + 160);
        var r11 = Vector512.Load(rows + 176);
        var r12 = Vector512.Load(rows + 192);
        var r13 = Vector512.Load(rows + 208);
        var r14 = Vector512.Load(rows + 224);
        var r15 = Vector512.Load(rows + 240);
        for (int j = 0; j < keys; j++, target += stride)
        {
            var sum = Combine(st + j * Lanes, r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15);
            (Vector512.Load(target) + sum).Store(target);
        }
    }

    /// <summary>
    /// <c>Σ_c w[c] · x_c</c> over 16 register vectors, in four chains (the loops around it are bound by its
    /// latency). Callers load their block into 16 locals before each loop; a struct holding the 16 vectors
    /// instead ran the kernels 15–25 % slower, because its fields were spilled to the stack.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Combine(float* w, Vector512<float> x0, Vector512<float> x1, Vector512<float> x2, Vector512<float> x3,
        Vector512<float> x4, Vector512<float> x5, Vector512<float> x6, Vector512<float> x7, Vector512<float> x8, Vector512<float> x9,
        Vector512<float> x10, Vector512<float> x11, Vector512<float> x12, Vector512<float> x13, Vector512<float> x14, Vector512<float> x15)
    {
        var a = Vector512.Create(w[0]) * x0;
        var b = Vector512.Create(w[1]) * x1;
        var c = Vector512.Create(w[2]) * x2;
        var d = Vector512.Create(w[3]) * x3;
        a = Vector512.FusedMultiplyAdd(Vector512.Create(w[4]), x4, a);
        b = Vector512.FusedMultiplyAdd(Vector512.Create(w[5]), x5, b);
        c = Vector512.FusedMultiplyAdd(Vector512.Create(w[6]), x6, c);
        d = Vector512.FusedMultiplyAdd(Vector512.Create(w[7]), x7, d);
        a = Vector512.FusedMultiplyAdd(Vector512.Create(w[8]), x8, a);
        b = Vector512.FusedMultiplyAdd(Vector512.Create(w[9]), x9, b);
        c = Vector512.FusedMultiplyAdd(Vector512.Create(w[10]), x10, c);
        d = Vector512.FusedMultiplyAdd(Vector512.Create(w[11]), x11, d);
        a = Vector512.FusedMultiplyAdd(Vector512.Create(w[12]), x12, a);
        b = Vector512.FusedMultiplyAdd(Vector512.Create(w[13]), x13, b);
        c = Vector512.FusedMultiplyAdd(Vector512.Create(w[14]), x14, c);
        d = Vector512.FusedMultiplyAdd(Vector512.Create(w[15]), x15, d);
        return (a + b) + (c + d);
    }

    /// <summary>The dropout factors of key <paramref name="j"/> for query rows <c>i0 … i0 + 15</c> of pair <paramref name="bh"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> DropoutFactors(AttentionDropout drop, int bh, int i0, int j, in AttentionDims d)
    {
        uint first = (uint)(((long)bh * d.QueryLength + i0) * d.KeyLength + j);
        return DropoutKernels.Factors(Vector512.Create(first) + LaneIndex * (uint)d.KeyLength, drop.Key, drop.Probability);
    }

    /// <summary>
    /// <c>rows[r] = Σ_j st[j, r] · m[j]</c> for the 16 lanes r of the weights <paramref name="st"/> (lane
    /// layout, <paramref name="keys"/> vectors) and the row-major <paramref name="m"/> (one 16-float row per
    /// key, row stride <paramref name="stride"/>): one accumulator per output row, each weight broadcast.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightedRows(float* st, int keys, float* m, int stride, float* rows)
    {
        Vector512<float> o0 = default, o1 = default, o2 = default, o3 = default, o4 = default, o5 = default, o6 = default, o7 = default;
        Vector512<float> o8 = default, o9 = default, o10 = default, o11 = default, o12 = default, o13 = default, o14 = default, o15 = default;
        float* w = st;
        for (int j = 0; j < keys; j++, m += stride, w += Lanes)
        {
            var x = Vector512.Load(m);
            o0 = Vector512.FusedMultiplyAdd(Vector512.Create(w[0]), x, o0);
            o1 = Vector512.FusedMultiplyAdd(Vector512.Create(w[1]), x, o1);
            o2 = Vector512.FusedMultiplyAdd(Vector512.Create(w[2]), x, o2);
            o3 = Vector512.FusedMultiplyAdd(Vector512.Create(w[3]), x, o3);
            o4 = Vector512.FusedMultiplyAdd(Vector512.Create(w[4]), x, o4);
            o5 = Vector512.FusedMultiplyAdd(Vector512.Create(w[5]), x, o5);
            o6 = Vector512.FusedMultiplyAdd(Vector512.Create(w[6]), x, o6);
            o7 = Vector512.FusedMultiplyAdd(Vector512.Create(w[7]), x, o7);
            o8 = Vector512.FusedMultiplyAdd(Vector512.Create(w[8]), x, o8);
            o9 = Vector512.FusedMultiplyAdd(Vector512.Create(w[9]), x, o9);
            o10 = Vector512.FusedMultiplyAdd(Vector512.Create(w[10]), x, o10);
            o11 = Vector512.FusedMultiplyAdd(Vector512.Create(w[11]), x, o11);
            o12 = Vector512.FusedMultiplyAdd(Vector512.Create(w[12]), x, o12);
            o13 = Vector512.FusedMultiplyAdd(Vector512.Create(w[13]), x, o13);
            o14 = Vector512.FusedMultiplyAdd(Vector512.Create(w[14]), x, o14);
            o15 = Vector512.FusedMultiplyAdd(Vector512.Create(w[15]), x, o15);
        }
        o0.Store(rows);
        o1.Store(rows + 16);
        o2.Store(rows + 32);
        o3.Store(rows + 48);
        o4.Store(rows + 64);
        o5.Store(rows + 80);
        o6.Store(rows + 96);
        o7.Store(rows + 112);
        o8.Store(rows + 128);
        o9.Store(rows + 144);
        o10.Store(rows + 160);
        o11.Store(rows + 176);
        o12.Store(rows + 192);
        o13.Store(rows + 208);
        o14.Store(rows + 224);
        o15.Store(rows + 240);
    }
}
