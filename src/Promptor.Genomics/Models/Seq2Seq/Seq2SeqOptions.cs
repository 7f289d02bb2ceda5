using System.Text.Json;
using System.Text.Json.Serialization;
using Promptor.Nn.Positional;
using Promptor.Nn.Transformer;

namespace Promptor.Genomics.Models.Seq2Seq;

/// <summary>
/// Options of <see cref="Seq2SeqTransformer"/>. The defaults are a small model for short DNA →
/// protein windows: d = 64, 4 heads, 2 encoder and 2 decoder pre-LN layers, feed-forward 4·d,
/// dropout 0.1, sinusoidal positions, source up to 192 tokens, target up to 64 (begin token included).
/// </summary>
public sealed record Seq2SeqOptions
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Source vocabulary size (ids in <c>[0, V_s)</c>). Required.</summary>
    public required int SourceVocabSize { get; init; }

    /// <summary>Target vocabulary size (ids in <c>[0, V_t)</c>, with begin and end tokens). Required.</summary>
    public required int TargetVocabSize { get; init; }

    /// <summary>Longest source S_max. Default 192.</summary>
    public int MaxSourceLength { get; init; } = 192;

    /// <summary>Longest decoder input T_max (the begin token and the outputs before the last). Default 64.</summary>
    public int MaxTargetLength { get; init; } = 64;

    /// <summary>Model width d, divisible by <see cref="Heads"/>. Default 64.</summary>
    public int ModelDim { get; init; } = 64;

    /// <summary>Attention heads. Default 4.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Encoder layers. Default 2.</summary>
    public int EncoderLayers { get; init; } = 2;

    /// <summary>Decoder layers. Default 2.</summary>
    public int DecoderLayers { get; init; } = 2;

    /// <summary>Feed-forward hidden width; null (default) means 4·d.</summary>
    public int? FeedForwardDim { get; init; }

    /// <summary>Dropout on embeddings, residual branches and feed-forward hidden units. Default 0.1.</summary>
    public float Dropout { get; init; } = 0.1f;

    /// <summary>Dropout on attention weights. Default 0 (keeps the fused attention kernel in training).</summary>
    public float AttentionDropout { get; init; }

    /// <summary>Absolute positions of source and target: sinusoidal (default), learned or none (relative is not supported here).</summary>
    public PositionalEncodingKind Positions { get; init; } = PositionalEncodingKind.Sinusoidal;

    /// <summary>Pre-LN layers (default true); false for post-LN as in the original transformer.</summary>
    public bool NormFirst { get; init; } = true;

    /// <summary>The transformer-layer options these options imply.</summary>
    [JsonIgnore]
    public TransformerLayerOptions LayerOptions => new()
    {
        ModelDim = ModelDim,
        Heads = Heads,
        FeedForwardDim = FeedForwardDim,
        Dropout = Dropout,
        AttentionDropout = AttentionDropout,
        NormFirst = NormFirst,
    };

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
        Require(SourceVocabSize > 0, $"SourceVocabSize must be positive, got {SourceVocabSize}.");
        Require(TargetVocabSize > 3, $"TargetVocabSize must exceed the 3 special tokens, got {TargetVocabSize}.");
        Require(MaxSourceLength > 0, $"MaxSourceLength must be positive, got {MaxSourceLength}.");
        Require(MaxTargetLength > 0, $"MaxTargetLength must be positive, got {MaxTargetLength}.");
        Require(EncoderLayers > 0 && DecoderLayers > 0, $"EncoderLayers and DecoderLayers must be positive, got {EncoderLayers} and {DecoderLayers}.");
        Require(Positions is PositionalEncodingKind.Sinusoidal or PositionalEncodingKind.Learned or PositionalEncodingKind.None,
            $"Positions must be Sinusoidal, Learned or None, got {Positions}.");
        LayerOptions.Validate();
    }

    /// <summary>The options as JSON (enums by name), e.g. for checkpoint metadata.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Options read back from <see cref="ToJson"/>'s output.</summary>
    /// <exception cref="JsonException">The text is not valid options JSON.</exception>
    public static Seq2SeqOptions FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize<Seq2SeqOptions>(json, Json) ?? throw new JsonException("Seq2seq options JSON is null.");
    }
}
