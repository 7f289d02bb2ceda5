using Promptor.Genomics.Models;
using Promptor.Nn;
using Promptor.Tensors;

namespace Promptor.Genomics.Interpretation;

/// <summary>
/// Runs a promoter model for attribution: in evaluation mode and with its parameters excluded from
/// autograd, so that back-propagation computes gradients for the inputs only and leaves the
/// parameters' gradients untouched. Mode and flags are restored afterwards.
/// </summary>
public static class AttributionModel
{
    /// <summary>Runs <paramref name="body"/> with <paramref name="model"/> in evaluation mode and its parameters frozen.</summary>
    public static T Frozen<T>(Module model, Func<T> body)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(body);
        bool training = model.IsTraining;
        var parameters = model.Parameters().ToArray();
        var flags = parameters.Select(p => p.RequiresGrad).ToArray();
        model.Eval();
        foreach (var p in parameters)
        {
            p.RequiresGrad = false;
        }
        try
        {
            return body();
        }
        finally
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i].RequiresGrad = flags[i];
            }
            model.Train(training);
        }
    }

    /// <summary>Checks that <paramref name="model"/> predicts one value per treatment and returns its forward function <c>(B, L, 4) → (B, T)</c>.</summary>
    public static Func<Tensor, Tensor> Regression(CondPromoter model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.OutputsPerTreatment != 1)
        {
            throw new ArgumentException("Attributions need a regression model (one output per treatment).", nameof(model));
        }
        return model.Forward;
    }
}
