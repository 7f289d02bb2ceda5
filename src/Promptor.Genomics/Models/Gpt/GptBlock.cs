using Promptor.Nn;
using Promptor.Nn.Attention;
using Promptor.Nn.Layers;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Genomics.Models.Gpt;

/// <summary>
/// One GPT block over <c>(B, T, d)</c>, named as TinyGPT's <c>Block</c>: <c>ln1</c>, <c>attn</c>
/// (<see cref="CausalSelfAttention"/>), <c>ln2</c>, <c>mlp</c> (<c>mlp.0</c> Linear d → r·d, GELU,
/// <c>mlp.2</c> Linear r·d → d, dropout). Pre-LN: <c>x + attn(ln1(x))</c>, then
/// <c>x + mlp(ln2(x))</c>; post-LN: <c>ln1(x + attn(x))</c>, then <c>ln2(x + mlp(x))</c>. With
/// label cross-attention a sublayer <c>xattn</c> (<see cref="MultiHeadAttention"/>, norm
/// <c>ln_x</c>, dropout <c>drop_x</c>) sits between the two, its keys and values a context
/// <c>(B, K, d)</c>.
/// </summary>
public sealed class GptBlock : Module
{
    private readonly Linear mlpIn;
    private readonly Linear mlpOut;

    /// <summary>Creates the block from the model's options, initialised from <paramref name="generator"/>.</summary>
    public GptBlock(GptOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        options.Validate();
        NormFirst = options.NormFirst;
        int d = options.ModelDim;
        Ln1 = RegisterModule("ln1", new LayerNorm(d, options.LayerNormEps));
        Attention = RegisterModule("attn", new CausalSelfAttention(options, generator));
        if (options.Conditioning.HasFlag(LabelConditioning.CrossAttention))
        {
            CrossNorm = RegisterModule("ln_x", new LayerNorm(d, options.LayerNormEps));
            CrossAttention = RegisterModule("xattn", new MultiHeadAttention(new MultiHeadAttentionOptions { EmbedDim = d, Heads = options.Heads }, generator));
            CrossDropout = RegisterModule("drop_x", new Dropout(options.Dropout, generator));
        }
        Ln2 = RegisterModule("ln2", new LayerNorm(d, options.LayerNormEps));
        mlpIn = new Linear(d, options.MlpRatio * d, generator);
        mlpOut = new Linear(options.MlpRatio * d, d, generator);
        Mlp = RegisterModule("mlp", new Sequential(mlpIn, new Gelu(), mlpOut, new Dropout(options.Dropout, generator)));
    }

    /// <summary>True for pre-LN, false for post-LN.</summary>
    public bool NormFirst { get; }

    /// <summary>Norm of the attention sublayer.</summary>
    public LayerNorm Ln1 { get; }

    /// <summary>The causal self-attention.</summary>
    public CausalSelfAttention Attention { get; }

    /// <summary>Norm of the cross-attention sublayer, or null.</summary>
    public LayerNorm? CrossNorm { get; }

    /// <summary>Cross-attention over the label context, or null.</summary>
    public MultiHeadAttention? CrossAttention { get; }

    /// <summary>Dropout on the cross-attention output, or null.</summary>
    public Dropout? CrossDropout { get; }

    /// <summary>Norm of the MLP sublayer.</summary>
    public LayerNorm Ln2 { get; }

    /// <summary>The MLP: Linear, GELU, Linear, dropout.</summary>
    public Sequential Mlp { get; }

    /// <summary>
    /// Runs the block on <paramref name="input"/> <c>(B, T, d)</c> with the label
    /// <paramref name="context"/> <c>(B, K, d)</c> (required exactly when the block has
    /// cross-attention); returns <c>(B, T, d)</c> and, with <paramref name="needWeights"/>, the
    /// self-attention weights <c>(B, H, T, T)</c>.
    /// </summary>
    public (Tensor Output, Tensor? Weights) Forward(Tensor input, Tensor? context = null, bool needWeights = false)
    {
        Tensor? weights = null;
        var output = Run(input, context, (x, residual) =>
        {
            if (!needWeights)
            {
                return Attention.ForwardPlusResidual(x, residual);
            }
            var (y, w) = Attention.Forward(x, needWeights: true);
            weights = w;
            return residual + y;
        }, recycle: !needWeights);
        return (output, weights);
    }

    /// <summary>The block on new tokens <c>(B, n, d)</c> with the cache's past for layer <paramref name="layer"/>.</summary>
    internal Tensor ForwardIncremental(Tensor input, Tensor? context, GptKvCache cache, int layer)
        => Run(input, context, (x, residual) => residual + Attention.ForwardIncremental(x, cache, layer));

    /// <summary>
    /// The block's sublayers. With <paramref name="recycle"/> in evaluation mode, the pre-LN path
    /// hands its own temporaries (the normalised inputs and the residual stream between the
    /// sublayers) back to the tensor pool once they are spent; <see cref="Ops.Recycle"/> leaves
    /// anything on a tape alone.
    /// </summary>
    private Tensor Run(Tensor x, Tensor? context, Func<Tensor, Tensor, Tensor> selfAttentionPlusResidual, bool recycle = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        if ((CrossAttention is null) != (context is null))
        {
            throw new ArgumentException(CrossAttention is null
                ? "This block has no cross-attention, so it takes no context."
                : "This block cross-attends to a label context (B, K, d); none was given.", nameof(context));
        }
        if (NormFirst)
        {
            var input = x;
            var normed = Ln1.Forward(x);
            x = selfAttentionPlusResidual(normed, x);
            if (CrossAttention is not null)
            {
                x = x + CrossDropout!.Forward(CrossAttention.Forward(CrossNorm!.Forward(x), context!));
            }
            var normed2 = Ln2.Forward(x);
            var output = MlpPlusResidual(normed2, x);
            if (recycle && !IsTraining)
            {
                // The caller's input stays; the block's own intermediates are spent.
                Ops.Recycle(normed, normed2, ReferenceEquals(x, input) || ReferenceEquals(x, output) ? null : x);
            }
            return output;
        }
        x = Ln1.Forward(selfAttentionPlusResidual(x, x));
        if (CrossAttention is not null)
        {
            x = CrossNorm!.Forward(x + CrossDropout!.Forward(CrossAttention.Forward(x, context!)));
        }
        return Ln2.Forward(MlpPlusResidual(x, x));
    }

    /// <summary>
    /// <c>residual + mlp(x)</c>. Without a gradient to record and in evaluation mode the bias, GELU
    /// and residual are folded into the two products (<see cref="Ops.LinearInference"/>): no
    /// separate activation, bias or residual passes over the <c>(B, T, 4d)</c> hidden layer.
    /// </summary>
    private Tensor MlpPlusResidual(Tensor x, Tensor residual)
    {
        if (IsTraining || Tape.NeedsGrad(x, residual, mlpIn.Weight, mlpIn.Bias, mlpOut.Weight, mlpOut.Bias))
        {
            return residual + Mlp.Forward(x);
        }
        var hidden = Ops.LinearInference(x, mlpIn.Weight, mlpIn.Bias, activation: LinearActivation.Gelu);
        var output = Ops.LinearInference(hidden, mlpOut.Weight, mlpOut.Bias, residual);
        Ops.Recycle(hidden);                                                            // a local temporary
        return output;
    }
}
