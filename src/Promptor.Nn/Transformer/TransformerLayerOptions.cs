namespace Promptor.Nn.Transformer;

/// <summary>Activation of the feed-forward sublayer.</summary>
public enum FeedForwardActivation
{
    /// <summary><c>max(x, 0)</c> (PyTorch's default).</summary>
    Relu,

    /// <summary>Exact (erf) GELU.</summary>
    Gelu,
}

/// <summary>
/// Options of one transformer encoder or decoder layer, mirroring
/// <c>nn.TransformerEncoderLayer</c>/<c>nn.TransformerDecoderLayer</c> with <c>batch_first=True</c>.
/// </summary>
public sealed record TransformerLayerOptions
{
    /// <summary>Model width d. Required, divisible by <see cref="Heads"/>.</summary>
    public required int ModelDim { get; init; }

    /// <summary>Attention heads. Default 8.</summary>
    public int Heads { get; init; } = 8;

    /// <summary>Hidden width of the feed-forward sublayer; null (default) means 4·d.</summary>
    public int? FeedForwardDim { get; init; }

    /// <summary>Dropout on attention weights, residual branches and the feed-forward hidden layer. Default 0.1.</summary>
    public float Dropout { get; init; } = 0.1f;

    /// <summary>
    /// Dropout on the attention weights; null (default) means <see cref="Dropout"/>. Zero keeps the
    /// fused attention kernel in training (dropping weights needs the materialised T×T path).
    /// </summary>
    public float? AttentionDropout { get; init; }

    /// <summary>Effective attention-weight dropout.</summary>
    public float AttentionDropoutRate => AttentionDropout ?? Dropout;

    /// <summary>Feed-forward activation. Default ReLU.</summary>
    public FeedForwardActivation Activation { get; init; } = FeedForwardActivation.Relu;

    /// <summary>
    /// Pre-LN (normalise before each sublayer, as GPT-2) when true; post-LN (normalise after the
    /// residual sum, as "Attention Is All You Need") when false (the default).
    /// </summary>
    public bool NormFirst { get; init; }

    /// <summary>Layer-norm epsilon. Default 1e-5.</summary>
    public float LayerNormEps { get; init; } = 1e-5f;

    /// <summary>Effective feed-forward width.</summary>
    public int FeedForwardWidth => FeedForwardDim ?? 4 * ModelDim;

    /// <summary>Throws when the options are inconsistent.</summary>
    public void Validate()
    {
        if (ModelDim <= 0 || Heads <= 0 || ModelDim % Heads != 0)
        {
            throw new ArgumentException($"Transformer layer needs ModelDim > 0 divisible by Heads > 0; got ModelDim={ModelDim}, Heads={Heads}.");
        }
        if (FeedForwardWidth <= 0)
        {
            throw new ArgumentException($"Feed-forward width must be positive, got {FeedForwardWidth}.");
        }
        if (!(Dropout >= 0 && Dropout < 1) || !(AttentionDropoutRate >= 0 && AttentionDropoutRate < 1))
        {
            throw new ArgumentException($"Dropout must be in [0, 1), got {Dropout} (attention {AttentionDropoutRate}).");
        }
    }
}
