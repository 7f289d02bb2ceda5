using System.Text.Json;
using System.Text.Json.Serialization;
using Promptor.Nn.Positional;

namespace Promptor.Genomics.Models.Gpt;

/// <summary>
/// Options of <see cref="Gpt"/> (nanoGPT's <c>GPTConfig</c>). The defaults are the TinyGPT of the
/// PyTorch reference benchmark except the vocabulary: context 128, d = 128, 4 heads, 4 pre-LN
/// blocks, MLP 4×, dropout 0.1, learned positions, untied head.
/// </summary>
public sealed record GptOptions
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Vocabulary size V (token ids in <c>[0, V)</c>). Required.</summary>
    public required int VocabSize { get; init; }

    /// <summary>Longest sequence T_max the model reads (positions <c>0 .. T_max − 1</c>). Default 128.</summary>
    public int ContextLength { get; init; } = 128;

    /// <summary>Model width d, divisible by <see cref="Heads"/>. Default 128.</summary>
    public int ModelDim { get; init; } = 128;

    /// <summary>Attention heads H. Default 4.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Transformer blocks. Default 4.</summary>
    public int Blocks { get; init; } = 4;

    /// <summary>Hidden width of the MLP as a multiple of d. Default 4.</summary>
    public int MlpRatio { get; init; } = 4;

    /// <summary>Dropout on embeddings, attention output, MLP output (and attention weights unless <see cref="AttentionDropout"/> says otherwise). Default 0.1.</summary>
    public float Dropout { get; init; } = 0.1f;

    /// <summary>
    /// Dropout on the attention weights in training; null (default) means <see cref="Dropout"/>, as in
    /// TinyGPT. A non-zero value makes training use the materialised attention path; 0 keeps the fused kernel.
    /// </summary>
    public float? AttentionDropout { get; init; }

    /// <summary>
    /// Positions: <see cref="PositionalEncodingKind.Learned"/> (default, parameter <c>pos.weight</c>),
    /// <see cref="PositionalEncodingKind.Sinusoidal"/>, <see cref="PositionalEncodingKind.Relative"/>
    /// (a causal per-head relative bias in every block, <c>blocks.{i}.attn.rel.weight</c>) or
    /// <see cref="PositionalEncodingKind.None"/>.
    /// </summary>
    public PositionalEncodingKind Positions { get; init; } = PositionalEncodingKind.Learned;

    /// <summary>Clip distance K of relative positions; null (default) means <c>ContextLength − 1</c> (no clipping).</summary>
    public int? RelativeMaxDistance { get; init; }

    /// <summary>Pre-LN blocks with a final norm <c>ln</c> (GPT-2, TinyGPT; default) when true; post-LN blocks without a final norm when false.</summary>
    public bool NormFirst { get; init; } = true;

    /// <summary>Share the token embedding with the output head (GPT-2). Default false, as TinyGPT.</summary>
    public bool TieWeights { get; init; }

    /// <summary>Number of class labels C for conditional generation; 0 (default) for an unconditional model. Label C is the null label.</summary>
    public int ClassCount { get; init; }

    /// <summary>How labels enter the model; must be <see cref="LabelConditioning.None"/> exactly when <see cref="ClassCount"/> is 0. Default none.</summary>
    public LabelConditioning Conditioning { get; init; } = LabelConditioning.None;

    /// <summary>Context tokens per label for <see cref="LabelConditioning.CrossAttention"/>. Default 4.</summary>
    public int LabelContextTokens { get; init; } = 4;

    /// <summary>
    /// Probability p of replacing a label by the null label in training (classifier-free guidance).
    /// Default 0.1 (ignored by unconditional models).
    /// </summary>
    public float LabelDropout { get; init; } = 0.1f;

    /// <summary>Layer-norm epsilon. Default 1e-5.</summary>
    public float LayerNormEps { get; init; } = 1e-5f;

    /// <summary>Head width D = d / H.</summary>
    [JsonIgnore]
    public int HeadDim => ModelDim / Heads;

    /// <summary>Effective attention-weight dropout.</summary>
    [JsonIgnore]
    public float EffectiveAttentionDropout => AttentionDropout ?? Dropout;

    /// <summary>Effective relative clip distance.</summary>
    [JsonIgnore]
    public int EffectiveRelativeMaxDistance => RelativeMaxDistance ?? ContextLength - 1;

    /// <summary>The null label (= <see cref="ClassCount"/>), meaning "no label".</summary>
    [JsonIgnore]
    public int NullLabel => ClassCount;

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
        Require(VocabSize > 0, $"VocabSize must be positive, got {VocabSize}.");
        Require(ContextLength > 0, $"ContextLength must be positive, got {ContextLength}.");
        Require(ModelDim > 0 && Heads > 0 && ModelDim % Heads == 0, $"ModelDim {ModelDim} must be positive and divisible by Heads {Heads}.");
        Require(Blocks >= 0, $"Blocks must be ≥ 0, got {Blocks}.");
        Require(MlpRatio > 0, $"MlpRatio must be positive, got {MlpRatio}.");
        Require(Dropout >= 0 && Dropout < 1, $"Dropout must be in [0, 1), got {Dropout}.");
        Require(EffectiveAttentionDropout >= 0 && EffectiveAttentionDropout < 1, $"AttentionDropout must be in [0, 1), got {AttentionDropout}.");
        Require(Enum.IsDefined(Positions), $"Unknown positional encoding {Positions}.");
        Require(EffectiveRelativeMaxDistance >= 0, $"RelativeMaxDistance must be ≥ 0, got {RelativeMaxDistance}.");
        Require(ClassCount >= 0, $"ClassCount must be ≥ 0, got {ClassCount}.");
        Require((ClassCount == 0) == (Conditioning == LabelConditioning.None),
            $"ClassCount {ClassCount} and Conditioning {Conditioning} disagree: a conditional model needs both, an unconditional one neither.");
        Require(Conditioning is >= LabelConditioning.None and <= LabelConditioning.PrefixAndCrossAttention, $"Unknown conditioning {Conditioning}.");
        Require(LabelContextTokens > 0, $"LabelContextTokens must be positive, got {LabelContextTokens}.");
        Require(LabelDropout >= 0 && LabelDropout <= 1, $"LabelDropout must be in [0, 1], got {LabelDropout}.");
        Require(LayerNormEps > 0, $"LayerNormEps must be positive, got {LayerNormEps}.");
    }

    /// <summary>The options as JSON (enums by name), e.g. for checkpoint metadata.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Options read back from <see cref="ToJson"/>'s output.</summary>
    /// <exception cref="JsonException">The text is not valid options JSON.</exception>
    public static GptOptions FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize<GptOptions>(json, Json) ?? throw new JsonException("GPT options JSON is null.");
    }
}
