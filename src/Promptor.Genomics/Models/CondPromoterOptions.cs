using System.Text.Json.Serialization;
using Promptor.Nn.Positional;

namespace Promptor.Genomics.Models;

/// <summary>
/// Options of <see cref="CondPromoter"/>. Defaults follow DESIGN.md and the PyTorch reference
/// model: two 'same' convolutions (128 filters, widths 15 and 9, each max-pooled by 4, so a 1 kb
/// promoter becomes 62 positions), batch norm after each convolution, sinusoidal positions, two
/// post-LN self-attention blocks (8 heads), and one 8-head cross-attention layer whose queries are
/// the learned treatment embeddings.
/// </summary>
public sealed record CondPromoterOptions
{
    /// <summary>Number of treatments T. Required.</summary>
    public required int TreatmentCount { get; init; }

    /// <summary>Promoter length L in base pairs. Default 1000.</summary>
    public int SequenceLength { get; init; } = 1000;

    /// <summary>The convolution stack. Default (128, 15, pool 4), (128, 9, pool 4).</summary>
    public IReadOnlyList<ConvLayerSpec> Convolutions { get; init; } = [new(128, 15, 1, 4), new(128, 9, 1, 4)];

    /// <summary>
    /// Batch norm after each convolution. Default true: without it, reference networks on the yeast
    /// task never left the training mean.
    /// </summary>
    public bool BatchNorm { get; init; } = true;

    /// <summary>Model width d of positions and treatment embeddings. Default 128.</summary>
    public int ModelDim { get; init; } = 128;

    /// <summary>Positional encoding added after the convolutions. Default sinusoidal.</summary>
    public PositionalEncodingKind Positions { get; init; } = PositionalEncodingKind.Sinusoidal;

    /// <summary>Self-attention blocks over the positions. Default 2 (0 allowed).</summary>
    public int SelfAttentionBlocks { get; init; } = 2;

    /// <summary>Heads of the self-attention blocks. Default 8.</summary>
    public int SelfAttentionHeads { get; init; } = 8;

    /// <summary>Heads of the treatment cross-attention. Default 8 (1 allowed).</summary>
    public int CrossAttentionHeads { get; init; } = 8;

    /// <summary>Decoder blocks for <see cref="ConditioningMethod.CrossAttentionEveryBlock"/>. Default 2.</summary>
    public int CrossAttentionBlocks { get; init; } = 2;

    /// <summary>Query tokens per treatment; their outputs are averaged. Default 1.</summary>
    public int QueriesPerTreatment { get; init; } = 1;

    /// <summary>Pre-LN blocks when true; post-LN (default) otherwise.</summary>
    public bool NormFirst { get; init; }

    /// <summary>Dropout in attention, blocks and head. Default 0.1.</summary>
    public float Dropout { get; init; } = 0.1f;

    /// <summary>
    /// Dropout on attention weights. Default 0: the fused attention kernel then runs in training
    /// too, several times faster than the materialised path that dropping weights needs.
    /// </summary>
    public float AttentionDropout { get; init; }

    /// <summary>
    /// Standard deviation of the learned treatment embeddings' initial values. Default 1 (PyTorch's
    /// <c>nn.Embedding</c>). The query is also the residual of <c>LayerNorm(q + attended)</c>, so a
    /// query much larger than the attended vector hides the genes' differences from the head at
    /// first (see <see cref="AttendedBatchNorm"/>).
    /// </summary>
    public float TreatmentEmbeddingStd { get; init; } = 1f;

    /// <summary>
    /// Batch-normalise the attended vectors (per feature, over genes and treatments) before
    /// <c>LayerNorm(q + attended)</c> (cross-attention conditioning only). Attention over many
    /// positions starts out nearly uniform, so the attended vectors of different genes start out
    /// nearly equal — averages of random features — and the head sees almost no gene-to-gene
    /// signal until the weights have grown; normalising them across the batch gives that signal
    /// unit scale from the first step, as batch norm after the convolutions does for the conv
    /// features (<c>bench … signal-at-init</c>: the gene-to-gene share of the head's input rises from
    /// 0.25 % to 44 % at initialisation, and on the yeast task learning starts in the first epochs
    /// at the peak learning rate). Default false: on the yeast task it has not yet given a better
    /// final test correlation than the plain model (docs/benchmarks.md).
    /// </summary>
    public bool AttendedBatchNorm { get; init; }

    /// <summary>Hidden width of the prediction head. Default 128.</summary>
    public int HeadHidden { get; init; } = 128;

    /// <summary>How the treatment conditions the prediction. Default cross-attention.</summary>
    public ConditioningMethod Conditioning { get; init; } = ConditioningMethod.CrossAttention;

    /// <summary>1 for regression (default); the number of classes (e.g. 3: down, unchanged, up) for classification.</summary>
    public int OutputsPerTreatment { get; init; } = 1;

    /// <summary>
    /// Optional numeric descriptor per treatment (n_treat rows of k values, e.g. from
    /// <see cref="TreatmentDescriptorTable"/>). When given, the treatment tokens come from a
    /// <see cref="TreatmentDescriptorEncoder"/> MLP over the descriptors instead of a learned embedding
    /// table, so a treatment whose targets were held out of training can still be predicted.
    /// Default null: learned embeddings. Not used by <see cref="ConditioningMethod.MultiTask"/>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<IReadOnlyList<float>>? TreatmentDescriptors { get; init; }

    /// <summary>Number of positions after the convolution stack.</summary>
    public int EncodedLength => Convolutions.Aggregate(SequenceLength, (length, c) => length / Math.Max(1, c.Pool));

    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistent option.</summary>
    public void Validate()
    {
        static void Require(bool condition, string message)
        {
            if (!condition)
            {
                throw new ArgumentException(message);
            }
        }
        Require(TreatmentCount > 0, $"TreatmentCount must be positive, got {TreatmentCount}.");
        Require(SequenceLength > 0, $"SequenceLength must be positive, got {SequenceLength}.");
        Require(Convolutions.Count > 0, "At least one convolution is needed.");
        foreach (var c in Convolutions)
        {
            Require(c.Filters > 0 && c.Width > 0 && c.Dilation > 0 && c.Pool > 0, $"Invalid convolution {c}.");
        }
        Require(EncodedLength > 0, $"The convolution stack pools a {SequenceLength} bp sequence to nothing.");
        Require(ModelDim > 0 && ModelDim % SelfAttentionHeads == 0 && ModelDim % CrossAttentionHeads == 0,
            $"ModelDim {ModelDim} must be divisible by the head counts ({SelfAttentionHeads}, {CrossAttentionHeads}).");
        Require(SelfAttentionBlocks >= 0 && CrossAttentionBlocks >= 1, "Block counts must be ≥ 0 (self) and ≥ 1 (cross).");
        Require(QueriesPerTreatment >= 1, $"QueriesPerTreatment must be ≥ 1, got {QueriesPerTreatment}.");
        Require(QueriesPerTreatment == 1 || Conditioning is ConditioningMethod.CrossAttention or ConditioningMethod.CrossAttentionEveryBlock,
            $"Several queries per treatment need a cross-attention conditioning, not {Conditioning}.");
        Require(Dropout >= 0 && Dropout < 1, $"Dropout must be in [0, 1), got {Dropout}.");
        Require(AttentionDropout >= 0 && AttentionDropout < 1, $"AttentionDropout must be in [0, 1), got {AttentionDropout}.");
        Require(TreatmentEmbeddingStd > 0 && float.IsFinite(TreatmentEmbeddingStd), $"TreatmentEmbeddingStd must be positive and finite, got {TreatmentEmbeddingStd}.");
        Require(HeadHidden > 0 && OutputsPerTreatment >= 1, "Head sizes must be positive.");
        Require(TreatmentDescriptors is null || (TreatmentDescriptors.Count == TreatmentCount && TreatmentDescriptors.All(r => r is not null && r.Count > 0 && r.Count == TreatmentDescriptors[0].Count)),
            $"TreatmentDescriptors must hold one row of equal, positive length per treatment ({TreatmentCount}).");
        Require(TreatmentDescriptors is null || Conditioning != ConditioningMethod.MultiTask,
            "Treatment descriptors need a conditioning with treatment tokens, not MultiTask.");
    }
}
