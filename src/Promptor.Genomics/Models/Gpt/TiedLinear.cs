using Promptor.Nn;
using Promptor.Tensors;

namespace Promptor.Genomics.Models.Gpt;

/// <summary>
/// A bias-free linear map <c>(…, in) → (…, out)</c> whose weight <c>(out, in)</c> is another
/// module's parameter (weight tying: GPT-2's output head reuses the token embedding). The shared
/// tensor is registered as <c>weight</c>, so the state dict lists it under both names, as PyTorch
/// does, while <see cref="Module.Parameters"/> lists it once.
/// </summary>
public sealed class TiedLinear : Module, IModule
{
    /// <summary>Wraps <paramref name="weight"/> <c>(out, in)</c> (not copied).</summary>
    public TiedLinear(Parameter weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 2)
        {
            throw new ArgumentException($"A tied weight must be (out, in), got {weight.Shape}.", nameof(weight));
        }
        Weight = RegisterParameter("weight", weight);
    }

    /// <summary>The shared weight <c>(out, in)</c>.</summary>
    public Parameter Weight { get; }

    /// <summary><c>input · Wᵀ</c>: <c>(…, in)</c> → <c>(…, out)</c>.</summary>
    public Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2 || input.Shape[-1] != Weight.Shape[1])
        {
            throw new ArgumentException($"TiedLinear needs input (…, {Weight.Shape[1]}), got {input.Shape}.", nameof(input));
        }
        return input.MatMul(Weight, transposeB: true);
    }
}
