using System.Globalization;
using Promptor.Tensors;

namespace Promptor.Nn.Attention;

/// <summary>
/// Scaled dot-product score <c>q·kᵀ · scale</c> (Vaswani et al. 2017): queries <c>(B, Tq, d)</c>,
/// keys <c>(B, Tk, d)</c> → <c>(B, Tq, Tk)</c>. The scale defaults to <c>1/√d</c>, which keeps the
/// scores' variance near 1 for unit-variance inputs. No parameters.
/// </summary>
public sealed class ScaledDotProductScore : Module, IAttentionScore
{
    /// <summary>Creates the score.</summary>
    /// <param name="scale">Fixed factor on the dot products (finite); null (default) uses <c>1/√d</c>.</param>
    public ScaledDotProductScore(float? scale = null)
    {
        if (scale is { } s && !float.IsFinite(s))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), "The scale must be finite.");
        }
        Scale = scale;
    }

    /// <summary>The fixed scale, or null for <c>1/√d</c>.</summary>
    public float? Scale { get; }

    /// <inheritdoc/>
    public Tensor Score(Tensor queries, Tensor keys)
    {
        ScoreShapes.Check(nameof(ScaledDotProductScore), queries, keys, sameWidth: true);
        float scale = Scale ?? 1f / MathF.Sqrt(queries.Shape[2]);
        return queries.MatMul(keys, transposeB: true).MulScalar(scale); // (B, Tq, Tk)
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        Scale is { } s ? string.Create(CultureInfo.InvariantCulture, $"scale={s}") : "scale=1/sqrt(d)";
}
