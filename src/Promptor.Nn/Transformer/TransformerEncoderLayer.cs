using Promptor.Nn.Attention;
using Promptor.Nn.Layers;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Nn.Transformer;

/// <summary>
/// Encoder layer: self-attention and a feed-forward sublayer, each with a residual connection and
/// layer norm (post-LN or pre-LN). Input and output <c>(B, T, d)</c>. Parameter names follow
/// <c>nn.TransformerEncoderLayer</c>: <c>self_attn.*</c>, <c>linear1.*</c>, <c>linear2.*</c>,
/// <c>norm1.*</c>, <c>norm2.*</c>.
/// </summary>
public sealed class TransformerEncoderLayer : Module, IModule
{
    private readonly FeedForward feedForward;

    /// <summary>Creates the layer, initialised from <paramref name="generator"/>.</summary>
    public TransformerEncoderLayer(TransformerLayerOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        options.Validate();
        Options = options;
        int d = options.ModelDim;
        SelfAttention = RegisterModule("self_attn", new MultiHeadAttention(
            new MultiHeadAttentionOptions { EmbedDim = d, Heads = options.Heads, Dropout = options.AttentionDropoutRate }, generator));
        var linear1 = RegisterModule("linear1", new Linear(d, options.FeedForwardWidth, generator));
        var dropout = RegisterModule("dropout", new Dropout(options.Dropout, generator));
        var linear2 = RegisterModule("linear2", new Linear(options.FeedForwardWidth, d, generator));
        Norm1 = RegisterModule("norm1", new LayerNorm(d, options.LayerNormEps));
        Norm2 = RegisterModule("norm2", new LayerNorm(d, options.LayerNormEps));
        Dropout1 = RegisterModule("dropout1", new Dropout(options.Dropout, generator));
        Dropout2 = RegisterModule("dropout2", new Dropout(options.Dropout, generator));
        feedForward = new FeedForward(linear1, dropout, linear2, options.Activation);
    }

    /// <summary>The options this layer was built with.</summary>
    public TransformerLayerOptions Options { get; }

    /// <summary>The self-attention sublayer.</summary>
    public MultiHeadAttention SelfAttention { get; }

    private LayerNorm Norm1 { get; }

    private LayerNorm Norm2 { get; }

    private Dropout Dropout1 { get; }

    private Dropout Dropout2 { get; }

    /// <inheritdoc/>
    public Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>
    /// Runs the layer on <paramref name="input"/> <c>(B, T, d)</c> with an optional mask; with
    /// <paramref name="needWeights"/> also returns the self-attention weights per head <c>(B, H, T, T)</c>.
    /// </summary>
    public AttentionResult Forward(Tensor input, AttentionMask? mask, bool needWeights = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (mask is null && !needWeights && CanRunInference(input))
        {
            return new AttentionResult(ForwardInference(input), null);
        }
        var x = input;
        if (Options.NormFirst)
        {
            var h = Norm1.Forward(x);
            var attention = SelfAttention.Forward(h, h, h, mask, needWeights, averageWeights: false);
            x = x + Dropout1.Forward(attention.Output);
            x = x + Dropout2.Forward(feedForward.Forward(Norm2.Forward(x)));
            return new AttentionResult(x, attention.Weights);
        }
        var sa = SelfAttention.Forward(x, x, x, mask, needWeights, averageWeights: false);
        x = Norm1.Forward(x + Dropout1.Forward(sa.Output));
        x = Norm2.Forward(x + Dropout2.Forward(feedForward.Forward(x)));
        return new AttentionResult(x, sa.Weights);
    }

    /// <summary>
    /// True when nothing needs a gradient or dropout and the attention uses PyTorch's packed
    /// projections: then <see cref="ForwardInference"/> computes the same layer with fused kernels.
    /// </summary>
    private bool CanRunInference(Tensor input)
    {
        if (IsTraining || SelfAttention.InProjWeight is null || input.Rank != 3)
        {
            return false;
        }
        return !Tape.NeedsGrad(input, SelfAttention.HeadGates) && !(Tape.IsGradEnabled && Parameters().Any(p => p.RequiresGrad));
    }

    /// <summary>
    /// The layer for inference <c>(B, T, d) → (B, T, d)</c>: one packed Q/K/V product, attention
    /// read in place from it (<see cref="Ops.SelfAttentionInference"/>), and the output projection and
    /// feed-forward products with bias, ReLU and residual folded in (<see cref="Ops.LinearInference"/>);
    /// no head split or merge copies, no separate bias or residual passes.
    /// </summary>
    private Tensor ForwardInference(Tensor x)
    {
        var attention = SelfAttention;
        var outProj = attention.OutProj;
        // Each temporary goes back to the tensor pool once spent (the layer's input stays the caller's).
        if (Options.NormFirst)
        {
            var h = Norm1.Forward(x);
            var heads = Ops.SelfAttentionInference(h, attention.InProjWeight!, attention.InProjBias, attention.Options.Heads, attention.HeadGates);
            var attended = Ops.LinearInference(heads, outProj.Weight, outProj.Bias, residual: x);
            Ops.Recycle(h, heads);
            var h2 = Norm2.Forward(attended);
            var output = feedForward.ForwardInference(h2, residual: attended);
            Ops.Recycle(h2, attended);
            return output;
        }
        var merged = Ops.SelfAttentionInference(x, attention.InProjWeight!, attention.InProjBias, attention.Options.Heads, attention.HeadGates);
        var summed = Ops.LinearInference(merged, outProj.Weight, outProj.Bias, residual: x);
        var normed = Norm1.Forward(summed);
        Ops.Recycle(merged, summed);
        var fed = feedForward.ForwardInference(normed, residual: normed);
        var result = Norm2.Forward(fed);
        Ops.Recycle(normed, fed);
        return result;
    }
}
