using Promptor.Nn.Attention;
using Promptor.Nn.Layers;
using Promptor.Tensors;

namespace Promptor.Nn.Transformer;

/// <summary>
/// A stack of <see cref="TransformerDecoderLayer"/>s (<c>layers.N.…</c>) with an optional final
/// layer norm (<c>norm.*</c>). Target <c>(B, T, d)</c>, memory <c>(B, S, d)</c> → <c>(B, T, d)</c>.
/// </summary>
public sealed class TransformerDecoder : Module, IContextModule
{
    /// <summary>Creates <paramref name="layerCount"/> independently initialised layers.</summary>
    public TransformerDecoder(TransformerLayerOptions options, int layerCount, Generator generator, bool finalNorm = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(layerCount);
        Layers = RegisterModule("layers", new ModuleList<TransformerDecoderLayer>(
            Enumerable.Range(0, layerCount).Select(_ => new TransformerDecoderLayer(options, generator)).ToList()));
        if (finalNorm)
        {
            Norm = RegisterModule("norm", new LayerNorm(options.ModelDim, options.LayerNormEps));
        }
    }

    /// <summary>The layers in order.</summary>
    public ModuleList<TransformerDecoderLayer> Layers { get; }

    /// <summary>The final norm, or null.</summary>
    public LayerNorm? Norm { get; }

    /// <inheritdoc/>
    public Tensor Forward(Tensor input, Tensor context) => Forward(input, context, null, null).Output;

    /// <summary>Runs every layer; optionally collects each layer's cross-attention weights <c>(B, H, T, S)</c>.</summary>
    public (Tensor Output, IReadOnlyList<Tensor> Weights) Forward(Tensor target, Tensor memory, AttentionMask? targetMask,
        AttentionMask? memoryMask, bool needWeights = false)
    {
        var weights = new List<Tensor>();
        var x = target;
        foreach (var layer in Layers.Items)
        {
            var r = layer.Forward(x, memory, targetMask, memoryMask, needWeights);
            x = r.Output;
            if (r.Weights is not null)
            {
                weights.Add(r.Weights);
            }
        }
        return (Norm is null ? x : Norm.Forward(x), weights);
    }
}
