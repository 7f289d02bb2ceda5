using System.Globalization;
using Promptor.Nn.Init;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Nn.Layers;

/// <summary>
/// Affine map <c>y = x·Wᵀ + b</c> on the last dimension: <c>(…, in) → (…, out)</c>.
/// The weight is <c>(out, in)</c> as in PyTorch, so checkpoints interchange without transposes.
/// Initialised like PyTorch: weight and bias from <c>U(−1/√in, 1/√in)</c> (Kaiming uniform with
/// <c>a = √5</c>). Parameters: <c>weight</c>, <c>bias</c>.
/// </summary>
public sealed class Linear : Module, IModule
{
    /// <summary>Creates the layer and initialises it from <paramref name="generator"/>.</summary>
    /// <param name="inFeatures">Size of the last input dimension (≥ 0).</param>
    /// <param name="outFeatures">Size of the last output dimension (≥ 0).</param>
    /// <param name="generator">Source of the initial values.</param>
    /// <param name="bias">Whether to add a learned bias (default true).</param>
    public Linear(int inFeatures, int outFeatures, Generator generator, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegative(outFeatures);
        ArgumentNullException.ThrowIfNull(generator);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", new Parameter(new Shape(outFeatures, inFeatures)));
        Initializers.KaimingUniform(Weight, generator, a: Math.Sqrt(5));
        if (bias)
        {
            Bias = RegisterParameter("bias", new Parameter(new Shape(outFeatures)));
            double bound = inFeatures > 0 ? 1 / Math.Sqrt(inFeatures) : 0;
            Initializers.Uniform(Bias, generator, -bound, bound);
        }
    }

    /// <summary>Input features.</summary>
    public int InFeatures { get; }

    /// <summary>Output features.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight, <c>(out, in)</c>.</summary>
    public Parameter Weight { get; }

    /// <summary>The bias, <c>(out)</c>, or null when created without one.</summary>
    public Parameter? Bias { get; }

    /// <summary>Applies the layer: <paramref name="input"/> <c>(…, in)</c> → <c>(…, out)</c>; a 1-D input gives a 1-D output.</summary>
    public Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0 || input.Shape[-1] != InFeatures)
        {
            throw new ArgumentException($"Linear({InFeatures} → {OutFeatures}) needs input (…, {InFeatures}), got {input.Shape}.", nameof(input));
        }
        if (input.Rank == 1)
        {
            return Forward(input.Reshape(1, InFeatures)).Reshape(OutFeatures);
        }
        if (!Tape.NeedsGrad(input, Weight, Bias))
        {
            return Ops.LinearInference(input, Weight, Bias);   // bias folded into the product
        }
        return input.Linear(Weight, Bias);              // (…, out): one op, bias added in place
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"in={InFeatures}, out={OutFeatures}, bias={Bias is not null}");
}
