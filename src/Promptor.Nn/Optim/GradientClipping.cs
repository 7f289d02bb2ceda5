using System.Numerics.Tensors;
using Tensor = Promptor.Tensors.Tensor;

namespace Promptor.Nn.Optim;

/// <summary>Gradient clipping (PyTorch's <c>torch.nn.utils.clip_grad_norm_</c>).</summary>
public static class GradientClipping
{
    /// <summary>
    /// Computes the L2 norm of all gradients of <paramref name="parameters"/> taken together (as one
    /// concatenated vector; tensors without a gradient are skipped, a tensor listed twice counts
    /// once) and, when it exceeds
    /// <paramref name="maxNorm"/>, scales every gradient in place by
    /// <c>maxNorm / (total + 1e-6)</c> — only applied when that factor is below 1.
    /// When the total norm is NaN or infinite, the gradients are left untouched and the non-finite
    /// norm is returned, so the caller can detect and skip the step (PyTorch would instead scale
    /// every gradient to NaN).
    /// </summary>
    /// <param name="parameters">The tensors whose gradients to clip.</param>
    /// <param name="maxNorm">Largest allowed total norm (finite, &gt; 0).</param>
    /// <returns>The total norm before clipping.</returns>
    public static float ClipGradNorm(IEnumerable<Tensor> parameters, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0 && float.IsFinite(maxNorm)))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The maximum gradient norm must be finite and > 0.");
        }
        var withGrad = parameters.Where(p => p is not null && p.HasGrad).Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>().ToList();
        double sumOfSquares = 0;
        foreach (var p in withGrad)
        {
            // Per-tensor norms (float, as PyTorch), combined in double.
            double norm = TensorPrimitives.Norm(p.GradSpan);
            sumOfSquares += norm * norm;
        }
        float total = (float)Math.Sqrt(sumOfSquares);
        if (!float.IsFinite(total))
        {
            return total;
        }
        double scale = maxNorm / (total + 1e-6);
        if (scale < 1)
        {
            foreach (var p in withGrad)
            {
                TensorPrimitives.Multiply(p.GradSpan, (float)scale, p.GradSpan);
            }
        }
        return total;
    }
}
