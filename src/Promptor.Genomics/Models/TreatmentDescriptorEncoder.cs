using Promptor.Nn;
using Promptor.Nn.Layers;
using Promptor.Tensors;

namespace Promptor.Genomics.Models;

/// <summary>
/// Maps a numeric descriptor per treatment (e.g. stress type, minutes, mutant flag) to the treatment's
/// query tokens through a small MLP: <c>(n_treat, k) → Linear(k, d) → ReLU → Linear(d, q·d) → (n_treat·q, d)</c>.
/// Because the tokens are a function of the descriptors rather than a lookup table, a treatment whose
/// targets were never seen in training still gets a meaningful query. The descriptor columns are
/// standardised over the treatments (mean 0, standard deviation 1; constant columns are only centred)
/// when the encoder is built, so minutes and one-hot flags enter on the same scale.
/// </summary>
public sealed class TreatmentDescriptorEncoder : Module
{
    private readonly Tensor features;   // (n_treat, k), standardised
    private readonly int tokensPerTreatment;
    private readonly int modelDim;

    /// <summary>Builds the encoder for <paramref name="descriptors"/> (one row of k values per treatment).</summary>
    /// <param name="descriptors">n_treat rows of k finite values each (k ≥ 1).</param>
    /// <param name="modelDim">Width d of the tokens.</param>
    /// <param name="tokensPerTreatment">Query tokens q per treatment. Default 1.</param>
    /// <param name="generator">Initialises the two linear layers.</param>
    /// <exception cref="ArgumentException">Ragged or empty rows, or a non-finite value.</exception>
    public TreatmentDescriptorEncoder(IReadOnlyList<IReadOnlyList<float>> descriptors, int modelDim, int tokensPerTreatment, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(descriptors);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(modelDim);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokensPerTreatment);
        features = Standardise(descriptors);
        int k = features.Shape[1];
        this.tokensPerTreatment = tokensPerTreatment;
        this.modelDim = modelDim;
        Mlp = RegisterModule("mlp", new Sequential(
            new Linear(k, modelDim, generator),
            new Relu(),
            new Linear(modelDim, tokensPerTreatment * modelDim, generator)));
    }

    /// <summary>The MLP: <c>Linear(k, d)</c>, ReLU, <c>Linear(d, q·d)</c>.</summary>
    public Sequential Mlp { get; }

    /// <summary>The standardised descriptors the encoder reads, <c>(n_treat, k)</c>.</summary>
    public Tensor Features => features;

    /// <summary>The query tokens of every treatment: <c>(n_treat·q, d)</c>, treatment-major.</summary>
    public Tensor Forward()
    {
        var tokens = Mlp.Forward(features);                                 // (n_treat, q·d)
        return tokens.Reshape(features.Shape[0] * tokensPerTreatment, modelDim);
    }

    /// <summary>Column-wise standardisation over the treatments (population standard deviation).</summary>
    internal static Tensor Standardise(IReadOnlyList<IReadOnlyList<float>> descriptors)
    {
        int n = descriptors.Count;
        if (n == 0)
        {
            throw new ArgumentException("At least one treatment descriptor is needed.", nameof(descriptors));
        }
        int k = descriptors[0]?.Count ?? 0;
        if (k == 0)
        {
            throw new ArgumentException("Treatment descriptors need at least one value.", nameof(descriptors));
        }
        var values = new float[n * k];
        for (int i = 0; i < n; i++)
        {
            var row = descriptors[i];
            if (row is null || row.Count != k)
            {
                throw new ArgumentException($"Treatment descriptor {i} has {row?.Count ?? 0} values; the first has {k}.", nameof(descriptors));
            }
            for (int j = 0; j < k; j++)
            {
                if (!float.IsFinite(row[j]))
                {
                    throw new ArgumentException($"Treatment descriptor {i} holds a non-finite value {row[j]} at position {j}.", nameof(descriptors));
                }
                values[i * k + j] = row[j];
            }
        }
        for (int j = 0; j < k; j++)
        {
            double mean = 0, squares = 0;
            for (int i = 0; i < n; i++)
            {
                mean += values[i * k + j];
            }
            mean /= n;
            for (int i = 0; i < n; i++)
            {
                double d = values[i * k + j] - mean;
                squares += d * d;
            }
            double std = Math.Sqrt(squares / n);
            double scale = std > 1e-12 ? 1 / std : 1;
            for (int i = 0; i < n; i++)
            {
                values[i * k + j] = (float)((values[i * k + j] - mean) * scale);
            }
        }
        return new Tensor(new Shape(n, k), values);
    }
}
