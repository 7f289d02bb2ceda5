using Promptor.Tensors;

namespace Promptor.Nn.Attention;

/// <summary>
/// Attention pooling with a pluggable scoring function: <c>weights = softmax(score(q, k))</c> over
/// the keys and <c>output = weights · v</c>. Queries <c>(B, Tq, dq)</c>, keys <c>(B, Tk, dk)</c> and
/// values <c>(B, Tk, dv)</c> give an output <c>(B, Tq, dv)</c> and weights <c>(B, Tq, Tk)</c>.
/// <para>
/// Masking follows d2l's <c>masked_softmax</c>: the scores of masked keys are <b>replaced</b> by
/// <see cref="MaskValue"/> (−1e6, not −∞) before the softmax. A masked key's weight underflows to
/// exactly 0 as long as some key of its row is unmasked, and a row whose keys are all masked gets
/// uniform weights over all Tk keys instead of NaN (e.g. valid length 0). Masked scores receive
/// no gradient.
/// </para>
/// A score that is a <see cref="Module"/> is registered as the child <c>score</c>, so an additive
/// pooling has the parameters <c>score.W_k.weight</c>, <c>score.W_q.weight</c>, <c>score.w_v.weight</c>.
/// </summary>
public sealed class AttentionPooling : Module
{
    /// <summary>The score given to masked keys before the softmax (d2l's value).</summary>
    public const float MaskValue = -1e6f;

    /// <summary>Creates the pooling around <paramref name="score"/>.</summary>
    public AttentionPooling(IAttentionScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        Score = score;
        if (score is Module module)
        {
            RegisterModule("score", module);
        }
    }

    /// <summary>The scoring function.</summary>
    public IAttentionScore Score { get; }

    /// <summary>Pools <paramref name="values"/> with the weights of <paramref name="queries"/> against <paramref name="keys"/>.</summary>
    /// <param name="queries"><c>(B, Tq, dq)</c>.</param>
    /// <param name="keys"><c>(B, Tk, dk)</c>.</param>
    /// <param name="values"><c>(B, Tk, dv)</c>.</param>
    /// <param name="validLengths">
    /// Optional, one per batch row (length B, each in <c>[0, Tk]</c>): keys <c>j ≥ validLengths[b]</c>
    /// are masked. Default: no masking.
    /// </param>
    /// <param name="keyPaddingMask">
    /// Optional <c>(B, Tk)</c>; non-zero marks a masked key (the convention of
    /// <see cref="AttentionMask.KeyPadding"/>). Combined with <paramref name="validLengths"/> by OR.
    /// </param>
    /// <returns>Output <c>(B, Tq, dv)</c> and weights <c>(B, Tq, Tk)</c>.</returns>
    public PooledAttention Forward(Tensor queries, Tensor keys, Tensor values,
        IReadOnlyList<int>? validLengths = null, Tensor? keyPaddingMask = null)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        if (queries.Rank != 3 || keys.Rank != 3 || values.Rank != 3
            || keys.Shape[0] != queries.Shape[0] || values.Shape[0] != queries.Shape[0] || values.Shape[1] != keys.Shape[1])
        {
            throw new ArgumentException(
                $"Attention pooling expects queries (B, Tq, dq), keys (B, Tk, dk) and values (B, Tk, dv); got {queries.Shape}, {keys.Shape} and {values.Shape}.");
        }
        int batch = queries.Shape[0], queryLength = queries.Shape[1], keyLength = keys.Shape[1];
        var scores = Score.Score(queries, keys);
        if (scores.Shape != new Shape(batch, queryLength, keyLength))
        {
            throw new InvalidOperationException(
                $"{Score.GetType().Name} returned scores {scores.Shape}, expected (B, Tq, Tk) = ({batch}, {queryLength}, {keyLength}).");
        }
        var mask = KeyMask(batch, keyLength, validLengths, keyPaddingMask);
        if (mask is not null)
        {
            scores = scores.MaskedFill(mask, MaskValue);
        }
        var weights = scores.Softmax(-1); // (B, Tq, Tk)
        return new PooledAttention(weights.MatMul(values), weights); // (B, Tq, dv)
    }

    /// <summary>
    /// The <c>(B, 1, Tk)</c> 0/1 mask (1 = masked) from valid lengths and a key padding mask, or null
    /// when neither masks anything.
    /// </summary>
    internal static Tensor? KeyMask(int batch, int keyLength, IReadOnlyList<int>? validLengths, Tensor? keyPaddingMask)
    {
        if (validLengths is null && keyPaddingMask is null)
        {
            return null;
        }
        var mask = new Tensor(new Shape(batch, 1, keyLength));
        if (validLengths is not null)
        {
            if (validLengths.Count != batch)
            {
                throw new ArgumentException($"Expected {batch} valid lengths (one per batch row), got {validLengths.Count}.", nameof(validLengths));
            }
            for (int b = 0; b < batch; b++)
            {
                int valid = validLengths[b];
                if (valid < 0 || valid > keyLength)
                {
                    throw new ArgumentOutOfRangeException(nameof(validLengths), $"Valid length {valid} of batch row {b} is outside [0, {keyLength}].");
                }
                mask.Data.AsSpan(b * keyLength + valid, keyLength - valid).Fill(1f);
            }
        }
        if (keyPaddingMask is not null)
        {
            if (keyPaddingMask.Shape != new Shape(batch, keyLength))
            {
                throw new ArgumentException($"Key padding mask must be (B, Tk) = ({batch}, {keyLength}), got {keyPaddingMask.Shape}.", nameof(keyPaddingMask));
            }
            for (int i = 0; i < mask.Size; i++)
            {
                if (keyPaddingMask.Data[i] != 0)
                {
                    mask.Data[i] = 1f;
                }
            }
        }
        return mask;
    }
}
