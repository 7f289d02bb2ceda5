using Promptor.Tensors;

namespace Promptor.Nn.Positional;

/// <summary>
/// Relative-position attention as functions. A table of relative embeddings has one row per clipped
/// distance <c>j − i</c>, row r holding distance <c>r − K</c> (K = clip distance):
/// <list type="bullet">
/// <item>bidirectional: R = 2K + 1 rows, distances −K..K; further keys share the end rows (Shaw et
/// al. 2018);</item>
/// <item>causal: R = K + 1 rows, distances −K..0 (the Music Transformer, Huang et al. 2018; with
/// K ≥ T − 1 nothing is clipped). Future keys have no row and must be masked.</item>
/// </list>
/// A table is <c>(R, D)</c>, shared by all heads as in Shaw et al., or <c>(H, R, D)</c>, one per
/// head as in the Music Transformer. Logits use the memory-efficient skewing
/// (<see cref="Ops.RelativeShift"/>): <c>O(T·R)</c> extra memory instead of the <c>(T, T, D)</c>
/// tensor of per-pair embeddings.
/// </summary>
public static class RelativePositions
{
    /// <summary>
    /// The table row for distance <paramref name="distance"/> = j − i: <c>clip(j − i, −K, K) + K</c>,
    /// or −1 for a future key (distance &gt; 0) in the <paramref name="causal"/> form.
    /// </summary>
    public static int Index(int distance, int maxDistance, bool causal = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDistance);
        if (causal && distance > 0)
        {
            return -1;
        }
        return Math.Clamp(distance, -maxDistance, maxDistance) + maxDistance;
    }

    /// <summary>Rows R of a table with clip distance K: 2K + 1, or K + 1 when <paramref name="causal"/>.</summary>
    public static int TableSize(int maxDistance, bool causal = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDistance);
        return causal ? maxDistance + 1 : 2 * maxDistance + 1;
    }

    /// <summary>The clip distance K of a table with <paramref name="rows"/> rows (R = 2K + 1 must be odd unless causal).</summary>
    /// <exception cref="ArgumentException">No K gives <paramref name="rows"/>.</exception>
    public static int MaxDistance(int rows, bool causal = false)
    {
        if (rows < 1 || (!causal && rows % 2 == 0))
        {
            throw new ArgumentException(causal
                ? $"A causal relative table needs K + 1 ≥ 1 rows; got {rows}."
                : $"A bidirectional relative table needs 2K + 1 (odd) rows; got {rows}.", nameof(rows));
        }
        return causal ? rows - 1 : (rows - 1) / 2;
    }

    /// <summary>
    /// Unscaled relative logits <c>S_rel[…, i, j] = q_i · E[clip(j − i) + K]</c>, computed as
    /// <c>RelativeShift(q @ Eᵀ)</c>. q is <c>(B, H, T, D)</c> (or <c>(B, T, D)</c> single-head),
    /// <paramref name="table"/> E is <c>(R, D)</c> or, for rank-4 q, <c>(H, R, D)</c>; the result
    /// is <c>(B, H, T, T)</c> (or <c>(B, T, T)</c>). Causal future entries are 0.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes do not fit, or R is not a valid table size.</exception>
    public static Tensor Logits(Tensor q, Tensor table, bool causal = false)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(table);
        CheckTable(q, table, q.Shape[-1], "key");
        return q.MatMul(table, transposeB: true).RelativeShift(causal); // (B, H, T, R) → (B, H, T, T)
    }

    /// <summary>
    /// Self-attention with Shaw et al. (2018) relative position representations:
    /// <c>e_ij = (q_i·k_j + q_i·a^K_{clip(j−i)})·scale</c>, <c>α = softmax_j(e + mask)</c>,
    /// <c>z_i = Σ_j α_ij (v_j + a^V_{clip(j−i)})</c>. Both relative terms use the skew and its adjoint
    /// (<see cref="Ops.RelativeShift"/>, <see cref="Ops.RelativeUnshift"/>), never a <c>(T, T, D)</c>
    /// tensor. Returns z <c>(B, H, T, Dv)</c> and α <c>(B, H, T, T)</c>.
    /// </summary>
    /// <param name="q">Queries <c>(B, H, T, D)</c> (or <c>(B, T, D)</c>).</param>
    /// <param name="k">Keys <c>(B, H, T, D)</c>, same length T as q.</param>
    /// <param name="v">Values <c>(B, H, T, Dv)</c>.</param>
    /// <param name="keyTable">a^K: <c>(R, D)</c> shared by the heads, or <c>(H, R, D)</c>.</param>
    /// <param name="valueTable">a^V: <c>(R, Dv)</c> or <c>(H, R, Dv)</c> with the same R; null (default) drops the value term.</param>
    /// <param name="causal">Causal tables (R = K + 1) and a causal mask; default false (bidirectional, R = 2K + 1).</param>
    /// <param name="mask">Extra masking (key padding, causal, additive bias) combined with the above; default none.</param>
    /// <param name="scale">Logit scale; default <c>1/√D</c>.</param>
    /// <exception cref="ArgumentException">Shapes do not fit.</exception>
    public static (Tensor Output, Tensor Weights) ShawAttention(Tensor q, Tensor k, Tensor v, Tensor keyTable,
        Tensor? valueTable = null, bool causal = false, AttentionMask? mask = null, float? scale = null)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(keyTable);
        if (q.Rank < 3 || k.Rank != q.Rank || q.Shape[-2] != k.Shape[-2])
        {
            throw new ArgumentException($"Relative self-attention needs q and k of the same rank (3 or 4) and length T; got q {q.Shape}, k {k.Shape}.");
        }
        float s = scale ?? 1f / MathF.Sqrt(q.Shape[-1]);
        var relative = Logits(q, keyTable, causal).MulScalar(s); // (B, H, T, T)
        var bias = mask?.Bias is { } extra ? relative.Add(extra) : relative;
        var combined = (mask ?? new AttentionMask()) with { Bias = bias, Causal = causal || mask?.Causal == true };
        var (output, weights) = Ops.ScaledDotProductAttentionWithWeights(q, k, v, combined, s);
        if (valueTable is not null)
        {
            CheckTable(q, valueTable, v.Shape[-1], "value");
            if (valueTable.Shape[-2] != keyTable.Shape[-2])
            {
                throw new ArgumentException($"The value table {valueTable.Shape} must have as many rows as the key table {keyTable.Shape}.", nameof(valueTable));
            }
            int maxDistance = MaxDistance(keyTable.Shape[-2], causal);
            var perDistance = weights.RelativeUnshift(maxDistance, causal); // (B, H, T, R)
            output = output.Add(perDistance.MatMul(valueTable));          // (B, H, T, Dv)
        }
        return (output, weights);
    }

    private static void CheckTable(Tensor q, Tensor table, int width, string what)
    {
        bool shared = table.Rank == 2;
        bool perHead = table.Rank == 3 && q.Rank == 4 && table.Shape[0] == q.Shape[1];
        if ((!shared && !perHead) || table.Shape[-1] != width)
        {
            throw new ArgumentException(
                $"The relative {what} table must be (R, {width}) or, for q (B, H, T, D), (H, R, {width}); got {table.Shape} for q {q.Shape}.", nameof(table));
        }
    }
}
