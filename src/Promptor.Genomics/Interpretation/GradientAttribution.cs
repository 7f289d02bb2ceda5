using Promptor.Genomics.Models;
using Promptor.Tensors;

namespace Promptor.Genomics.Interpretation;

/// <summary>
/// Gradient × input: for treatment t, <c>x ⊙ ∂f_t/∂x</c> at the one-hot sequence x (for one-hot
/// input only the present base of each position is non-zero). All requested treatments are
/// differentiated in one backward pass: the sequence is repeated once per treatment and row r's
/// output t_r is summed, since rows do not interact in evaluation mode.
/// </summary>
public static class GradientAttribution
{
    /// <summary>
    /// Gradient × input through <paramref name="predict"/> <c>(B, L, 4) → (B, T)</c>, which must run
    /// in evaluation mode (see <see cref="AttributionModel.Frozen{T}"/> to keep parameter gradients untouched).
    /// </summary>
    /// <param name="predict">The model.</param>
    /// <param name="sequence">One-hot <c>(L, 4)</c> or <c>(1, L, 4)</c>.</param>
    /// <param name="treatments">Output indices to explain; default null: all.</param>
    public static AttributionResult Run(Func<Tensor, Tensor> predict, Tensor sequence, IReadOnlyList<int>? treatments = null)
    {
        ArgumentNullException.ThrowIfNull(predict);
        var x = InSilicoMutagenesis.SequenceData(sequence);
        int l = x.Length / 4;
        var (rows, predictions, gradients) = AttributionGradients.Compute(predict, [x], treatments, l, batchSize: int.MaxValue, (_, _) => 1);
        var scores = new float[rows.Length * l * 4];
        for (int r = 0; r < rows.Length; r++)
        {
            var g = gradients[r];
            for (int i = 0; i < l * 4; i++)
            {
                scores[r * l * 4 + i] = g[i] * x[i];
            }
        }
        return new AttributionResult("grad", rows, l, scores, predictions.Select(p => p[0]).ToArray(), null);
    }

    /// <summary>Gradient × input of a <see cref="CondPromoter"/>, in evaluation mode with frozen parameters.</summary>
    public static AttributionResult Run(CondPromoter model, Tensor sequence, IReadOnlyList<int>? treatments = null)
    {
        var predict = AttributionModel.Regression(model);
        return AttributionModel.Frozen(model, () => Run(predict, sequence, treatments));
    }
}
