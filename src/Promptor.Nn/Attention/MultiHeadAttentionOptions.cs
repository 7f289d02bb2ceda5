namespace Promptor.Nn.Attention;

/// <summary>
/// Options of <see cref="MultiHeadAttention"/>, mirroring <c>torch.nn.MultiheadAttention</c>.
/// </summary>
public sealed record MultiHeadAttentionOptions
{
    /// <summary>Model width E of queries and outputs. Required, divisible by <see cref="Heads"/>.</summary>
    public required int EmbedDim { get; init; }

    /// <summary>Number of heads H (1 gives single-head attention). Default 1.</summary>
    public int Heads { get; init; } = 1;

    /// <summary>Width of the key input; null (default) means <see cref="EmbedDim"/>.</summary>
    public int? KeyDim { get; init; }

    /// <summary>Width of the value input; null (default) means <see cref="EmbedDim"/>.</summary>
    public int? ValueDim { get; init; }

    /// <summary>Learned biases on the input and output projections. Default true.</summary>
    public bool Bias { get; init; } = true;

    /// <summary>Dropout probability on the attention weights in training. Default 0.</summary>
    public float Dropout { get; init; }

    /// <summary>
    /// Use separate <c>q_proj_weight</c>/<c>k_proj_weight</c>/<c>v_proj_weight</c> instead of one packed
    /// <c>in_proj_weight</c>. Forced on when key or value widths differ from <see cref="EmbedDim"/>
    /// (as PyTorch does). Default false.
    /// </summary>
    public bool SeparateProjections { get; init; }

    /// <summary>Effective key width.</summary>
    public int KeyWidth => KeyDim ?? EmbedDim;

    /// <summary>Effective value width.</summary>
    public int ValueWidth => ValueDim ?? EmbedDim;

    /// <summary>True when the projections are stored separately.</summary>
    public bool UsesSeparateProjections => SeparateProjections || KeyWidth != EmbedDim || ValueWidth != EmbedDim;

    /// <summary>Throws when the options are inconsistent.</summary>
    public void Validate()
    {
        if (EmbedDim <= 0 || Heads <= 0 || EmbedDim % Heads != 0)
        {
            throw new ArgumentException($"Multi-head attention needs EmbedDim > 0 divisible by Heads > 0; got EmbedDim={EmbedDim}, Heads={Heads}.");
        }
        if (KeyWidth <= 0 || ValueWidth <= 0)
        {
            throw new ArgumentException($"Key and value widths must be positive; got {KeyWidth} and {ValueWidth}.");
        }
        if (!(Dropout >= 0 && Dropout < 1))
        {
            throw new ArgumentException($"Attention dropout must be in [0, 1); got {Dropout}.");
        }
    }
}
