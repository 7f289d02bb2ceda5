using Promptor.Nn;
using Promptor.Nn.Attention;
using Promptor.Nn.Layers;
using Promptor.Nn.Positional;
using Promptor.Nn.Transformer;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Genomics.Models;

/// <summary>
/// The treatment-conditioned promoter model. A convolution stack reads one-hot DNA
/// <c>(B, L, 4)</c> into positions <c>(B, T', d)</c> (plus positional encoding and optional
/// self-attention blocks); the promoter is encoded once and every treatment asks it at once.
/// With the default <see cref="ConditioningMethod.CrossAttention"/> the learned treatment
/// embeddings <c>(n_treat, d)</c> query the positions through multi-head cross-attention, and a
/// shared head maps each treatment's answer to its prediction: <c>(B, n_treat)</c>. The other
/// <see cref="ConditioningMethod"/>s are the rungs of the conditioning ladder, trained on the same data.
/// </summary>
public sealed class CondPromoter : Module, IPromoterModel
{
    private readonly List<(Conv1d Conv, BatchNorm1d? Norm, int Pool)> convolutions = [];

    /// <summary>Builds the model, initialised from <paramref name="generator"/>.</summary>
    public CondPromoter(CondPromoterOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        options.Validate();
        Options = options;
        int d = options.ModelDim, channels = 4;
        for (int i = 0; i < options.Convolutions.Count; i++)
        {
            var spec = options.Convolutions[i];
            var conv = RegisterModule($"conv{i + 1}", new Conv1d(channels, spec.Filters, spec.Width, generator,
                padding: Padding.Same, dilation: spec.Dilation, bias: !options.BatchNorm));
            var norm = options.BatchNorm ? RegisterModule($"bn{i + 1}", new BatchNorm1d(spec.Filters)) : null;
            convolutions.Add((conv, norm, spec.Pool));
            channels = spec.Filters;
        }
        if (channels != d)
        {
            Projection = RegisterModule("project", new Linear(channels, d, generator));
        }
        FeatureDropout = RegisterModule("feature_dropout", new Dropout(options.Dropout, generator));
        Positions = RegisterModule("pe", PositionalEncoding.Create(options.Positions, d, options.EncodedLength, generator));
        var layerOptions = new TransformerLayerOptions
        {
            ModelDim = d,
            Heads = options.SelfAttentionHeads,
            FeedForwardDim = 4 * d,
            Dropout = options.Dropout,
            AttentionDropout = options.AttentionDropout,
            NormFirst = options.NormFirst,
        };
        if (options.SelfAttentionBlocks > 0)
        {
            Encoder = RegisterModule("encoder", new TransformerEncoder(layerOptions, options.SelfAttentionBlocks, generator, finalNorm: options.NormFirst));
        }

        int tokens = options.TreatmentCount * options.QueriesPerTreatment;
        if (options.TreatmentDescriptors is not null)
        {
            DescriptorEncoder = RegisterModule("treat_descriptors", new TreatmentDescriptorEncoder(options.TreatmentDescriptors, d, options.QueriesPerTreatment, generator));
        }
        else if (options.Conditioning != ConditioningMethod.MultiTask)
        {
            TreatmentEmbedding = RegisterModule("treat", new Embedding(tokens, d, generator));
            if (options.TreatmentEmbeddingStd != 1f)
            {
                var table = TreatmentEmbedding.Weight.Data;
                for (int i = 0; i < table.Length; i++)
                {
                    table[i] *= options.TreatmentEmbeddingStd;
                }
            }
        }
        int headInput = d;
        switch (options.Conditioning)
        {
            case ConditioningMethod.CrossAttention:
                CrossAttention = RegisterModule("cross", new MultiHeadAttention(
                    new MultiHeadAttentionOptions { EmbedDim = d, Heads = options.CrossAttentionHeads, Dropout = options.AttentionDropout }, generator));
                Norm = RegisterModule("norm", new LayerNorm(d));
                AttendedNorm = options.AttendedBatchNorm ? RegisterModule("attended_bn", new BatchNorm1d(d)) : null;
                break;
            case ConditioningMethod.CrossAttentionEveryBlock:
                TreatmentDecoder = RegisterModule("decoder", new TransformerDecoder(
                    layerOptions with { Heads = options.CrossAttentionHeads }, options.CrossAttentionBlocks, generator, finalNorm: options.NormFirst));
                break;
            case ConditioningMethod.Film:
                Film = RegisterModule("film", new Linear(d, 2 * d, generator));
                headInput = 2 * d;
                break;
            case ConditioningMethod.ConcatMlp:
                headInput = 3 * d;
                break;
            case ConditioningMethod.MultiTask:
                headInput = 2 * d;
                break;
        }
        int headOutputs = options.Conditioning == ConditioningMethod.MultiTask
            ? options.TreatmentCount * options.OutputsPerTreatment
            : options.OutputsPerTreatment;
        Head = RegisterModule("head", new Sequential(
            new Linear(headInput, options.HeadHidden, generator),
            new Relu(),
            new Dropout(options.Dropout, generator),
            new Linear(options.HeadHidden, headOutputs, generator)));
    }

    /// <summary>The options this model was built with.</summary>
    public CondPromoterOptions Options { get; }

    /// <inheritdoc/>
    public int TreatmentCount => Options.TreatmentCount;

    /// <inheritdoc/>
    public int OutputsPerTreatment => Options.OutputsPerTreatment;

    /// <summary>Batch norm of the attended vectors before the query residual, when <see cref="CondPromoterOptions.AttendedBatchNorm"/> is set.</summary>
    public BatchNorm1d? AttendedNorm { get; }

    /// <summary>Projection from the last convolution's filters to d, when they differ.</summary>
    public Linear? Projection { get; }

    /// <summary>Dropout on the encoded positions.</summary>
    public Dropout FeatureDropout { get; }

    /// <summary>The positional encoding.</summary>
    public PositionalEncoding Positions { get; }

    /// <summary>Self-attention blocks over positions, or null with none.</summary>
    public TransformerEncoder? Encoder { get; }

    /// <summary>Treatment embeddings <c>(n_treat · queries, d)</c>; null for multi-task heads.</summary>
    public Embedding? TreatmentEmbedding { get; }

    /// <summary>Maps treatment descriptors to the treatment tokens, when <see cref="CondPromoterOptions.TreatmentDescriptors"/> is set (then <see cref="TreatmentEmbedding"/> is null).</summary>
    public TreatmentDescriptorEncoder? DescriptorEncoder { get; }

    /// <summary>The treatment cross-attention (default conditioning).</summary>
    public MultiHeadAttention? CrossAttention { get; }

    /// <summary>Norm after the cross-attention residual.</summary>
    public LayerNorm? Norm { get; }

    /// <summary>Decoder blocks for cross-attention in every block.</summary>
    public TransformerDecoder? TreatmentDecoder { get; }

    /// <summary>FiLM generator: treatment embedding → [γ, β].</summary>
    public Linear? Film { get; }

    /// <summary>The shared prediction head.</summary>
    public Sequential Head { get; }

    /// <inheritdoc/>
    public Tensor Forward(Tensor sequences) => ForwardWithAttention(sequences, needWeights: false).Predictions;

    /// <summary>
    /// Encodes <paramref name="sequences"/> <c>(B, L, 4)</c> into positions <c>(B, T', d)</c>.
    /// </summary>
    public Tensor Encode(Tensor sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Rank != 3 || sequences.Shape[1] != Options.SequenceLength || sequences.Shape[2] != 4)
        {
            throw new ArgumentException($"CondPromoter expects one-hot sequences (B, {Options.SequenceLength}, 4), got {sequences.Shape}.", nameof(sequences));
        }
        return EncodePositions(ConvolvePositions(sequences));
    }

    /// <summary>
    /// The convolution stack alone: one-hot DNA <c>(B, W, 4)</c> of any length W → features
    /// <c>(B, C, W')</c> (each layer: 'same' convolution, batch norm, max-pool, ReLU). Lets
    /// interpretation recompute only a window around a mutation. The channels-last form,
    /// <see cref="ConvolvePositions"/>, is the one the model runs.
    /// </summary>
    public Tensor Convolve(Tensor sequences) => ConvolvePositions(sequences).Permute(0, 2, 1);

    /// <summary>
    /// The convolution stack on channels-last tensors: one-hot DNA <c>(B, W, 4)</c> → features
    /// <c>(B, W', C)</c>, positions first, the layout the attention layers read. Each layer is a
    /// window-GEMM convolution (<see cref="Ops.Conv1dChannelsLast"/>), batch norm per channel,
    /// max-pool over positions and ReLU.
    /// </summary>
    public Tensor ConvolvePositions(Tensor sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var x = sequences;                                                  // (B, L, 4)
        foreach (var (conv, norm, pool) in convolutions)
        {
            if (conv.Stride != 1)
            {
                x = ConvolveChannelsFirst(x.Permute(0, 2, 1), conv, norm, pool).Permute(0, 2, 1);
                continue;
            }
            if (!IsTraining && !Tape.NeedsGrad(x, conv.Weight, conv.Bias, norm?.Weight, norm?.Bias))
            {
                // Inference: batch norm (running statistics) folded into the convolution, then
                // convolution, pooling and ReLU in one pass that writes only the pooled values.
                var (weight, bias) = norm is null ? (conv.Weight, conv.Bias) : FoldBatchNorm(conv, norm);
                var pooled = Ops.Conv1dPoolReluInferenceChannelsLast(x, weight, bias, conv.Padding, conv.Dilation, pool);
                if (!ReferenceEquals(x, sequences))
                {
                    Ops.Recycle(x);                                         // the previous layer's output, spent
                }
                x = pooled;
                continue;
            }
            if (norm is null)
            {
                // Convolution, pooling and ReLU as one recorded op: the full-length output is never stored.
                x = x.Conv1dPoolReluChannelsLast(conv.Weight, conv.Bias, conv.Padding, conv.Dilation, pool);
                continue;
            }
            x = x.Conv1dChannelsLast(conv.Weight, conv.Bias, conv.Padding, conv.Dilation);   // (B, L', C)
            int batch = x.Shape[0], length = x.Shape[1], channels = x.Shape[2];
            x = norm.Forward(x.Reshape(batch * length, channels)).Reshape(batch, length, channels);
            // Max-pooling before ReLU gives the same values and gradients (ReLU is monotone) on a
            // pool-times smaller tensor.
            if (pool > 1)
            {
                x = x.MaxPool1dChannelsLast(pool);
            }
            x = x.Relu();
        }
        return x;                                                           // (B, T', C)
    }

    /// <summary>One strided layer in PyTorch's layout <c>(B, C, L)</c>: convolution, batch norm, max-pool, ReLU.</summary>
    private static Tensor ConvolveChannelsFirst(Tensor x, Conv1d conv, BatchNorm1d? norm, int pool)
    {
        x = conv.Forward(x);
        if (norm is not null)
        {
            x = norm.Forward(x);
        }
        if (pool > 1)
        {
            x = x.MaxPool1d(pool);
        }
        return x.Relu();
    }

    /// <summary>
    /// The convolution followed by evaluation-mode batch norm as one convolution: with
    /// <c>s = γ/√(σ² + eps)</c> per output channel, weight <c>W·s</c> and bias <c>(b − μ)·s + β</c>.
    /// </summary>
    private static (Tensor Weight, Tensor Bias) FoldBatchNorm(Conv1d conv, BatchNorm1d norm)
    {
        int cout = conv.OutChannels, per = conv.Weight.Size / cout;
        var weight = new Tensor(conv.Weight.Shape);
        var bias = new Tensor(new Shape(cout));
        for (int c = 0; c < cout; c++)
        {
            double scale = norm.Weight.Data[c] / Math.Sqrt(norm.RunningVar.Data[c] + norm.Eps);
            for (int i = 0; i < per; i++)
            {
                weight.Data[c * per + i] = (float)(conv.Weight.Data[c * per + i] * scale);
            }
            double b = conv.Bias?.Data[c] ?? 0.0;
            bias.Data[c] = (float)((b - norm.RunningMean.Data[c]) * scale + norm.Bias.Data[c]);
        }
        return (weight, bias);
    }

    /// <summary>Convolution features <c>(B, C, T')</c> → encoded positions <c>(B, T', d)</c>.</summary>
    public Tensor EncodeFeatures(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return EncodePositions(features.Permute(0, 2, 1));
    }

    /// <summary>Channels-last convolution features <c>(B, T', C)</c> (see <see cref="ConvolvePositions"/>) → encoded positions <c>(B, T', d)</c>.</summary>
    public Tensor EncodePositions(Tensor positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        var x = positions;                                                  // (B, T', C)
        if (Projection is not null)
        {
            x = Projection.Forward(x);
        }
        x = Positions.Forward(FeatureDropout.Forward(x));                   // (B, T', d)
        return Encoder is null ? x : Encoder.Forward(x);
    }

    /// <summary>
    /// Predictions <c>(B, n_treat)</c> (or <c>(B, n_treat, classes)</c>) and, for the
    /// cross-attention conditionings with <paramref name="needWeights"/>, the attention of every
    /// treatment over the encoded positions per head <c>(B, H, n_treat, T')</c> (the last block's,
    /// averaged over a treatment's query tokens).
    /// </summary>
    public (Tensor Predictions, Tensor? Attention) ForwardWithAttention(Tensor sequences, bool needWeights = true)
        => ForwardEncoded(Encode(sequences), needWeights);

    /// <summary>
    /// <see cref="ForwardWithAttention"/> from already encoded positions <paramref name="memory"/>
    /// <c>(B, T', d)</c> (see <see cref="Encode"/>).
    /// </summary>
    public (Tensor Predictions, Tensor? Attention) ForwardEncoded(Tensor memory, bool needWeights = true)
    {
        ArgumentNullException.ThrowIfNull(memory);
        int batch = memory.Shape[0], d = Options.ModelDim, nT = Options.TreatmentCount, q = Options.QueriesPerTreatment;
        Tensor perTreatment;                                                // (B, n_treat, headInput)
        Tensor? attention = null;
        switch (Options.Conditioning)
        {
            case ConditioningMethod.MultiTask:
            {
                var flat = Head.Forward(Pool(memory));                      // (B, n_treat·outputs)
                return (Shape(flat.Reshape(batch, nT, Options.OutputsPerTreatment)), null);
            }
            case ConditioningMethod.ConcatMlp:
            {
                var pooled = Pool(memory).Unsqueeze(1).BroadcastTo(new Shape(batch, nT, 2 * d));
                perTreatment = Ops.Concat([pooled, Queries(batch)], 2);
                break;
            }
            case ConditioningMethod.Film:
            {
                var gammaBeta = Film!.Forward(TreatmentTokens()).Chunk(2, -1); // 2 × (n_treat, d)
                var normed = memory.LayerNorm(null, null).Unsqueeze(1);       // (B, 1, T', d)
                var modulated = (normed * gammaBeta[0].Unsqueeze(1) + gammaBeta[1].Unsqueeze(1)).Relu(); // (B, n_treat, T', d)
                perTreatment = Ops.Concat([modulated.Mean(2), modulated.Max(2)], 2);
                break;
            }
            case ConditioningMethod.CrossAttention:
            {
                var queries = Queries(batch);                               // (B, n_treat·q, d)
                var result = CrossAttention!.Forward(queries, memory, memory, needWeights: needWeights, averageWeights: false);
                perTreatment = Norm!.Forward(queries + NormalizeAttended(result.Output));
                attention = result.Weights;
                break;
            }
            default:
            {
                var (output, weights) = TreatmentDecoder!.Forward(Queries(batch), memory, null, null, needWeights);
                perTreatment = output;
                attention = needWeights ? weights[^1] : null;
                break;
            }
        }
        if (q > 1)
        {
            perTreatment = perTreatment.Reshape(batch, nT, q, perTreatment.Shape[-1]).Mean(2);
            attention = attention?.Reshape(batch, attention.Shape[1], nT, q, attention.Shape[-1]).Mean(3);
        }
        return (Shape(Head.Forward(perTreatment)), attention);
    }

    /// <summary>
    /// Predicts one chosen treatment per sequence (the single-query form of the PyTorch reference
    /// model): <paramref name="treatmentIds"/> holds B ids; returns <c>(B)</c> (or <c>(B, classes)</c>).
    /// Cross-attention conditioning with one query per treatment only.
    /// </summary>
    public Tensor ForwardSelected(Tensor sequences, int[] treatmentIds)
    {
        ArgumentNullException.ThrowIfNull(treatmentIds);
        if (Options.Conditioning != ConditioningMethod.CrossAttention || Options.QueriesPerTreatment != 1 || TreatmentEmbedding is null)
        {
            throw new InvalidOperationException("ForwardSelected needs cross-attention conditioning with one learned query per treatment.");
        }
        var memory = Encode(sequences);
        int batch = memory.Shape[0];
        if (treatmentIds.Length != batch)
        {
            throw new ArgumentException($"Expected {batch} treatment ids, got {treatmentIds.Length}.", nameof(treatmentIds));
        }
        var queries = TreatmentEmbedding!.Forward(treatmentIds, batch, 1);           // (B, 1, d)
        var attended = CrossAttention!.Forward(queries, memory, memory).Output;
        var h = Norm!.Forward(queries + NormalizeAttended(attended)).Squeeze(1);      // (B, d)
        var y = Head.Forward(h);                                                      // (B, outputs)
        return OutputsPerTreatment == 1 ? y.Squeeze(-1) : y;
    }

    /// <summary>The attended vectors <c>(B, n, d)</c>, batch-normalised per feature over B·n when <see cref="AttendedNorm"/> exists.</summary>
    private Tensor NormalizeAttended(Tensor attended) =>
        AttendedNorm is null ? attended : AttendedNorm.Forward(attended.Permute(0, 2, 1)).Permute(0, 2, 1);

    /// <summary>Mean and max over positions: <c>(B, T', d) → (B, 2d)</c>.</summary>
    private static Tensor Pool(Tensor memory) => Ops.Concat([memory.Mean(1), memory.Max(1)], 1);

    /// <summary>The treatment query tokens for a batch: <c>(B, n_treat·q, d)</c>.</summary>
    private Tensor Queries(int batch)
    {
        var table = TreatmentTokens();
        return table.Unsqueeze(0).BroadcastTo(new Shape(batch, table.Shape[0], table.Shape[1]));
    }

    /// <summary>The token table <c>(n_treat·q, d)</c>: the learned embeddings, or the descriptor encoder's output.</summary>
    private Tensor TreatmentTokens() => DescriptorEncoder?.Forward() ?? TreatmentEmbedding!.Weight;

    private Tensor Shape(Tensor logits) => OutputsPerTreatment == 1 ? logits.Squeeze(-1) : logits;
}
