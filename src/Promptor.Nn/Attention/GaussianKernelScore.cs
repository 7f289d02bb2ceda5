using System.Globalization;
using Promptor.Tensors;

namespace Promptor.Nn.Attention;

/// <summary>
/// The Gaussian kernel of Nadaraya–Watson regression as an attention score,
/// <c>−½ ‖(q − k)·w‖²</c>: queries <c>(B, Tq, d)</c>, keys <c>(B, Tk, d)</c> → <c>(B, Tq, Tk)</c>.
/// After the softmax the weights are <c>exp(−½ w²‖q − k‖²)</c>, normalised over the keys, so w is an
/// inverse bandwidth: a larger w attends more sharply to nearby keys. Non-parametric by default
/// (w fixed at 1); with <c>learnable</c> the scalar w is the parameter <c>w</c> <c>(1)</c>, as in d2l's
/// <c>NWKernelRegression</c>. The sign of w does not matter. Memory is <c>B·Tq·Tk·d</c> floats.
/// </summary>
public sealed class GaussianKernelScore : Module, IAttentionScore
{
    private readonly float fixedW;

    /// <summary>Creates the kernel.</summary>
    /// <param name="w">The (initial) inverse bandwidth (finite; default 1).</param>
    /// <param name="learnable">Whether w is a trainable parameter <c>w</c> (default false: fixed).</param>
    public GaussianKernelScore(float w = 1f, bool learnable = false)
    {
        if (!float.IsFinite(w))
        {
            throw new ArgumentOutOfRangeException(nameof(w), "The kernel's w must be finite.");
        }
        fixedW = w;
        if (learnable)
        {
            WParameter = RegisterParameter("w", new Parameter(new Shape(1), [w]));
        }
    }

    /// <summary>The trainable w <c>(1)</c>, or null when w is fixed.</summary>
    public Parameter? WParameter { get; }

    /// <summary>The current value of w.</summary>
    public float W => WParameter?.Data[0] ?? fixedW;

    /// <summary>Whether w is trainable.</summary>
    public bool IsLearnable => WParameter is not null;

    /// <inheritdoc/>
    public Tensor Score(Tensor queries, Tensor keys)
    {
        ScoreShapes.Check(nameof(GaussianKernelScore), queries, keys, sameWidth: true);
        var difference = queries.Unsqueeze(2) - keys.Unsqueeze(1); // (B, Tq, Tk, d)
        var scaled = WParameter is { } w ? difference * w : difference.MulScalar(fixedW);
        return scaled.Square().Sum(-1).MulScalar(-0.5f); // (B, Tq, Tk)
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"w={W:G4}, learnable={IsLearnable}");
}
