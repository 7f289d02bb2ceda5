using System.Buffers;
using System.Numerics.Tensors;

namespace Promptor.Tensors.Kernels;

// Dimension letters: B batch, H heads, Tq query length, Tk key length, D query/key width,
// Dv value width. Where each operand's rows live (and its gradient's, which has the operand's
// shape) is given by an AttentionLayout.

/// <summary>The sizes of one attention call.</summary>
internal readonly record struct AttentionDims(int Batch, int Heads, int QueryLength, int KeyLength, int KeyWidth, int ValueWidth);

/// <summary>
/// What a fused kernel must mask, without materialising a <c>Tq × Tk</c> mask: a top-left-aligned
/// causal mask (query i sees keys j ≤ i), a key-padding mask <c>(B, Tk)</c> (non-zero = ignore),
/// and an additive bias whose last two dims are <c>(Tq, Tk)</c> with batch/head strides that may
/// be 0 (broadcast).
/// </summary>
internal readonly record struct AttentionMaskSpec(bool Causal, float[]? KeyPadding, float[]? Bias, int BiasStrideB, int BiasStrideH)
{
    public static AttentionMaskSpec None => new(false, null, null, 0, 0);

    /// <summary>Adds bias and masking to one tile of scores <c>s</c> (rows i0.., columns j0..).</summary>
    public void Apply(Span<float> s, int rows, int cols, int ld, int b, int h, int i0, int j0, in AttentionDims d)
    {
        if (Bias is not null)
        {
            int off = b * BiasStrideB + h * BiasStrideH;
            for (int r = 0; r < rows; r++)
            {
                var row = s.Slice(r * ld, cols);
                TensorPrimitives.Add(row, Bias.AsSpan(off + (i0 + r) * d.KeyLength + j0, cols), row);
            }
        }
        if (KeyPadding is not null)
        {
            var pad = KeyPadding.AsSpan(b * d.KeyLength + j0, cols);
            for (int c = 0; c < cols; c++)
            {
                if (pad[c] != 0)
                {
                    for (int r = 0; r < rows; r++)
                    {
                        s[r * ld + c] = float.NegativeInfinity;
                    }
                }
            }
        }
        if (Causal)
        {
            for (int r = 0; r < rows; r++)
            {
                int firstMasked = Math.Max(0, i0 + r + 1 - j0);
                if (firstMasked < cols)
                {
                    s.Slice(r * ld + firstMasked, cols - firstMasked).Fill(float.NegativeInfinity);
                }
            }
        }
    }
}

/// <summary>
/// Fused scaled dot-product attention (flash-attention style). The forward pass walks key tiles
/// with an online softmax — a running row maximum m and normaliser l, rescaling the partial
/// output whenever m grows — so the <c>Tq × Tk</c> weights are never stored; it saves only the
/// per-row log-sum-exp. The backward pass recomputes each weight tile from that log-sum-exp.
/// Memory is O(T·D) per head plus one tile of scratch per thread. Operands are read in place
/// through their <see cref="AttentionLayout"/>s (heads-major or heads interleaved in the features,
/// e.g. straight out of a packed QKV projection), so no head split or merge copy is needed. The
/// tile products run on <see cref="AttentionTileKernels"/>.
/// </summary>
/// <summary>
/// Dropout of the attention probabilities inside the fused kernels: element <c>(b, h, i, j)</c> of the
/// <c>(B, H, Tq, Tk)</c> weights is kept (scaled by <c>1/(1 − p)</c>) or dropped by the keyed hash of
/// its flat index (<see cref="DropoutKernels.ApplyMask"/>), so forward and backward regenerate the same
/// mask without storing it — the weights <see cref="Ops.Dropout"/> would draw with the same key.
/// </summary>
internal readonly record struct AttentionDropout(float Probability, ulong Key)
{
    /// <summary>Dropout with probability <paramref name="p"/> keyed by one draw of <paramref name="generator"/>; null when p is 0.</summary>
    public static AttentionDropout? Create(float p, Generator? generator)
    {
        if (!(p >= 0f && p < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), $"Dropout probability must be in [0, 1), got {p}.");
        }
        if (p == 0f)
        {
            return null;
        }
        ArgumentNullException.ThrowIfNull(generator);
        return new AttentionDropout(p, generator.NextUInt64());
    }

    /// <summary>Drops one row segment: weights <c>(b, h, i, j0 … j0 + count)</c> of a <paramref name="d"/>-sized tensor.</summary>
    public unsafe void Apply(float* row, int count, int bh, int i, int j0, in AttentionDims d)
        => DropoutKernels.ApplyMask(row, count, (uint)(((long)bh * d.QueryLength + i) * d.KeyLength + j0), Key, Probability);
}

internal static unsafe class AttentionKernels
{
    /// <summary>Rows of queries per tile.</summary>
    public const int QueryTile = 64;

    /// <summary>Keys per tile of the backward pass (which holds two weight-sized tiles, P and dS).</summary>
    public const int KeyTile = 64;

    /// <summary>Keys per tile of the forward pass: wider tiles halve the online-softmax rescales of the output.</summary>
    public const int ForwardKeyTile = 128;


    /// <summary>
    /// <see cref="ForwardStrided"/> on contiguous heads-major operands <c>(B, H, T, ·)</c>.
    /// </summary>
    public static void Forward(float[] q, float[] k, float[] v, float[] o, float[] lse, AttentionDims d, AttentionMaskSpec mask, float scale)
        => ForwardStrided(q, AttentionLayout.Contiguous(d.Heads, d.QueryLength, d.KeyWidth), k, AttentionLayout.Contiguous(d.Heads, d.KeyLength, d.KeyWidth),
            v, AttentionLayout.Contiguous(d.Heads, d.KeyLength, d.ValueWidth), o, AttentionLayout.Contiguous(d.Heads, d.QueryLength, d.ValueWidth),
            lse, d, mask, scale);

    /// <summary>
    /// Writes <c>o = softmax(scale · q kᵀ + mask) v</c> and the row log-sum-exp <c>lse</c> (B, H, Tq);
    /// a fully masked row gives a zero output and <c>lse = −∞</c>.
    /// </summary>
    public static void ForwardStrided(float[] q, AttentionLayout ql, float[] k, AttentionLayout kl, float[] v, AttentionLayout vl,
        float[] o, AttentionLayout ol, float[] lse, AttentionDims d, AttentionMaskSpec mask, float scale, AttentionDropout? dropout = null)
    {
        if (AttentionNarrowTrainingKernels.Supports(d, mask))
        {
            ForwardNarrow(q, ql, k, kl, v, vl, o, ol, lse, d, scale, dropout);
        }
        else
        {
            ForwardTiled(q, ql, k, kl, v, vl, o, ol, lse, d, mask, scale, dropout);
        }
    }

    /// <summary><see cref="ForwardStrided"/> on <see cref="AttentionNarrowTrainingKernels"/> (16-wide heads, no mask).</summary>
    internal static void ForwardNarrow(float[] q, AttentionLayout ql, float[] k, AttentionLayout kl, float[] v, AttentionLayout vl,
        float[] o, AttentionLayout ol, float[] lse, AttentionDims d, float scale, AttentionDropout? dropout = null)
        => ForEachPair(d, AttentionNarrowTrainingKernels.ForwardScratch(d.KeyLength), (b, h, bh, scratch) =>
        {
            fixed (float* pq = q, pk = k, pv = v, po = o, pl = lse)
            {
                AttentionNarrowTrainingKernels.Forward(pq + ql.Row(b, h, 0), ql.RowStride, pk + kl.Row(b, h, 0), kl.RowStride,
                    pv + vl.Row(b, h, 0), vl.RowStride, po + ol.Row(b, h, 0), ol.RowStride, pl + (long)bh * d.QueryLength,
                    bh, d, scale, dropout, scratch);
            }
        });

    /// <summary><see cref="ForwardStrided"/> on the general tiles: any widths and masks.</summary>
    internal static void ForwardTiled(float[] q, AttentionLayout ql, float[] k, AttentionLayout kl, float[] v, AttentionLayout vl,
        float[] o, AttentionLayout ol, float[] lse, AttentionDims d, AttentionMaskSpec mask, float scale, AttentionDropout? dropout = null)
    {
        int dk = d.KeyWidth, dv = d.ValueWidth;
        int tkPad = AttentionTileKernels.Padded(d.KeyLength), dvPad = AttentionTileKernels.Padded(dv);
        // Per task: Kᵀ (D × Tk'), V (Tk × Dv'), S (64 × 128), O accumulator (64 × Dv'), m and l (64 each),
        // and the query tile, pre-scaled and contiguous.
        int ktAt = 0, vhAt = ktAt + dk * tkPad, sAt = vhAt + d.KeyLength * dvPad, osAt = sAt + QueryTile * ForwardKeyTile;
        int mAt = osAt + QueryTile * dvPad, lAt = mAt + QueryTile, qsAt = lAt + QueryTile, scratchLength = qsAt + QueryTile * dk;
        WorkerTeam.For(d.Batch * d.Heads, Environment.ProcessorCount, bh =>
        {
            int b = bh / d.Heads, h = bh % d.Heads;
            float[] scratch = ArrayPool<float>.Shared.Rent(scratchLength);
            try
            {
                fixed (float* buf = scratch, pq = q, pk = k, pv = v, po = o)
                {
                    float* kt = buf + ktAt, vh = buf + vhAt, s = buf + sAt, os = buf + osAt, qs = buf + qsAt;
                    var mRow = new Span<float>(buf + mAt, QueryTile);
                    var lRow = new Span<float>(buf + lAt, QueryTile);
                    TransposeRows(pk + kl.Row(b, h, 0), kl.RowStride, d.KeyLength, dk, kt, tkPad);
                    CopyRows(pv + vl.Row(b, h, 0), vl.RowStride, d.KeyLength, dv, vh, dvPad);
                    for (int i0 = 0; i0 < d.QueryLength; i0 += QueryTile)
                    {
                        int rows = Math.Min(QueryTile, d.QueryLength - i0);
                        for (int r = 0; r < rows; r++)
                        {
                            TensorPrimitives.Multiply(new ReadOnlySpan<float>(pq + ql.Row(b, h, i0 + r), dk), scale, new Span<float>(qs + r * dk, dk));
                        }
                        var sSpan = new Span<float>(s, QueryTile * ForwardKeyTile);
                        mRow.Fill(float.NegativeInfinity);
                        lRow.Clear();
                        new Span<float>(os, rows * dvPad).Clear();
                        int keyEnd = mask.Causal ? Math.Min(d.KeyLength, i0 + rows) : d.KeyLength;
                        for (int j0 = 0; j0 < keyEnd; j0 += ForwardKeyTile)
                        {
                            int cols = Math.Min(ForwardKeyTile, d.KeyLength - j0);
                            AttentionTileKernels.Product(rows, AttentionTileKernels.Padded(cols), dk, 1f,
                                qs, dk, 1, kt + j0, tkPad, s, ForwardKeyTile, accumulate: false);
                            mask.Apply(sSpan, rows, cols, ForwardKeyTile, b, h, i0, j0, d);
                            for (int r = 0; r < rows; r++)
                            {
                                float alpha = AttentionTileKernels.OnlineSoftmaxRow(s + r * ForwardKeyTile, cols, ref mRow[r], ref lRow[r]);
                                if (alpha != 1f)
                                {
                                    var oRow = new Span<float>(os + r * dvPad, dvPad);
                                    TensorPrimitives.Multiply(oRow, alpha, oRow);
                                }
                                // The normaliser above summed the kept and the dropped weights alike.
                                dropout?.Apply(s + r * ForwardKeyTile, cols, bh, i0 + r, j0, d);
                            }
                            AttentionTileKernels.Product(rows, dvPad, cols, 1f, s, ForwardKeyTile, 1, vh + j0 * dvPad, dvPad, os, dvPad, accumulate: true);
                        }
                        for (int r = 0; r < rows; r++)
                        {
                            int row = bh * d.QueryLength + i0 + r;
                            var target = new Span<float>(po + ol.Row(b, h, i0 + r), dv);
                            if (lRow[r] > 0)
                            {
                                TensorPrimitives.Multiply(new ReadOnlySpan<float>(os + r * dvPad, dv), 1f / lRow[r], target);
                                lse[row] = mRow[r] + MathF.Log(lRow[r]);
                            }
                            else
                            {
                                target.Clear();
                                lse[row] = float.NegativeInfinity;
                            }
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        });
    }

    /// <summary>
    /// Accumulates (<c>+=</c>) the gradients of q, k and v given the forward inputs, output
    /// <paramref name="o"/>, its log-sum-exp and the output gradient <paramref name="dO"/> (which has
    /// <paramref name="o"/>'s layout). Each gradient has its operand's layout; null ones are skipped.
    /// Parallel over (batch, head): each task owns its heads' rows, and walks key tiles (outer) and
    /// query tiles (inner), so dK and dV accumulate in registers-sized tiles and dQ in a per-head buffer.
    /// </summary>
    public static void BackwardStrided(float[] q, AttentionLayout ql, float[] k, AttentionLayout kl, float[] v, AttentionLayout vl,
        float[] o, AttentionLayout ol, float[] lse, float[] dO, float[]? dQ, float[]? dK, float[]? dV,
        AttentionDims d, AttentionMaskSpec mask, float scale, AttentionDropout? dropout = null)
    {
        if (AttentionNarrowTrainingKernels.Supports(d, mask))
        {
            BackwardNarrow(q, ql, k, kl, v, vl, o, ol, lse, dO, dQ, dK, dV, d, scale, dropout);
        }
        else
        {
            BackwardTiled(q, ql, k, kl, v, vl, o, ol, lse, dO, dQ, dK, dV, d, mask, scale, dropout);
        }
    }

    /// <summary><see cref="BackwardStrided"/> on <see cref="AttentionNarrowTrainingKernels"/> (16-wide heads, no mask).</summary>
    internal static void BackwardNarrow(float[] q, AttentionLayout ql, float[] k, AttentionLayout kl, float[] v, AttentionLayout vl,
        float[] o, AttentionLayout ol, float[] lse, float[] dO, float[]? dQ, float[]? dK, float[]? dV,
        AttentionDims d, float scale, AttentionDropout? dropout = null)
        => ForEachPair(d, AttentionNarrowTrainingKernels.BackwardScratch(d.KeyLength), (b, h, bh, scratch) =>
        {
            fixed (float* pq = q, pk = k, pv = v, po = o, pdo = dO, pl = lse, pdq = dQ, pdk = dK, pdv = dV)
            {
                AttentionNarrowTrainingKernels.Backward(pq + ql.Row(b, h, 0), ql.RowStride, pk + kl.Row(b, h, 0), kl.RowStride,
                    pv + vl.Row(b, h, 0), vl.RowStride, po + ol.Row(b, h, 0), pdo + ol.Row(b, h, 0), ol.RowStride,
                    pl + (long)bh * d.QueryLength, pdq is null ? null : pdq + ql.Row(b, h, 0), pdk is null ? null : pdk + kl.Row(b, h, 0),
                    pdv is null ? null : pdv + vl.Row(b, h, 0), bh, d, scale, dropout, scratch);
            }
        });

    /// <summary><see cref="BackwardStrided"/> on the general tiles: any widths and masks.</summary>
    internal static void BackwardTiled(float[] q, AttentionLayout ql, float[] k, AttentionLayout kl, float[] v, AttentionLayout vl,
        float[] o, AttentionLayout ol, float[] lse, float[] dO, float[]? dQ, float[]? dK, float[]? dV,
        AttentionDims d, AttentionMaskSpec mask, float scale, AttentionDropout? dropout = null)
    {
        int tq = d.QueryLength, tk = d.KeyLength, dk = d.KeyWidth, dv = d.ValueWidth;
        int tkPad = AttentionTileKernels.Padded(tk), dkPad = AttentionTileKernels.Padded(dk), dvPad = AttentionTileKernels.Padded(dv);
        // Per task: Q (Tq × D'), dO (Tq × Dv'), dQ accumulator (Tq × D'), Kᵀ (D × Tk'), K (Tk × D'),
        // Vᵀ (Dv × Tk'), delta (Tq), P and dS tiles (64 × 64), dK and dV tiles (64 × D', 64 × Dv').
        int qhAt = 0, dohAt = qhAt + tq * dkPad, dqAt = dohAt + tq * dvPad, ktAt = dqAt + tq * dkPad;
        int khAt = ktAt + dk * tkPad, vtAt = khAt + tk * dkPad, deltaAt = vtAt + dv * tkPad;
        int pAt = deltaAt + tq, dsAt = pAt + QueryTile * KeyTile, dkTileAt = dsAt + QueryTile * KeyTile;
        int dvTileAt = dkTileAt + KeyTile * dkPad, scratchLength = dvTileAt + KeyTile * dvPad;
        WorkerTeam.For(d.Batch * d.Heads, Environment.ProcessorCount, bh =>
        {
            int b = bh / d.Heads, h = bh % d.Heads;
            float[] scratch = ArrayPool<float>.Shared.Rent(scratchLength);
            try
            {
                fixed (float* buf = scratch, pq = q, pk = k, pv = v, po = o, pdo = dO, pdq = dQ, pdk = dK, pdv = dV)
                {
                    float* qh = buf + qhAt, doh = buf + dohAt, dqAcc = buf + dqAt, kt = buf + ktAt, kh = buf + khAt;
                    float* vt = buf + vtAt, p = buf + pAt, ds = buf + dsAt, dkTile = buf + dkTileAt, dvTile = buf + dvTileAt;
                    var delta = new Span<float>(buf + deltaAt, tq);
                    CopyRows(pq + ql.Row(b, h, 0), ql.RowStride, tq, dk, qh, dkPad);
                    CopyRows(pdo + ol.Row(b, h, 0), ol.RowStride, tq, dv, doh, dvPad);
                    new Span<float>(dqAcc, tq * dkPad).Clear();
                    TransposeRows(pk + kl.Row(b, h, 0), kl.RowStride, tk, dk, kt, tkPad);
                    CopyRows(pk + kl.Row(b, h, 0), kl.RowStride, tk, dk, kh, dkPad);
                    TransposeRows(pv + vl.Row(b, h, 0), vl.RowStride, tk, dv, vt, tkPad);

                    // delta_i = Σ_c dO[i, c] · O[i, c] = Σ_j P[i, j] dP[i, j]: the softmax-backward row term.
                    for (int i = 0; i < tq; i++)
                    {
                        delta[i] = TensorPrimitives.Dot(new ReadOnlySpan<float>(doh + i * dvPad, dv), new ReadOnlySpan<float>(po + ol.Row(b, h, i), dv));
                    }

                    var pSpan = new Span<float>(p, QueryTile * KeyTile);
                    for (int j0 = 0; j0 < tk; j0 += KeyTile)
                    {
                        int cols = Math.Min(KeyTile, tk - j0);
                        int colsPad = AttentionTileKernels.Padded(cols);
                        new Span<float>(dkTile, KeyTile * dkPad).Clear();
                        new Span<float>(dvTile, KeyTile * dvPad).Clear();
                        int iStart = mask.Causal ? j0 / QueryTile * QueryTile : 0;
                        for (int i0 = iStart; i0 < tq; i0 += QueryTile)
                        {
                            int rows = Math.Min(QueryTile, tq - i0);

                            // P = exp(scale · q kᵀ + mask − lse), recomputed instead of stored.
                            AttentionTileKernels.Product(rows, colsPad, dk, scale, qh + i0 * dkPad, dkPad, 1, kt + j0, tkPad, p, KeyTile, accumulate: false);
                            mask.Apply(pSpan, rows, cols, KeyTile, b, h, i0, j0, d);
                            for (int r = 0; r < rows; r++)
                            {
                                AttentionTileKernels.ProbabilityRow(p + r * KeyTile, cols, lse[bh * tq + i0 + r]);
                            }

                            if (dQ is not null || dK is not null)
                            {
                                // dS = scale · P ⊙ (dP − delta) with dP = (dO vᵀ) ⊙ dropout mask, then
                                // dQ += dS k and dK += dSᵀ q. (delta = rowsum(dO ⊙ O) holds with dropout too.)
                                AttentionTileKernels.Product(rows, colsPad, dv, 1f, doh + i0 * dvPad, dvPad, 1, vt + j0, tkPad, ds, KeyTile, accumulate: false);
                                for (int r = 0; r < rows; r++)
                                {
                                    dropout?.Apply(ds + r * KeyTile, cols, bh, i0 + r, j0, d);
                                    AttentionTileKernels.SoftmaxGradientRow(ds + r * KeyTile, p + r * KeyTile, cols, delta[i0 + r], scale);
                                }
                                if (dQ is not null)
                                {
                                    AttentionTileKernels.Product(rows, dkPad, cols, 1f, ds, KeyTile, 1, kh + j0 * dkPad, dkPad, dqAcc + i0 * dkPad, dkPad, accumulate: true);
                                }
                                if (dK is not null)
                                {
                                    AttentionTileKernels.Product(cols, dkPad, rows, 1f, ds, 1, KeyTile, qh + i0 * dkPad, dkPad, dkTile, dkPad, accumulate: true);
                                }
                            }
                            if (dV is not null)
                            {
                                // dV += (P ⊙ mask)ᵀ dO: A = P read transposed (row stride 1, column stride 64).
                                if (dropout is { } drop)
                                {
                                    for (int r = 0; r < rows; r++)
                                    {
                                        drop.Apply(p + r * KeyTile, cols, bh, i0 + r, j0, d);
                                    }
                                }
                                AttentionTileKernels.Product(cols, dvPad, rows, 1f, p, 1, KeyTile, doh + i0 * dvPad, dvPad, dvTile, dvPad, accumulate: true);
                            }
                        }
                        if (dK is not null)
                        {
                            AddRows(dkTile, dkPad, cols, dk, pdk + kl.Row(b, h, j0), kl.RowStride);
                        }
                        if (dV is not null)
                        {
                            AddRows(dvTile, dvPad, cols, dv, pdv + vl.Row(b, h, j0), vl.RowStride);
                        }
                    }
                    if (dQ is not null)
                    {
                        AddRows(dqAcc, dkPad, tq, dk, pdq + ql.Row(b, h, 0), ql.RowStride);
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        });
    }

    /// <summary>One (batch, head) pair's work: its batch, head and flat index, and its scratch.</summary>
    private delegate void PairWork(int b, int h, int bh, float* scratch);

    /// <summary>Runs <paramref name="work"/> for every (batch, head) pair in parallel, each task with <paramref name="scratchLength"/> floats of pooled scratch.</summary>
    private static void ForEachPair(AttentionDims d, int scratchLength, PairWork work)
    {
        WorkerTeam.For(d.Batch * d.Heads, Environment.ProcessorCount, bh =>
        {
            float[] scratch = ArrayPool<float>.Shared.Rent(scratchLength);
            try
            {
                fixed (float* buf = scratch)
                {
                    work(bh / d.Heads, bh % d.Heads, bh, buf);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        });
    }

    /// <summary>Copies <paramref name="rows"/> rows of <paramref name="width"/> floats into rows of <paramref name="paddedWidth"/>, zero-filling the padding.</summary>
    private static void CopyRows(float* source, int sourceStride, int rows, int width, float* target, int paddedWidth)
    {
        for (int r = 0; r < rows; r++)
        {
            var row = new Span<float>(target + r * paddedWidth, paddedWidth);
            new ReadOnlySpan<float>(source + r * sourceStride, width).CopyTo(row);
            row.Slice(width).Clear();
        }
    }

    /// <summary>Writes the transpose of a <c>rows × width</c> block as <c>width</c> rows of <paramref name="paddedRows"/> floats, zero-filling the padding.</summary>
    private static void TransposeRows(float* source, int sourceStride, int rows, int width, float* target, int paddedRows)
    {
        for (int r = 0; r < rows; r++)
        {
            float* src = source + r * sourceStride;
            for (int c = 0; c < width; c++)
            {
                target[c * paddedRows + r] = src[c];
            }
        }
        for (int c = 0; c < width; c++)
        {
            new Span<float>(target + c * paddedRows + rows, paddedRows - rows).Clear();
        }
    }

    /// <summary>Adds the first <paramref name="width"/> floats of each of <paramref name="rows"/> padded rows into strided target rows.</summary>
    private static void AddRows(float* source, int paddedWidth, int rows, int width, float* target, int targetStride)
    {
        for (int r = 0; r < rows; r++)
        {
            var t = new Span<float>(target + r * targetStride, width);
            TensorPrimitives.Add(t, new ReadOnlySpan<float>(source + r * paddedWidth, width), t);
        }
    }
}
