using Promptor.Tensors;

namespace Promptor.Nn.Attention;

/// <summary>
/// Dot-product score <c>q·kᵀ</c>, unscaled: queries <c>(B, Tq, d)</c>, keys <c>(B, Tk, d)</c> →
/// <c>(B, Tq, Tk)</c>. No parameters. Use <see cref="ScaledDotProductScore"/> when d is large.
/// </summary>
public sealed class DotProductScore : Module, IAttentionScore
{
    /// <inheritdoc/>
    public Tensor Score(Tensor queries, Tensor keys)
    {
        ScoreShapes.Check(nameof(DotProductScore), queries, keys, sameWidth: true);
        return queries.MatMul(keys, transposeB: true); // (B, Tq, Tk)
    }
}
