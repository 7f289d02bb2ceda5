namespace Promptor.Genomics.Models.Gpt;

/// <summary>
/// Next-token metrics over a set of sequences: mean negative log-likelihood per predicted token in
/// nats and in bits (bits per base for DNA), and top-1 next-token ("reconstruction") accuracy.
/// </summary>
/// <param name="NatsPerToken">Mean cross-entropy, nats per token.</param>
/// <param name="Accuracy">Fraction of tokens whose most likely prediction is the true next token.</param>
/// <param name="Tokens">Number of predicted (non-pad) tokens.</param>
public readonly record struct LanguageModelMetrics(double NatsPerToken, double Accuracy, long Tokens)
{
    /// <summary>Mean cross-entropy in bits per token: nats / ln 2.</summary>
    public double BitsPerToken => NatsPerToken / Math.Log(2);

    /// <summary>Perplexity <c>exp(nats per token)</c>.</summary>
    public double Perplexity => Math.Exp(NatsPerToken);
}
