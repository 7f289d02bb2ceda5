using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Genomics.Models.Gpt;

/// <summary>
/// Autoregressive sampling from a <see cref="Gpt"/>: temperature, top-k and top-p (nucleus)
/// filtering, greedy decoding at temperature 0, an end token, a batch of prompts (of any lengths:
/// a longer prompt's tokens are fed while shorter ones already sample), optional class labels
/// with classifier-free guidance, with or without a KV cache. Sequences longer than the context
/// keep their last <c>T_max</c> tokens (nanoGPT's crop), which costs a full window per step. The
/// model runs in evaluation mode during sampling and gets its previous mode back afterwards.
/// Draws come only from the given <see cref="Generator"/> (one uniform per sampled token, none
/// when greedy), so a seed reproduces the samples.
/// </summary>
public sealed class GptSampler
{
    /// <summary>Creates a sampler for <paramref name="model"/>; <paramref name="options"/> default to <see cref="SamplingOptions"/>'s defaults.</summary>
    public GptSampler(Gpt model, SamplingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new SamplingOptions();
        options.Validate();
        if (options.EndToken is { } end && (uint)end >= (uint)model.Options.VocabSize)
        {
            throw new ArgumentException($"End token {end} is outside the vocabulary [0, {model.Options.VocabSize}).", nameof(options));
        }
        if (options.SuppressedTokens is { } suppressed)
        {
            foreach (int token in suppressed)
            {
                if ((uint)token >= (uint)model.Options.VocabSize)
                {
                    throw new ArgumentException($"Suppressed token {token} is outside the vocabulary [0, {model.Options.VocabSize}).", nameof(options));
                }
            }
            if (suppressed.Distinct().Count() >= model.Options.VocabSize)
            {
                throw new ArgumentException("Every token of the vocabulary is suppressed: nothing can be sampled.", nameof(options));
            }
        }
        Model = model;
        Options = options;
    }

    /// <summary>The model sampled from.</summary>
    public Gpt Model { get; }

    /// <summary>The sampling options.</summary>
    public SamplingOptions Options { get; }

    /// <summary>
    /// Continues every prompt by up to <see cref="SamplingOptions.MaxNewTokens"/> tokens, stopping a
    /// sequence early at the end token. Returns each prompt followed by its new tokens (the end
    /// token included when it was sampled).
    /// </summary>
    /// <param name="prompts">B non-empty prompts (e.g. a begin token each) of ids in <c>[0, V)</c>.</param>
    /// <param name="generator">The source of randomness.</param>
    /// <param name="labels">B labels for a conditional model (null: the null label); required with guidance.</param>
    public int[][] Generate(IReadOnlyList<int[]> prompts, Generator generator, IReadOnlyList<int>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(generator);
        int n = prompts.Count;
        if (n == 0)
        {
            return [];
        }
        foreach (var p in prompts)
        {
            if (p is null || p.Length == 0)
            {
                throw new ArgumentException("Every prompt needs at least one token (e.g. a begin token).", nameof(prompts));
            }
        }
        if (labels is not null && labels.Count != n)
        {
            throw new ArgumentException($"Expected {n} labels, got {labels.Count}.", nameof(labels));
        }
        if (Options.MaxNewTokens == 0)
        {
            return prompts.Select(p => (int[])p.Clone()).ToArray();
        }
        bool guided = Options.GuidanceScale is not null;
        if (guided && labels is null)
        {
            throw new ArgumentException("Classifier-free guidance needs labels.", nameof(labels));
        }
        int rows = guided ? 2 * n : n;
        int[]? rowLabels = labels is null ? null
            : guided ? [.. labels, .. Enumerable.Repeat(Model.Options.NullLabel, n)] : labels.ToArray();

        var history = prompts.Select(p => new List<int>(p)).ToArray();      // every token fed or to be fed, per sequence
        var output = prompts.Select(p => new List<int>(p)).ToArray();
        var generated = new int[n];
        var done = new bool[n];
        int filler = Options.EndToken ?? 0;
        int start = prompts.Min(p => p.Length);

        bool wasTraining = Model.IsTraining;
        Model.Eval();
        try
        {
            // The weights stay fixed while sampling: each is packed for the matrix products once.
            using var frozen = Ops.FreezeWeights();
            var cache = Options.UseKvCache ? Model.CreateCache(rows, rowLabels) : null;
            var logits = NextLogits(history, start, start, cache, rowLabels, n);   // (n, V)
            int v = Model.Options.VocabSize;
            for (int position = start; ; position++)
            {
                for (int i = 0; i < n; i++)
                {
                    if (position < prompts[i].Length)
                    {
                        continue;                                            // still feeding its prompt
                    }
                    int token = filler;
                    if (!done[i])
                    {
                        Span<float> row = logits.Data.AsSpan(i * v, v);
                        Suppress(row, Options.SuppressedTokens);
                        token = SampleToken(row, Options, generator);
                        output[i].Add(token);
                        generated[i]++;
                        done[i] = token == Options.EndToken || generated[i] >= Options.MaxNewTokens;
                    }
                    history[i].Add(token);
                }
                if (done.All(d => d) && prompts.All(p => p.Length <= position + 1))
                {
                    break;
                }
                logits = NextLogits(history, position + 1, 1, cache, rowLabels, n);
            }
        }
        finally
        {
            Model.Train(wasTraining);
        }
        return output.Select(o => o.ToArray()).ToArray();
    }

    /// <summary>
    /// The last position's logits <c>(n, V)</c> after the first <paramref name="length"/> tokens of
    /// every history, of which the last <paramref name="fresh"/> have not been fed yet (guided: the
    /// combination of the conditional and null-label rows).
    /// </summary>
    private Tensor NextLogits(List<int>[] history, int length, int fresh, GptKvCache? cache, int[]? rowLabels, int n)
    {
        int rows = rowLabels?.Length ?? n;
        int window = Math.Min(length, Model.Options.ContextLength);
        Tensor all;
        if (cache is not null && cache.Length == length - fresh && length <= cache.Capacity)
        {
            all = Model.ForwardIncremental(Rows(history, rows, length - fresh, fresh), cache);
        }
        else if (cache is not null)
        {
            cache.Reset();                                                    // past the context: re-encode the window
            all = Model.ForwardIncremental(Rows(history, rows, length - window, window), cache);
        }
        else
        {
            using (Tape.NoGrad())
            {
                all = Model.Forward(Rows(history, rows, length - window, window), rows, rowLabels);
            }
        }
        var last = all.Slice(1, all.Shape[1] - 1, 1).Reshape(rows, Model.Options.VocabSize);
        return rows == n ? last : Guide(last.Slice(0, 0, n), last.Slice(0, n, n), Options.GuidanceScale!.Value);
    }

    private static int[] Rows(List<int>[] history, int rows, int start, int count)
    {
        var ids = new int[rows * count];
        for (int r = 0; r < rows; r++)
        {
            var h = history[r % history.Length];
            for (int t = 0; t < count; t++)
            {
                ids[r * count + t] = h[start + t];
            }
        }
        return ids;
    }

    /// <summary>Sets the logits of <paramref name="tokens"/> to −∞ so that no sampling rule can pick them.</summary>
    private static void Suppress(Span<float> logits, IReadOnlyList<int>? tokens)
    {
        if (tokens is null)
        {
            return;
        }
        foreach (int token in tokens)
        {
            logits[token] = float.NegativeInfinity;
        }
    }

    /// <summary>Classifier-free guidance: <c>uncond + w·(cond − uncond)</c>, any matching shapes (not recorded).</summary>
    public static Tensor Guide(Tensor conditional, Tensor unconditional, float scale)
    {
        ArgumentNullException.ThrowIfNull(conditional);
        ArgumentNullException.ThrowIfNull(unconditional);
        using (Tape.NoGrad())
        {
            return unconditional + (conditional - unconditional) * scale;
        }
    }

    /// <summary>
    /// Guided next-token logits <c>(B, T, V)</c> of <paramref name="ids"/> <c>(B, T)</c>:
    /// <see cref="Guide"/> of the model's logits under <paramref name="labels"/> and under the
    /// null label, computed as one batch of 2B. w = 0 gives the unconditional logits, w = 1 the
    /// conditional ones.
    /// </summary>
    public static Tensor GuidedLogits(Gpt model, int[] ids, int batch, int[] labels, float scale)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(labels);
        using (Tape.NoGrad())
        {
            var both = model.Forward([.. ids, .. ids], 2 * batch, [.. labels, .. Enumerable.Repeat(model.Options.NullLabel, batch)]);
            return Guide(both.Slice(0, 0, batch), both.Slice(0, batch, batch), scale);
        }
    }

    /// <summary>
    /// The distribution sampled from for one position's <paramref name="logits"/> <c>(V)</c>:
    /// softmax of logits / temperature restricted to the top-k tokens, then to the nucleus (the
    /// smallest set of most likely tokens whose probability reaches top-p), renormalised.
    /// Temperature 0 puts all mass on the argmax (the first one on ties).
    /// </summary>
    public static float[] Distribution(ReadOnlySpan<float> logits, float temperature = 1f, int? topK = null, float? topP = null)
    {
        int v = logits.Length;
        if (v == 0)
        {
            throw new ArgumentException("No logits.", nameof(logits));
        }
        new SamplingOptions { Temperature = temperature, TopK = topK, TopP = topP }.Validate();
        var p = new float[v];
        if (temperature == 0)
        {
            p[System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits)] = 1f;
            return p;
        }
        var order = Enumerable.Range(0, v).ToArray();
        var keys = logits.ToArray();
        Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[b].CompareTo(keys[a]) : a.CompareTo(b)); // descending, stable
        int kept = Math.Min(topK ?? v, v);
        double max = keys[order[0]], sum = 0;
        var e = new double[v];
        for (int r = 0; r < kept; r++)
        {
            int i = order[r];
            e[i] = Math.Exp((keys[i] - max) / temperature);
            sum += e[i];
        }
        if (topP is { } top && top < 1)
        {
            double cumulative = 0;
            int nucleus = 0;
            while (nucleus < kept && cumulative < top * sum)
            {
                cumulative += e[order[nucleus++]];
            }
            for (int r = nucleus; r < kept; r++)
            {
                e[order[r]] = 0;
            }
            kept = nucleus;
            sum = cumulative;
        }
        for (int r = 0; r < kept; r++)
        {
            p[order[r]] = (float)(e[order[r]] / sum);
        }
        return p;
    }

    /// <summary>
    /// Draws one token from <see cref="Distribution"/> of <paramref name="logits"/> under
    /// <paramref name="options"/> (temperature, top-k, top-p) by inverting its cumulative sum with one
    /// uniform from <paramref name="generator"/>; greedy (temperature 0) draws nothing.
    /// </summary>
    public static int SampleToken(ReadOnlySpan<float> logits, SamplingOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        var p = Distribution(logits, options.Temperature, options.TopK, options.TopP);
        if (options.Temperature == 0)
        {
            return Array.IndexOf(p, 1f);
        }
        double u = generator.NextDouble(), cumulative = 0;
        int last = 0;
        for (int i = 0; i < p.Length; i++)
        {
            if (p[i] > 0)
            {
                cumulative += p[i];
                last = i;
                if (u < cumulative)
                {
                    return i;
                }
            }
        }
        return last;                                                          // rounding left u above the total
    }
}
