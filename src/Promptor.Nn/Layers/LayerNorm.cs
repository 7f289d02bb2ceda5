using System.Globalization;
using Promptor.Tensors;

namespace Promptor.Nn.Layers;

/// <summary>
/// Layer normalisation over the last dimension: <c>(…, C) → (…, C)</c>. Parameters <c>weight</c>
/// (ones) and <c>bias</c> (zeros) of shape <c>(C)</c> unless <c>elementwiseAffine</c> is false.
/// </summary>
public sealed class LayerNorm : Module, IModule
{
    /// <summary>Creates the layer; <paramref name="eps"/> defaults to 1e-5 as in PyTorch.</summary>
    public LayerNorm(int features, float eps = 1e-5f, bool elementwiseAffine = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        Features = features;
        Eps = eps;
        if (elementwiseAffine)
        {
            Weight = RegisterParameter("weight", new Parameter(Tensor.Ones(features)));
            Bias = RegisterParameter("bias", new Parameter(new Shape(features)));
        }
    }

    /// <summary>Size C of the normalised dimension.</summary>
    public int Features { get; }

    /// <summary>Added to the variance.</summary>
    public float Eps { get; }

    /// <summary>Scale <c>(C)</c>, or null without affine parameters.</summary>
    public Parameter? Weight { get; }

    /// <summary>Shift <c>(C)</c>, or null without affine parameters.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc/>
    public Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0 || input.Shape[-1] != Features)
        {
            throw new ArgumentException($"LayerNorm({Features}) needs input (…, {Features}), got {input.Shape}.", nameof(input));
        }
        return input.LayerNorm(Weight, Bias, Eps);
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture, $"{Features}, eps={Eps}, affine={Weight is not null}");
}
