using Promptor.Tensors;

namespace Promptor.Nn.Attention;

/// <summary>
/// A scoring function of attention: how well each query matches each key, before the softmax.
/// <see cref="AttentionPooling"/> turns the scores into weights and pools the values with them.
/// Implementations: <see cref="DotProductScore"/>, <see cref="ScaledDotProductScore"/>,
/// <see cref="GeneralScore"/> (Luong), <see cref="AdditiveScore"/> (Bahdanau) and
/// <see cref="GaussianKernelScore"/> (Nadaraya–Watson). Scores with parameters are
/// <see cref="Module"/>s, so the pooling registers them as its child <c>score</c>.
/// </summary>
public interface IAttentionScore
{
    /// <summary>
    /// Scores <paramref name="queries"/> <c>(B, Tq, dq)</c> against <paramref name="keys"/>
    /// <c>(B, Tk, dk)</c>; returns <c>(B, Tq, Tk)</c>. Whether dq must equal dk depends on the score.
    /// </summary>
    Tensor Score(Tensor queries, Tensor keys);
}
