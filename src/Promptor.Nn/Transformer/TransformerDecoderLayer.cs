using Promptor.Nn.Attention;
using Promptor.Nn.Layers;
using Promptor.Tensors;

namespace Promptor.Nn.Transformer;

/// <summary>
/// Decoder layer: (masked) self-attention, cross-attention to a memory, and a feed-forward
/// sublayer, each with residual and layer norm (post-LN or pre-LN; the memory is never
/// normalised here). Target <c>(B, T, d)</c>, memory <c>(B, S, d)</c>. Parameter names follow
/// <c>nn.TransformerDecoderLayer</c>: <c>self_attn.*</c>, <c>multihead_attn.*</c>,
/// <c>linear1.*</c>, <c>linear2.*</c>, <c>norm1.*</c>…<c>norm3.*</c>.
/// </summary>
public sealed class TransformerDecoderLayer : Module, IContextModule
{
    private readonly FeedForward feedForward;

    /// <summary>Creates the layer, initialised from <paramref name="generator"/>.</summary>
    public TransformerDecoderLayer(TransformerLayerOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        options.Validate();
        Options = options;
        int d = options.ModelDim;
        var attentionOptions = new MultiHeadAttentionOptions { EmbedDim = d, Heads = options.Heads, Dropout = options.AttentionDropoutRate };
        SelfAttention = RegisterModule("self_attn", new MultiHeadAttention(attentionOptions, generator));
        CrossAttention = RegisterModule("multihead_attn", new MultiHeadAttention(attentionOptions, generator));
        var linear1 = RegisterModule("linear1", new Linear(d, options.FeedForwardWidth, generator));
        var dropout = RegisterModule("dropout", new Dropout(options.Dropout, generator));
        var linear2 = RegisterModule("linear2", new Linear(options.FeedForwardWidth, d, generator));
        Norm1 = RegisterModule("norm1", new LayerNorm(d, options.LayerNormEps));
        Norm2 = RegisterModule("norm2", new LayerNorm(d, options.LayerNormEps));
        Norm3 = RegisterModule("norm3", new LayerNorm(d, options.LayerNormEps));
        Dropout1 = RegisterModule("dropout1", new Dropout(options.Dropout, generator));
        Dropout2 = RegisterModule("dropout2", new Dropout(options.Dropout, generator));
        Dropout3 = RegisterModule("dropout3", new Dropout(options.Dropout, generator));
        feedForward = new FeedForward(linear1, dropout, linear2, options.Activation);
    }

    /// <summary>The options this layer was built with.</summary>
    public TransformerLayerOptions Options { get; }

    /// <summary>The self-attention sublayer.</summary>
    public MultiHeadAttention SelfAttention { get; }

    /// <summary>The cross-attention sublayer (queries from the target, keys/values from the memory).</summary>
    public MultiHeadAttention CrossAttention { get; }

    private LayerNorm Norm1 { get; }

    private LayerNorm Norm2 { get; }

    private LayerNorm Norm3 { get; }

    private Dropout Dropout1 { get; }

    private Dropout Dropout2 { get; }

    private Dropout Dropout3 { get; }

    /// <inheritdoc/>
    public Tensor Forward(Tensor input, Tensor context) => Forward(input, context, null, null).Output;

    /// <summary>
    /// Runs the layer on <paramref name="target"/> <c>(B, T, d)</c> attending to
    /// <paramref name="memory"/> <c>(B, S, d)</c>. <paramref name="targetMask"/> masks self-attention
    /// (e.g. <see cref="AttentionMask.CausalMask"/>), <paramref name="memoryMask"/> cross-attention.
    /// With <paramref name="needWeights"/> returns the cross-attention weights per head <c>(B, H, T, S)</c>.
    /// </summary>
    public AttentionResult Forward(Tensor target, Tensor memory, AttentionMask? targetMask, AttentionMask? memoryMask, bool needWeights = false)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(memory);
        var x = target;
        AttentionResult cross;
        if (Options.NormFirst)
        {
            var h = Norm1.Forward(x);
            x = x + Dropout1.Forward(SelfAttention.Forward(h, h, h, targetMask).Output);
            cross = CrossAttention.Forward(Norm2.Forward(x), memory, memory, memoryMask, needWeights, averageWeights: false);
            x = x + Dropout2.Forward(cross.Output);
            x = x + Dropout3.Forward(feedForward.Forward(Norm3.Forward(x)));
            return new AttentionResult(x, cross.Weights);
        }
        x = Norm1.Forward(x + Dropout1.Forward(SelfAttention.Forward(x, x, x, targetMask).Output));
        cross = CrossAttention.Forward(x, memory, memory, memoryMask, needWeights, averageWeights: false);
        x = Norm2.Forward(x + Dropout2.Forward(cross.Output));
        x = Norm3.Forward(x + Dropout3.Forward(feedForward.Forward(x)));
        return new AttentionResult(x, cross.Weights);
    }
}
