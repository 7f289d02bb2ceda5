namespace Promptor.Genomics.Models.Seq2Seq;

/// <summary>A decoded output and its model log-probability.</summary>
/// <param name="Tokens">Output ids after the begin token, ending with the end token when decoding finished before the length limit.</param>
/// <param name="LogProbability">Natural-log probability of <paramref name="Tokens"/> under the model, <c>Σ log p(y_t | y_&lt;t, x)</c>.</param>
public sealed record Seq2SeqHypothesis(int[] Tokens, double LogProbability)
{
    /// <summary>
    /// Length-normalised score <c>log p / |y|^α</c> (α = 0: raw log-probability; α = 1: mean
    /// log-probability per token), |y| counting the end token.
    /// </summary>
    public double Score(double lengthPenalty) => Seq2SeqDecoder.Normalise(LogProbability, Tokens.Length, lengthPenalty);
}
