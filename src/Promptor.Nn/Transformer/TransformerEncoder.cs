using Promptor.Nn.Attention;
using Promptor.Nn.Layers;
using Promptor.Tensors;

namespace Promptor.Nn.Transformer;

/// <summary>
/// A stack of <see cref="TransformerEncoderLayer"/>s (<c>layers.0.…</c>, <c>layers.1.…</c>) with an
/// optional final layer norm (<c>norm.*</c>; usual for pre-LN stacks). <c>(B, T, d) → (B, T, d)</c>.
/// </summary>
public sealed class TransformerEncoder : Module, IModule
{
    /// <summary>Creates <paramref name="layerCount"/> independently initialised layers.</summary>
    public TransformerEncoder(TransformerLayerOptions options, int layerCount, Generator generator, bool finalNorm = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(layerCount);
        Layers = RegisterModule("layers", new ModuleList<TransformerEncoderLayer>(
            Enumerable.Range(0, layerCount).Select(_ => new TransformerEncoderLayer(options, generator)).ToList()));
        if (finalNorm)
        {
            Norm = RegisterModule("norm", new LayerNorm(options.ModelDim, options.LayerNormEps));
        }
    }

    /// <summary>The layers in order.</summary>
    public ModuleList<TransformerEncoderLayer> Layers { get; }

    /// <summary>The final norm, or null.</summary>
    public LayerNorm? Norm { get; }

    /// <inheritdoc/>
    public Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>Runs every layer with the same mask; optionally collects each layer's weights <c>(B, H, T, T)</c>.</summary>
    public (Tensor Output, IReadOnlyList<Tensor> Weights) Forward(Tensor input, AttentionMask? mask, bool needWeights = false)
    {
        var weights = new List<Tensor>();
        var x = input;
        foreach (var layer in Layers.Items)
        {
            var r = layer.Forward(x, mask, needWeights);
            if (!ReferenceEquals(x, input) && !ReferenceEquals(x, r.Output))
            {
                Ops.Recycle(x);           // a previous layer's output, spent (a no-op for tensors on a tape)
            }
            x = r.Output;
            if (r.Weights is not null)
            {
                weights.Add(r.Weights);
            }
        }
        return (Norm is null ? x : Norm.Forward(x), weights);
    }
}
