using System.Globalization;
using Promptor.Nn.Layers;
using Promptor.Tensors;

namespace Promptor.Nn.Attention;

/// <summary>
/// Additive score of Bahdanau et al. (2015), <c>w_vᵀ tanh(W_q q + W_k k)</c>, unscaled, as in d2l's
/// <c>AdditiveAttention</c>: queries <c>(B, Tq, dq)</c>, keys <c>(B, Tk, dk)</c> → <c>(B, Tq, Tk)</c>.
/// Parameters (no biases, registered in d2l's order): <c>W_k.weight</c> <c>(h, dk)</c>,
/// <c>W_q.weight</c> <c>(h, dq)</c>, <c>w_v.weight</c> <c>(1, h)</c>, each initialised like a PyTorch
/// Linear. Queries and keys may have different widths. Memory is <c>B·Tq·Tk·h</c> floats, because the
/// sum is formed for every query–key pair before the tanh.
/// </summary>
public sealed class AdditiveScore : Module, IAttentionScore
{
    /// <summary>Creates the score and initialises it from <paramref name="generator"/>.</summary>
    /// <param name="queryFeatures">Query width dq (≥ 1).</param>
    /// <param name="keyFeatures">Key width dk (≥ 1).</param>
    /// <param name="hiddenFeatures">Width h of the shared hidden space (≥ 1).</param>
    /// <param name="generator">Source of the initial values.</param>
    public AdditiveScore(int queryFeatures, int keyFeatures, int hiddenFeatures, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queryFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(keyFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenFeatures, 1);
        ArgumentNullException.ThrowIfNull(generator);
        KeyProjection = RegisterModule("W_k", new Linear(keyFeatures, hiddenFeatures, generator, bias: false));
        QueryProjection = RegisterModule("W_q", new Linear(queryFeatures, hiddenFeatures, generator, bias: false));
        ScoreProjection = RegisterModule("w_v", new Linear(hiddenFeatures, 1, generator, bias: false));
    }

    /// <summary><c>W_q</c>: queries to the hidden space, weight <c>(h, dq)</c>.</summary>
    public Linear QueryProjection { get; }

    /// <summary><c>W_k</c>: keys to the hidden space, weight <c>(h, dk)</c>.</summary>
    public Linear KeyProjection { get; }

    /// <summary><c>w_v</c>: hidden features to one score, weight <c>(1, h)</c>.</summary>
    public Linear ScoreProjection { get; }

    /// <summary>Width h of the hidden space.</summary>
    public int HiddenFeatures => ScoreProjection.InFeatures;

    /// <inheritdoc/>
    public Tensor Score(Tensor queries, Tensor keys)
    {
        ScoreShapes.Check(nameof(AdditiveScore), queries, keys, sameWidth: false,
            QueryProjection.InFeatures, KeyProjection.InFeatures);
        var q = QueryProjection.Forward(queries).Unsqueeze(2); // (B, Tq, 1, h)
        var k = KeyProjection.Forward(keys).Unsqueeze(1); // (B, 1, Tk, h)
        var features = (q + k).Tanh(); // (B, Tq, Tk, h)
        return ScoreProjection.Forward(features).Squeeze(-1); // (B, Tq, Tk)
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture,
        $"dq={QueryProjection.InFeatures}, dk={KeyProjection.InFeatures}, hidden={HiddenFeatures}");
}
