using System.Globalization;
using Promptor.Tensors;

namespace Promptor.Nn.Layers;

/// <summary>
/// Feature-wise linear modulation (FiLM, Perez et al. 2018) as adaptive normalisation:
/// <c>y = γ ⊙ Norm(h) + β</c> with <c>[γ, β] = Linear(cond)</c> split in that order (γ the first C
/// outputs, β the last C). h is <c>(B, T, C)</c>, the condition <c>(B, condDim)</c>; γ and β
/// <c>(B, C)</c> broadcast over T. Norm is a layer norm over the last dimension without affine
/// parameters (biased variance, eps inside the square root: <c>(h − mean)/√(var + eps)</c>), built
/// from primitive ops; with <c>normalize: false</c> it is plain FiLM, <c>y = γ ⊙ h + β</c>.
/// Parameters: <c>film.weight</c> <c>(2C, condDim)</c>, <c>film.bias</c> <c>(2C)</c>, initialised like a
/// PyTorch Linear (so γ starts near 0, not 1).
/// </summary>
public sealed class Film : Module, IContextModule
{
    /// <summary>Creates the layer and initialises it from <paramref name="generator"/>.</summary>
    /// <param name="channels">Channels C of the modulated features (≥ 1).</param>
    /// <param name="conditionFeatures">Width condDim of the conditioning vector (≥ 1).</param>
    /// <param name="generator">Source of the initial values.</param>
    /// <param name="normalize">Whether to layer-normalise h first (default true).</param>
    /// <param name="eps">Added to the variance (&gt; 0; default 1e-5, PyTorch's).</param>
    public Film(int channels, int conditionFeatures, Generator generator, bool normalize = true, float eps = 1e-5f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(conditionFeatures, 1);
        ArgumentNullException.ThrowIfNull(generator);
        if (!(eps > 0) || !float.IsFinite(eps))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), "eps must be positive and finite.");
        }
        Channels = channels;
        Normalize = normalize;
        Eps = eps;
        Projection = RegisterModule("film", new Linear(conditionFeatures, 2 * channels, generator));
    }

    /// <summary>The <c>Linear(condDim → 2C)</c> producing [γ, β], registered as <c>film</c>.</summary>
    public Linear Projection { get; }

    /// <summary>Channels C.</summary>
    public int Channels { get; }

    /// <summary>Width condDim of the conditioning vector.</summary>
    public int ConditionFeatures => Projection.InFeatures;

    /// <summary>Whether h is layer-normalised before the modulation.</summary>
    public bool Normalize { get; }

    /// <summary>The layer norm's eps.</summary>
    public float Eps { get; }

    /// <summary>The scale γ and shift β, each <c>(B, C)</c>, for <paramref name="condition"/> <c>(B, condDim)</c>.</summary>
    public (Tensor Gamma, Tensor Beta) Modulation(Tensor condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (condition.Rank != 2 || condition.Shape[1] != ConditionFeatures)
        {
            throw new ArgumentException($"{nameof(Film)} expects the condition (B, {ConditionFeatures}), got {condition.Shape}.", nameof(condition));
        }
        var gammaBeta = Projection.Forward(condition); // (B, 2C)
        return (gammaBeta.Slice(1, 0, Channels), gammaBeta.Slice(1, Channels, Channels));
    }

    /// <summary>Modulates <paramref name="input"/> <c>(B, T, C)</c> by <paramref name="context"/> <c>(B, condDim)</c>; returns <c>(B, T, C)</c>.</summary>
    public Tensor Forward(Tensor input, Tensor context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        if (input.Rank != 3 || input.Shape[2] != Channels || context.Rank != 2 || context.Shape[0] != input.Shape[0])
        {
            throw new ArgumentException(
                $"{nameof(Film)} expects h (B, T, {Channels}) and a condition (B, {ConditionFeatures}); got {input.Shape} and {context.Shape}.");
        }
        var (gamma, beta) = Modulation(context);
        int batch = input.Shape[0];
        var h = Normalize ? LayerNormalize(input, Eps) : input;
        return gamma.Reshape(batch, 1, Channels) * h + beta.Reshape(batch, 1, Channels); // (B, T, C)
    }

    /// <summary>Layer norm over the last dim without affine parameters, from primitive ops.</summary>
    private static Tensor LayerNormalize(Tensor h, float eps)
    {
        var centered = h - h.Mean(-1, keepDim: true); // (B, T, C)
        var variance = centered.Square().Mean(-1, keepDim: true); // (B, T, 1), biased
        return centered / (variance + eps).Sqrt();
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture,
        $"channels={Channels}, cond={ConditionFeatures}, normalize={Normalize}, eps={Eps:G3}");
}
