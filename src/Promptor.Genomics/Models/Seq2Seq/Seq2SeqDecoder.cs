using Promptor.Genomics.Tokenization;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Genomics.Models.Seq2Seq;

/// <summary>
/// Decoding of a <see cref="Seq2SeqTransformer"/>: greedy (one source or a batch) and beam search
/// with length normalisation. Both never emit the pad or begin token, stop a hypothesis at the end
/// token, and stop at <c>maxLength</c> output tokens (at most the model's target length). The model
/// runs in evaluation mode and gets its previous mode back. Both are deterministic: ties go to the
/// lower token id (and, in beam search, to the earlier beam), so beam search of width 1 is greedy
/// decoding exactly.
/// </summary>
public static class Seq2SeqDecoder
{
    /// <summary>Length-normalised score <c>logProbability / length^lengthPenalty</c> (length ≥ 1).</summary>
    public static double Normalise(double logProbability, int length, double lengthPenalty) =>
        lengthPenalty == 0 ? logProbability : logProbability / Math.Pow(Math.Max(1, length), lengthPenalty);

    /// <summary>Greedy decoding of one source (ids without special tokens).</summary>
    public static Seq2SeqHypothesis Greedy(Seq2SeqTransformer model, int[] source, int? maxLength = null) =>
        GreedyBatch(model, [source], maxLength)[0];

    /// <summary>Greedy decoding of many sources at once (padded into one batch).</summary>
    /// <param name="model">The model.</param>
    /// <param name="sources">Source id sequences without special tokens.</param>
    /// <param name="maxLength">Output tokens at most (end token included); default and cap: the model's target length.</param>
    public static IReadOnlyList<Seq2SeqHypothesis> GreedyBatch(Seq2SeqTransformer model, IReadOnlyList<int[]> sources, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0)
        {
            return [];
        }
        int limit = Limit(model, maxLength);
        int b = sources.Count;
        var outputs = Enumerable.Range(0, b).Select(_ => new List<int>()).ToArray();
        var logp = new double[b];
        var done = new bool[b];
        int v = model.Options.TargetVocabSize;
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using (Tape.NoGrad())
            {
                var batch = Seq2SeqBatch.Create(sources.Select(s => (s, Array.Empty<int>())).ToArray());
                var memory = model.Encode(batch.Source, b);
                for (int step = 0; step < limit && !done.All(d => d); step++)
                {
                    var input = new int[b * (step + 1)];
                    for (int r = 0; r < b; r++)
                    {
                        input[r * (step + 1)] = SpecialTokens.BeginId;
                        for (int t = 0; t < step; t++)
                        {
                            input[r * (step + 1) + 1 + t] = t < outputs[r].Count ? outputs[r][t] : SpecialTokens.PadId;
                        }
                    }
                    var logits = model.Decode(memory, input, b).Logits;                // (B, step + 1, V)
                    for (int r = 0; r < b; r++)
                    {
                        if (done[r])
                        {
                            continue;
                        }
                        var row = LogSoftmax(logits.Data.AsSpan((r * (step + 1) + step) * v, v));
                        int best = ArgMaxAllowed(row);
                        outputs[r].Add(best);
                        logp[r] += row[best];
                        done[r] = best == SpecialTokens.EndId;
                    }
                }
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
        return outputs.Select((o, r) => new Seq2SeqHypothesis(o.ToArray(), logp[r])).ToArray();
    }

    /// <summary>
    /// Beam search of width <paramref name="beamWidth"/> for one source. At every step each live
    /// hypothesis is extended by every allowed token; the <paramref name="beamWidth"/> extensions
    /// with the highest log-probability are kept, those ending in the end token leave the beam as
    /// finished hypotheses. Search ends when no live hypothesis is left or at the length limit
    /// (live hypotheses then finish unterminated). Returns the finished hypotheses, best first by
    /// <see cref="Seq2SeqHypothesis.Score"/> with <paramref name="lengthPenalty"/> (ties: the earlier finished).
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="source">Source ids without special tokens.</param>
    /// <param name="beamWidth">Hypotheses kept per step (≥ 1).</param>
    /// <param name="lengthPenalty">α of the normalisation <c>log p / |y|^α</c>; default 1 (mean log-probability per token).</param>
    /// <param name="maxLength">Output tokens at most (end token included); default and cap: the model's target length.</param>
    public static IReadOnlyList<Seq2SeqHypothesis> BeamSearch(Seq2SeqTransformer model, int[] source, int beamWidth, double lengthPenalty = 1.0, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(beamWidth);
        if (!(lengthPenalty >= 0 && double.IsFinite(lengthPenalty)))
        {
            throw new ArgumentOutOfRangeException(nameof(lengthPenalty), lengthPenalty, "The length penalty must be finite and ≥ 0.");
        }
        int limit = Limit(model, maxLength);
        int v = model.Options.TargetVocabSize;
        var alive = new List<Seq2SeqHypothesis> { new([], 0) };
        var finished = new List<Seq2SeqHypothesis>();
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using (Tape.NoGrad())
            {
                var memory = model.Encode(source, 1);
                for (int step = 0; step < limit && alive.Count > 0; step++)
                {
                    int k = alive.Count;
                    var input = new int[k * (step + 1)];
                    for (int r = 0; r < k; r++)
                    {
                        input[r * (step + 1)] = SpecialTokens.BeginId;
                        alive[r].Tokens.CopyTo(input, r * (step + 1) + 1);
                    }
                    var logits = model.Decode(memory.Rows(new int[k]), input, k).Logits;   // (k, step + 1, V)
                    var candidates = new List<(double LogP, int Beam, int Token)>(k * v);
                    for (int r = 0; r < k; r++)
                    {
                        var row = LogSoftmax(logits.Data.AsSpan((r * (step + 1) + step) * v, v));
                        for (int token = 0; token < v; token++)
                        {
                            if (Allowed(token))
                            {
                                candidates.Add((alive[r].LogProbability + row[token], r, token));
                            }
                        }
                    }
                    candidates.Sort((a, c) => a.LogP != c.LogP ? c.LogP.CompareTo(a.LogP)
                        : a.Beam != c.Beam ? a.Beam.CompareTo(c.Beam) : a.Token.CompareTo(c.Token));
                    var next = new List<Seq2SeqHypothesis>(beamWidth);
                    foreach (var (logP, beam, token) in candidates.Take(beamWidth))
                    {
                        var hypothesis = new Seq2SeqHypothesis([.. alive[beam].Tokens, token], logP);
                        (token == SpecialTokens.EndId ? finished : next).Add(hypothesis);
                    }
                    alive = next;
                }
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
        finished.AddRange(alive);
        return finished.Select((h, i) => (h, i)).OrderByDescending(x => x.h.Score(lengthPenalty)).ThenBy(x => x.i).Select(x => x.h).ToArray();
    }

    /// <summary>
    /// The log-probability of <paramref name="output"/> (ids after the begin token; an end token, if
    /// any, last) given <paramref name="source"/>, by one teacher-forced pass.
    /// </summary>
    public static double LogProbability(Seq2SeqTransformer model, int[] source, int[] output)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);
        if (output.Length == 0)
        {
            return 0;
        }
        int v = model.Options.TargetVocabSize;
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using (Tape.NoGrad())
            {
                int[] input = [SpecialTokens.BeginId, .. output[..^1]];
                var logits = model.Forward(source, input, 1);
                double sum = 0;
                for (int t = 0; t < output.Length; t++)
                {
                    sum += LogSoftmax(logits.Data.AsSpan(t * v, v))[output[t]];
                }
                return sum;
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    private static int Limit(Seq2SeqTransformer model, int? maxLength)
    {
        if (maxLength is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "The output length limit must be ≥ 1.");
        }
        return Math.Min(maxLength ?? model.Options.MaxTargetLength, model.Options.MaxTargetLength);
    }

    private static bool Allowed(int token) => token != SpecialTokens.PadId && token != SpecialTokens.BeginId;

    private static int ArgMaxAllowed(double[] row)
    {
        int best = -1;
        for (int token = 0; token < row.Length; token++)
        {
            if (Allowed(token) && (best < 0 || row[token] > row[best]))
            {
                best = token;
            }
        }
        return best;
    }

    private static double[] LogSoftmax(ReadOnlySpan<float> logits)
    {
        double max = double.NegativeInfinity;
        foreach (float x in logits)
        {
            max = Math.Max(max, x);
        }
        double sum = 0;
        foreach (float x in logits)
        {
            sum += Math.Exp(x - max);
        }
        double log = max + Math.Log(sum);
        var result = new double[logits.Length];
        for (int i = 0; i < logits.Length; i++)
        {
            result[i] = logits[i] - log;
        }
        return result;
    }
}
