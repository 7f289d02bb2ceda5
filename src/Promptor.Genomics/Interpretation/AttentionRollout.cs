using Promptor.Genomics.Models;
using Promptor.Nn.Layers;
using Promptor.Tensors;

namespace Promptor.Genomics.Interpretation;

/// <summary>
/// Attention rollout (Abnar and Zuidema 2020, "Quantifying attention flow in transformers"): the
/// residual connection around each self-attention layer is modelled by adding the identity to its
/// head-averaged weights and renormalising the rows, <c>Â = (A + I) / 2</c>; the layers are chained
/// by matrix products from the input up, <c>R = Â_N ⋯ Â_1</c>, so <c>R[i, j]</c> is how much position i
/// after the last block draws from input position j. The treatment cross-attention, which reads the
/// last block's positions, is then carried back to the encoder's input positions as <c>c · R</c>.
/// Rows of R, and of <c>c · R</c>, still sum to 1.
/// </summary>
public static class AttentionRollout
{
    /// <summary>
    /// The rollout matrix <c>(T, T)</c> (row-major) of self-attention layers given input first, each
    /// <c>(T, T)</c> row-major and already averaged over heads. No layers gives the identity.
    /// </summary>
    public static float[] Rollout(IReadOnlyList<float[]> layers, int positions)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(positions);
        int n = positions;
        var rollout = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            rollout[i * n + i] = 1;
        }
        var next = new double[n * n];
        var residual = new double[n * n];
        foreach (var layer in layers)
        {
            ArgumentNullException.ThrowIfNull(layer, nameof(layers));
            if (layer.Length != n * n)
            {
                throw new ArgumentException($"Each layer must hold {n}×{n} weights, got {layer.Length}.", nameof(layers));
            }
            for (int i = 0; i < n; i++)
            {
                double rowSum = 0;
                for (int j = 0; j < n; j++)
                {
                    double v = layer[i * n + j] + (i == j ? 1.0 : 0.0);
                    residual[i * n + j] = v;
                    rowSum += v;
                }
                for (int j = 0; j < n; j++)
                {
                    residual[i * n + j] /= rowSum;
                }
            }
            // R ← Â · R: the new layer sits above the ones already rolled out.
            Array.Clear(next);
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < n; k++)
                {
                    double a = residual[i * n + k];
                    if (a == 0)
                    {
                        continue;
                    }
                    for (int j = 0; j < n; j++)
                    {
                        next[i * n + j] += a * rollout[k * n + j];
                    }
                }
            }
            (rollout, next) = (next, rollout);
        }
        return rollout.Select(v => (float)v).ToArray();
    }

    /// <summary>Carries one attention row <paramref name="row"/> <c>(T)</c> back through <paramref name="rollout"/> <c>(T, T)</c>: <c>row · R</c>.</summary>
    public static float[] Apply(ReadOnlySpan<float> row, ReadOnlySpan<float> rollout)
    {
        int n = row.Length;
        if (rollout.Length != n * n)
        {
            throw new ArgumentException($"A {n}-position row needs a {n}×{n} rollout, got {rollout.Length} values.");
        }
        var result = new double[n];
        for (int k = 0; k < n; k++)
        {
            double a = row[k];
            if (a == 0)
            {
                continue;
            }
            for (int j = 0; j < n; j++)
            {
                result[j] += a * rollout[k * n + j];
            }
        }
        return result.Select(v => (float)v).ToArray();
    }

    /// <summary>
    /// The self-attention weights of every block of <paramref name="model"/> for <paramref name="sequences"/>
    /// <c>(B, L, 4)</c>, averaged over heads: one <c>(B, T', T')</c> tensor per block, input first. Empty
    /// when the model has no self-attention blocks. Runs in the model's current mode (call Eval first).
    /// </summary>
    public static IReadOnlyList<Tensor> SelfAttentionWeights(CondPromoter model, Tensor sequences)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Encoder is null)
        {
            return [];
        }
        var x = EncoderInput(model, sequences);
        var (_, weights) = model.Encoder.Forward(x, null, needWeights: true);
        return weights.Select(w => w.Mean(1)).ToList();                  // (B, H, T', T') → (B, T', T')
    }

    /// <summary>
    /// What <see cref="CondPromoter.Encode"/> feeds its self-attention blocks: the convolution stack
    /// (convolution, batch norm, max-pool, ReLU), the projection to d, dropout and positions —
    /// <c>(B, L, 4) → (B, T', d)</c>. Rebuilt from the model's registered modules
    /// (<c>conv1</c>, <c>bn1</c>, …) and options.
    /// </summary>
    public static Tensor EncoderInput(CondPromoter model, Tensor sequences)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sequences);
        var o = model.Options;
        if (sequences.Rank != 3 || sequences.Shape[1] != o.SequenceLength || sequences.Shape[2] != 4)
        {
            throw new ArgumentException($"Expected one-hot sequences (B, {o.SequenceLength}, 4), got {sequences.Shape}.", nameof(sequences));
        }
        var children = model.NamedChildren().ToDictionary(c => c.Name, c => c.Module, StringComparer.Ordinal);
        var x = sequences.Permute(0, 2, 1);                                 // (B, 4, L)
        for (int i = 0; i < o.Convolutions.Count; i++)
        {
            x = ((Conv1d)children[$"conv{i + 1}"]).Forward(x);
            if (children.TryGetValue($"bn{i + 1}", out var norm))
            {
                x = ((BatchNorm1d)norm).Forward(x);
            }
            if (o.Convolutions[i].Pool > 1)
            {
                x = x.MaxPool1d(o.Convolutions[i].Pool);
            }
            x = x.Relu();
        }
        x = x.Permute(0, 2, 1);                                             // (B, T', C)
        if (model.Projection is not null)
        {
            x = model.Projection.Forward(x);
        }
        return model.Positions.Forward(model.FeatureDropout.Forward(x));    // (B, T', d)
    }
}
