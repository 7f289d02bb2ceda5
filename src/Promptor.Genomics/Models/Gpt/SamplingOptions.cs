namespace Promptor.Genomics.Models.Gpt;

/// <summary>Options of <see cref="GptSampler"/>.</summary>
public sealed record SamplingOptions
{
    /// <summary>Tokens to generate per sequence after its prompt (≥ 0). Default 128.</summary>
    public int MaxNewTokens { get; init; } = 128;

    /// <summary>Softmax temperature (≥ 0); 0 means greedy decoding (argmax, first on ties). Default 1.</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Keep only the k most likely tokens (ties broken by lower id); null (default) keeps all.</summary>
    public int? TopK { get; init; }

    /// <summary>Nucleus sampling: keep the smallest set of most likely tokens whose probability reaches p, in (0, 1]; null (default) keeps all.</summary>
    public float? TopP { get; init; }

    /// <summary>A token that ends a sequence when sampled (it is kept in the output); null (default) for none.</summary>
    public int? EndToken { get; init; }

    /// <summary>
    /// Tokens never sampled: their logits are set to −∞ before temperature, top-k and top-p
    /// (e.g. padding, begin-of-sequence and unknown tokens, which a trained model should not
    /// emit but which classifier-free guidance can amplify from tiny logit differences). Null
    /// (default) suppresses nothing. May not contain <see cref="EndToken"/>.
    /// </summary>
    public IReadOnlyList<int>? SuppressedTokens { get; init; }

    /// <summary>Decode incrementally with a <see cref="GptKvCache"/> (default true); false recomputes the whole window every step.</summary>
    public bool UseKvCache { get; init; } = true;

    /// <summary>
    /// Classifier-free guidance weight w: logits = uncond + w·(cond − uncond), uncond being the
    /// null label's. Null (default) samples from the conditional model directly. Needs labels.
    /// </summary>
    public float? GuidanceScale { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (MaxNewTokens < 0)
        {
            throw new ArgumentException($"MaxNewTokens must be ≥ 0, got {MaxNewTokens}.");
        }
        if (!(Temperature >= 0 && float.IsFinite(Temperature)))
        {
            throw new ArgumentException($"Temperature must be finite and ≥ 0, got {Temperature}.");
        }
        if (TopK is < 1)
        {
            throw new ArgumentException($"TopK must be ≥ 1, got {TopK}.");
        }
        if (TopP is { } p && !(p > 0 && p <= 1))
        {
            throw new ArgumentException($"TopP must be in (0, 1], got {p}.");
        }
        if (GuidanceScale is { } w && !float.IsFinite(w))
        {
            throw new ArgumentException($"GuidanceScale must be finite, got {w}.");
        }
        if (SuppressedTokens is { } suppressed && EndToken is { } end && suppressed.Contains(end))
        {
            throw new ArgumentException($"SuppressedTokens contains the end token {end}.");
        }
    }
}
