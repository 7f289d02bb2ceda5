using Promptor.Tensors.Autograd;
using Promptor.Tensors.Kernels;

namespace Promptor.Tensors;

public static partial class Ops
{
    /// <summary>
    /// The Music Transformer's "skewing" (Huang et al. 2018) for relative attention: turns logits
    /// indexed by relative distance, <paramref name="rel"/> <c>(…, T, R)</c> with
    /// <c>rel[…, i, r] = q_i · E_r</c> (usually <c>q @ Eᵀ</c>), into logits indexed by key,
    /// <c>(…, T, T)</c> with <c>out[…, i, j] = rel[…, i, clip(j − i, −K, K) + K]</c>, without building
    /// the <c>(T, T, D)</c> tensor of per-pair embeddings. Column r holds distance <c>r − K</c>:
    /// <list type="bullet">
    /// <item>bidirectional (default): R = 2K + 1, distances −K..K; keys further than K away share the
    /// end columns (Shaw et al. 2018 clipping).</item>
    /// <item><paramref name="causal"/>: R = K + 1, distances −K..0; future keys (j &gt; i) get 0, so
    /// the attention must also apply a causal mask. K ≥ T − 1 is the unclipped Music Transformer form.</item>
    /// </list>
    /// K is read from R. The backward pass is <see cref="RelativeUnshift"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Rank below 2, R = 0, or an even R in the bidirectional form.</exception>
    public static Tensor RelativeShift(this Tensor rel, bool causal = false)
    {
        ArgumentNullException.ThrowIfNull(rel);
        if (rel.Rank < 2 || rel.Shape[-1] == 0 || (!causal && rel.Shape[-1] % 2 == 0))
        {
            throw new ArgumentException(
                $"RelativeShift expects (…, T, R) with R = {(causal ? "K + 1 ≥ 1 (causal)" : "2K + 1, odd (bidirectional)")}; got {rel.Shape}.", nameof(rel));
        }
        int t = rel.Shape[-2], r = rel.Shape[-1];
        int k = causal ? r - 1 : (r - 1) / 2;
        int planes = t == 0 ? 0 : rel.Size / (t * r);
        var y = new Tensor(new Shape([.. rel.Shape.Dims[..^1], t]));
        RelativeShiftKernels.Shift(rel.Data, y.Data, planes, t, k, causal);
        return Tape.Record(y, [rel], dy => RelativeShiftKernels.Unshift(dy.Data, rel.GradData, planes, t, k, causal));
    }

    /// <summary>
    /// The transpose (adjoint) of <see cref="RelativeShift"/>: sums a key-indexed <paramref name="s"/>
    /// <c>(…, T, T)</c> into one value per relative distance, <c>(…, T, R)</c>:
    /// <c>out[…, i, r] = Σ_{j : clip(j − i) + K = r} s[…, i, j]</c> (causal: only keys j ≤ i count).
    /// With attention weights α this gives Shaw's value term <c>Σ_j α_ij a^V_{clip(j − i)} =
    /// (RelativeUnshift(α) @ a^V)_i</c>, again without a <c>(T, T, D)</c> tensor.
    /// <paramref name="maxDistance"/> is the clip distance K ≥ 0; R = 2K + 1 (bidirectional) or K + 1
    /// (<paramref name="causal"/>). The backward pass is <see cref="RelativeShift"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Rank below 2 or the last two dims differ.</exception>
    public static Tensor RelativeUnshift(this Tensor s, int maxDistance, bool causal = false)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDistance);
        if (s.Rank < 2 || s.Shape[-1] != s.Shape[-2])
        {
            throw new ArgumentException($"RelativeUnshift expects square (…, T, T) logits or weights; got {s.Shape}.", nameof(s));
        }
        int t = s.Shape[-1];
        int r = RelativeShiftKernels.Columns(maxDistance, causal);
        int planes = t == 0 ? 0 : s.Size / (t * t);
        var y = new Tensor(new Shape([.. s.Shape.Dims[..^1], r]));
        RelativeShiftKernels.Unshift(s.Data, y.Data, planes, t, maxDistance, causal);
        return Tape.Record(y, [s], dy => RelativeShiftKernels.Shift(dy.Data, s.GradData, planes, t, maxDistance, causal));
    }
}
