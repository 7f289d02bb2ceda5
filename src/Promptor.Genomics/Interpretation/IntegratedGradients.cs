using Promptor.Genomics.Models;
using Promptor.Tensors;

namespace Promptor.Genomics.Interpretation;

/// <summary>The reference input of <see cref="IntegratedGradients"/>.</summary>
public enum AttributionBaseline
{
    /// <summary>0.25 for every base at every position (the expected one-hot of a uniform random base).</summary>
    Uniform,

    /// <summary>The sequence with its positions shuffled (same base composition), from a seeded generator.</summary>
    Shuffled,
}

/// <summary>Options of <see cref="IntegratedGradients"/>.</summary>
public sealed record IntegratedGradientsOptions
{
    /// <summary>Intervals m of the path integral (m + 1 gradient evaluations, trapezoidal rule). Default 50.</summary>
    public int Steps { get; init; } = 50;

    /// <summary>The baseline. Default <see cref="AttributionBaseline.Uniform"/>.</summary>
    public AttributionBaseline Baseline { get; init; } = AttributionBaseline.Uniform;

    /// <summary>Seed of the shuffled baseline. Default 1.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Inputs per forward/backward pass (memory only). Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Throws <see cref="ArgumentException"/> on a non-positive step count or batch size.</summary>
    public void Validate()
    {
        if (Steps < 1)
        {
            throw new ArgumentException($"Integrated gradients need at least 1 step, got {Steps}.");
        }
        if (BatchSize < 1)
        {
            throw new ArgumentException($"The batch size must be positive, got {BatchSize}.");
        }
    }
}

/// <summary>
/// Integrated gradients (Sundararajan, Taly and Yan 2017): for treatment t,
/// <c>IG_t(x) = (x − x') ⊙ ∫₀¹ ∂f_t(x' + α(x − x'))/∂x dα</c>, the integral taken with the
/// trapezoidal rule over <see cref="IntegratedGradientsOptions.Steps"/> intervals. Completeness: the
/// scores of a treatment sum to <c>f_t(x) − f_t(x')</c> up to the quadrature error (which shrinks
/// as the square of the step size). All (treatment, step) pairs are batched.
/// </summary>
public static class IntegratedGradients
{
    /// <summary>
    /// Integrated gradients through <paramref name="predict"/> <c>(B, L, 4) → (B, T)</c>, which must
    /// run in evaluation mode (see <see cref="AttributionModel.Frozen{T}"/>).
    /// </summary>
    /// <param name="predict">The model.</param>
    /// <param name="sequence">One-hot <c>(L, 4)</c> or <c>(1, L, 4)</c>.</param>
    /// <param name="treatments">Output indices to explain; default null: all.</param>
    /// <param name="options">Steps, baseline, batch size; default <see cref="IntegratedGradientsOptions"/> defaults.</param>
    public static AttributionResult Run(Func<Tensor, Tensor> predict, Tensor sequence, IReadOnlyList<int>? treatments = null, IntegratedGradientsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(predict);
        options ??= new IntegratedGradientsOptions();
        options.Validate();
        var x = InSilicoMutagenesis.SequenceData(sequence);
        int l = x.Length / 4, m = options.Steps;
        var baseline = Baseline(x, options);
        var path = new float[m + 1][];
        for (int k = 0; k <= m; k++)
        {
            float alpha = (float)k / m;
            var point = new float[x.Length];
            for (int i = 0; i < point.Length; i++)
            {
                point[i] = baseline[i] + alpha * (x[i] - baseline[i]);
            }
            path[k] = point;
        }
        var (rows, predictions, gradients) = AttributionGradients.Compute(predict, path, treatments, l, options.BatchSize,
            (_, k) => (k == 0 || k == m ? 0.5 : 1.0) / m);
        var scores = new float[rows.Length * l * 4];
        for (int r = 0; r < rows.Length; r++)
        {
            for (int i = 0; i < l * 4; i++)
            {
                scores[r * l * 4 + i] = (x[i] - baseline[i]) * gradients[r][i];
            }
        }
        return new AttributionResult("ig", rows, l, scores, predictions.Select(p => p[m]).ToArray(), predictions.Select(p => p[0]).ToArray());
    }

    /// <summary>Integrated gradients of a <see cref="CondPromoter"/>, in evaluation mode with frozen parameters.</summary>
    public static AttributionResult Run(CondPromoter model, Tensor sequence, IReadOnlyList<int>? treatments = null, IntegratedGradientsOptions? options = null)
    {
        var predict = AttributionModel.Regression(model);
        return AttributionModel.Frozen(model, () => Run(predict, sequence, treatments, options));
    }

    /// <summary>The baseline <c>(L·4)</c> for one-hot <paramref name="x"/>.</summary>
    public static float[] Baseline(ReadOnlySpan<float> x, IntegratedGradientsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int l = x.Length / 4;
        var baseline = new float[x.Length];
        if (options.Baseline == AttributionBaseline.Uniform)
        {
            Array.Fill(baseline, 0.25f);
            return baseline;
        }
        var order = Enumerable.Range(0, l).ToArray();
        new Generator(options.Seed).Shuffle<int>(order);
        for (int i = 0; i < l; i++)
        {
            x.Slice(order[i] * 4, 4).CopyTo(baseline.AsSpan(i * 4, 4));
        }
        return baseline;
    }
}
