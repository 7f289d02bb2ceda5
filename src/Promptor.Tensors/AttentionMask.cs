namespace Promptor.Tensors;

/// <summary>
/// What attention may not look at. All parts combine: a causal mask (query i sees keys j ≤ i,
/// aligned top-left as in PyTorch's <c>is_causal</c>), a key-padding mask and an additive bias
/// (e.g. relative-position logits or a boolean mask turned into −∞ by <see cref="FromBoolean"/>).
/// </summary>
public sealed record AttentionMask
{
    /// <summary>Hide keys after the query position. Default false.</summary>
    public bool Causal { get; init; }

    /// <summary><c>(B, Tk)</c>; non-zero marks a padded key that no query may attend. Default none.</summary>
    public Tensor? KeyPadding { get; init; }

    /// <summary>Additive logits broadcastable to <c>(B, H, Tq, Tk)</c> whose last two dims are exactly <c>(Tq, Tk)</c>. Default none.</summary>
    public Tensor? Bias { get; init; }

    /// <summary>A causal mask.</summary>
    public static AttentionMask CausalMask { get; } = new() { Causal = true };

    /// <summary>
    /// Turns a 0/1 mask (non-zero = may NOT attend, PyTorch's boolean <c>attn_mask</c> convention
    /// inverted to match <see cref="KeyPadding"/>) into an additive bias of 0 and −∞.
    /// </summary>
    public static Tensor FromBoolean(Tensor blocked)
    {
        ArgumentNullException.ThrowIfNull(blocked);
        var bias = new Tensor(blocked.Shape);
        for (int i = 0; i < bias.Size; i++)
        {
            bias.Data[i] = blocked.Data[i] != 0 ? float.NegativeInfinity : 0f;
        }
        return bias;
    }
}
