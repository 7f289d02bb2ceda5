using System.Buffers;
using System.Numerics.Tensors;

namespace Promptor.Tensors.Kernels;

// Dimension letters: B batch, H heads, Tq query length, Tk key length, D query/key width,
// Dv value width. Every tensor is contiguous (B, H, T, ·).

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
/// Memory is O(T·D) per head plus one tile of scratch per thread.
/// </summary>
internal static class AttentionKernels
{
    /// <summary>Rows of queries per tile.</summary>
    public const int QueryTile = 64;

    /// <summary>Keys per tile.</summary>
    public const int KeyTile = 64;

    /// <summary>
    /// Writes <c>o = softmax(scale · q kᵀ + mask) v</c> and the row log-sum-exp <c>lse</c> (B, H, Tq);
    /// a fully masked row gives a zero output and <c>lse = −∞</c>.
    /// </summary>
    public static void Forward(float[] q, float[] k, float[] v, float[] o, float[] lse, AttentionDims d, AttentionMaskSpec mask, float scale)
    {
        int heads = d.Batch * d.Heads;
        Parallel.For(0, heads, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, bh =>
        {
            int b = bh / d.Heads, h = bh % d.Heads;
            float[] scratch = ArrayPool<float>.Shared.Rent(QueryTile * KeyTile + 2 * QueryTile);
            try
            {
                for (int i0 = 0; i0 < d.QueryLength; i0 += QueryTile)
                {
                    ForwardTile(q, k, v, o, lse, d, mask, scale, b, h, bh, i0, scratch);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        });
    }

    private static void ForwardTile(float[] q, float[] k, float[] v, float[] o, float[] lse, AttentionDims d,
        AttentionMaskSpec mask, float scale, int b, int h, int bh, int i0, float[] scratch)
    {
        int rows = Math.Min(QueryTile, d.QueryLength - i0);
        int dk = d.KeyWidth, dv = d.ValueWidth;
        var s = scratch.AsSpan(0, QueryTile * KeyTile);
        var m = scratch.AsSpan(QueryTile * KeyTile, QueryTile);
        var l = scratch.AsSpan(QueryTile * KeyTile + QueryTile, QueryTile);
        m.Fill(float.NegativeInfinity);
        l.Clear();
        var qTile = q.AsSpan((bh * d.QueryLength + i0) * dk, rows * dk);
        var oTile = o.AsSpan((bh * d.QueryLength + i0) * dv, rows * dv);
        oTile.Clear();

        int keyEnd = mask.Causal ? Math.Min(d.KeyLength, i0 + rows) : d.KeyLength;
        for (int j0 = 0; j0 < keyEnd; j0 += KeyTile)
        {
            int cols = Math.Min(KeyTile, d.KeyLength - j0);
            var kTile = k.AsSpan((bh * d.KeyLength + j0) * dk, cols * dk);
            var vTile = v.AsSpan((bh * d.KeyLength + j0) * dv, cols * dv);
            Gemm.Multiply(false, true, rows, cols, dk, scale, qTile, dk, kTile, dk, 0f, s, KeyTile);
            mask.Apply(s, rows, cols, KeyTile, b, h, i0, j0, d);
            for (int r = 0; r < rows; r++)
            {
                var row = s.Slice(r * KeyTile, cols);
                float tileMax = TensorPrimitives.Max(row);
                float mNew = MathF.Max(m[r], tileMax);
                if (float.IsNegativeInfinity(mNew))
                {
                    row.Clear();
                    continue;
                }
                TensorPrimitives.Subtract(row, mNew, row);
                TensorPrimitives.Exp(row, row);
                float alpha = MathF.Exp(m[r] - mNew);
                l[r] = l[r] * alpha + TensorPrimitives.Sum(row);
                if (alpha != 1f)
                {
                    var oRow = oTile.Slice(r * dv, dv);
                    TensorPrimitives.Multiply(oRow, alpha, oRow);
                }
                m[r] = mNew;
            }
            Gemm.Multiply(false, false, rows, dv, cols, 1f, s, KeyTile, vTile, dv, 1f, oTile, dv);
        }
        for (int r = 0; r < rows; r++)
        {
            int row = bh * d.QueryLength + i0 + r;
            if (l[r] > 0)
            {
                var oRow = oTile.Slice(r * dv, dv);
                TensorPrimitives.Multiply(oRow, 1f / l[r], oRow);
                lse[row] = m[r] + MathF.Log(l[r]);
            }
            else
            {
                lse[row] = float.NegativeInfinity;
            }
        }
    }

    /// <summary>
    /// Accumulates (<c>+=</c>) the gradients of q, k and v given the forward inputs, output
    /// <paramref name="o"/>, its log-sum-exp and the output gradient <paramref name="dO"/>. Null
    /// gradient buffers are skipped. Parallel over (batch, head); each head owns its slices.
    /// </summary>
    public static void Backward(float[] q, float[] k, float[] v, float[] o, float[] lse, float[] dO,
        float[]? dQ, float[]? dK, float[]? dV, AttentionDims d, AttentionMaskSpec mask, float scale)
    {
        int heads = d.Batch * d.Heads;
        int dk = d.KeyWidth, dv = d.ValueWidth;
        Parallel.For(0, heads, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, bh =>
        {
            int b = bh / d.Heads, h = bh % d.Heads;
            int tileSize = QueryTile * KeyTile;
            float[] scratch = ArrayPool<float>.Shared.Rent(2 * tileSize + d.QueryLength + KeyTile * (dk + dv));
            try
            {
                var p = scratch.AsSpan(0, tileSize);
                var dp = scratch.AsSpan(tileSize, tileSize);
                var delta = scratch.AsSpan(2 * tileSize, d.QueryLength);
                var dKTile = scratch.AsSpan(2 * tileSize + d.QueryLength, KeyTile * dk);
                var dVTile = scratch.AsSpan(2 * tileSize + d.QueryLength + KeyTile * dk, KeyTile * dv);

                // delta_i = Σ_c dO[i, c] · O[i, c] = Σ_j P[i, j] dP[i, j]: the softmax-backward row term.
                for (int i = 0; i < d.QueryLength; i++)
                {
                    int row = (bh * d.QueryLength + i) * dv;
                    delta[i] = TensorPrimitives.Dot(dO.AsSpan(row, dv), o.AsSpan(row, dv));
                }

                for (int j0 = 0; j0 < d.KeyLength; j0 += KeyTile)
                {
                    int cols = Math.Min(KeyTile, d.KeyLength - j0);
                    var kTile = k.AsSpan((bh * d.KeyLength + j0) * dk, cols * dk);
                    var vTile = v.AsSpan((bh * d.KeyLength + j0) * dv, cols * dv);
                    dKTile.Clear();
                    dVTile.Clear();
                    int iStart = mask.Causal ? j0 / QueryTile * QueryTile : 0;
                    for (int i0 = iStart; i0 < d.QueryLength; i0 += QueryTile)
                    {
                        int rows = Math.Min(QueryTile, d.QueryLength - i0);
                        var qTile = q.AsSpan((bh * d.QueryLength + i0) * dk, rows * dk);
                        var dOTile = dO.AsSpan((bh * d.QueryLength + i0) * dv, rows * dv);

                        // P = exp(scale · q kᵀ + mask − lse), recomputed instead of stored.
                        Gemm.Multiply(false, true, rows, cols, dk, scale, qTile, dk, kTile, dk, 0f, p, KeyTile);
                        mask.Apply(p, rows, cols, KeyTile, b, h, i0, j0, d);
                        for (int r = 0; r < rows; r++)
                        {
                            var row = p.Slice(r * KeyTile, cols);
                            float rowLse = lse[bh * d.QueryLength + i0 + r];
                            if (float.IsNegativeInfinity(rowLse))
                            {
                                row.Clear();
                                continue;
                            }
                            TensorPrimitives.Subtract(row, rowLse, row);
                            TensorPrimitives.Exp(row, row);
                        }

                        if (dV is not null)
                        {
                            Gemm.Multiply(true, false, cols, dv, rows, 1f, p, KeyTile, dOTile, dv, 1f, dVTile, dv);
                        }
                        if (dQ is null && dK is null)
                        {
                            continue;
                        }
                        // dS = P ⊙ (dO vᵀ − delta), then dQ += scale·dS k and dK += scale·dSᵀ q.
                        Gemm.Multiply(false, true, rows, cols, dv, 1f, dOTile, dv, vTile, dv, 0f, dp, KeyTile);
                        for (int r = 0; r < rows; r++)
                        {
                            var pRow = p.Slice(r * KeyTile, cols);
                            var dpRow = dp.Slice(r * KeyTile, cols);
                            TensorPrimitives.Subtract(dpRow, delta[i0 + r], dpRow);
                            TensorPrimitives.Multiply(dpRow, pRow, dpRow);
                        }
                        if (dQ is not null)
                        {
                            Gemm.Multiply(false, false, rows, dk, cols, scale, dp, KeyTile, kTile, dk, 1f,
                                dQ.AsSpan((bh * d.QueryLength + i0) * dk, rows * dk), dk);
                        }
                        if (dK is not null)
                        {
                            Gemm.Multiply(true, false, cols, dk, rows, scale, dp, KeyTile, qTile, dk, 1f, dKTile, dk);
                        }
                    }
                    if (dK is not null)
                    {
                        var target = dK.AsSpan((bh * d.KeyLength + j0) * dk, cols * dk);
                        TensorPrimitives.Add(target, dKTile.Slice(0, cols * dk), target);
                    }
                    if (dV is not null)
                    {
                        var target = dV.AsSpan((bh * d.KeyLength + j0) * dv, cols * dv);
                        TensorPrimitives.Add(target, dVTile.Slice(0, cols * dv), target);
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        });
    }
}
