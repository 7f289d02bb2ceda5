using System.Globalization;
using Promptor.Nn.Layers;
using Promptor.Tensors;

namespace Promptor.Nn.Attention;

/// <summary>
/// Luong's "general" (bilinear) score <c>q W kᵀ</c>, unscaled: queries <c>(B, Tq, dq)</c>, keys
/// <c>(B, Tk, dk)</c> → <c>(B, Tq, Tk)</c>. Parameter <c>W.weight</c> <c>(dq, dk)</c>, stored as used
/// (it is the weight of a bias-free <c>Linear(dk → dq)</c> applied to the keys, so
/// <c>q · (k Wᵀ)ᵀ = q W kᵀ</c>). Initialised like that Linear: <c>U(−1/√dk, 1/√dk)</c>.
/// </summary>
public sealed class GeneralScore : Module, IAttentionScore
{
    /// <summary>Creates the score and initialises <c>W</c> from <paramref name="generator"/>.</summary>
    /// <param name="queryFeatures">Query width dq (≥ 1).</param>
    /// <param name="keyFeatures">Key width dk (≥ 1).</param>
    /// <param name="generator">Source of the initial values.</param>
    public GeneralScore(int queryFeatures, int keyFeatures, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queryFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(keyFeatures, 1);
        ArgumentNullException.ThrowIfNull(generator);
        W = RegisterModule("W", new Linear(keyFeatures, queryFeatures, generator, bias: false));
    }

    /// <summary>The bilinear map as a <c>Linear(dk → dq)</c> without bias; its weight is <c>W</c> <c>(dq, dk)</c>.</summary>
    public Linear W { get; }

    /// <summary>Query width dq.</summary>
    public int QueryFeatures => W.OutFeatures;

    /// <summary>Key width dk.</summary>
    public int KeyFeatures => W.InFeatures;

    /// <inheritdoc/>
    public Tensor Score(Tensor queries, Tensor keys)
    {
        ScoreShapes.Check(nameof(GeneralScore), queries, keys, sameWidth: false, QueryFeatures, KeyFeatures);
        var projectedKeys = W.Forward(keys); // (B, Tk, dq)
        return queries.MatMul(projectedKeys, transposeB: true); // (B, Tq, Tk)
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"dq={QueryFeatures}, dk={KeyFeatures}");
}
