using Promptor.Nn;
using Promptor.Nn.Attention;
using Promptor.Nn.Init;
using Promptor.Nn.Layers;
using Promptor.Nn.Positional;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Genomics.Models.Gpt;

/// <summary>
/// A decoder-only transformer language model (GPT) over token ids <c>(B, T)</c> giving next-token
/// logits <c>(B, T, V)</c>. Its structure and parameter names are those of TinyGPT in the PyTorch
/// reference benchmark, so weights move between the two: <c>tok.weight</c> <c>(V, d)</c>,
/// <c>pos.weight</c> <c>(T_max, d)</c>, <c>blocks.{i}.{ln1, attn.qkv, attn.proj, ln2, mlp.0, mlp.2}.*</c>,
/// <c>ln.*</c>, <c>head.weight</c> <c>(V, d)</c> (TinyGPT's buffer <c>mask</c> is not a parameter:
/// load its state dict with <c>strict: false</c> or without that key). Optional parts: sinusoidal,
/// relative or no positions; post-LN blocks; weight tying; class labels as a prefix
/// (<c>label.weight</c> <c>(C + 1, d)</c>) and/or as cross-attention context
/// (<c>label_context.weight</c> <c>(C + 1, K·d)</c>), label C being the null label used for
/// classifier-free guidance. Initialised as GPT-2: weights <c>N(0, 0.02²)</c> (residual output
/// projections <c>N(0, (0.02/√(2·blocks))²)</c>), biases 0, norms 1/0.
/// </summary>
public sealed class Gpt : Module
{
    private readonly Generator labelDropoutGenerator;

    /// <summary>Builds the model, initialised from <paramref name="generator"/>.</summary>
    public Gpt(GptOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        options.Validate();
        Options = options;
        int d = options.ModelDim;
        TokenEmbedding = RegisterModule("tok", new Embedding(options.VocabSize, d, generator));
        Positions = RegisterModule("pos", PositionalEncoding.Create(options.Positions, d, options.ContextLength, generator));
        EmbeddingDropout = RegisterModule("drop", new Dropout(options.Dropout, generator));
        if (options.Conditioning.HasFlag(LabelConditioning.Prefix))
        {
            LabelEmbedding = RegisterModule("label", new Embedding(options.ClassCount + 1, d, generator));
        }
        if (options.Conditioning.HasFlag(LabelConditioning.CrossAttention))
        {
            LabelContext = RegisterModule("label_context", new Embedding(options.ClassCount + 1, options.LabelContextTokens * d, generator));
        }
        Blocks = RegisterModule("blocks", new ModuleList<GptBlock>(Enumerable.Range(0, options.Blocks).Select(_ => new GptBlock(options, generator)).ToList()));
        if (options.NormFirst)
        {
            FinalNorm = RegisterModule("ln", new LayerNorm(d, options.LayerNormEps));
        }
        Head = options.TieWeights
            ? RegisterModule("head", new TiedLinear(TokenEmbedding.Weight))
            : RegisterModule("head", new Linear(d, options.VocabSize, generator, bias: false));
        labelDropoutGenerator = new Generator(generator.NextUInt64());
        InitialiseGpt2(generator);
    }

    /// <summary>The options this model was built with.</summary>
    public GptOptions Options { get; }

    /// <summary>Token embedding <c>tok</c> <c>(V, d)</c>.</summary>
    public Embedding TokenEmbedding { get; }

    /// <summary>The absolute positional encoding <c>pos</c> (the identity for relative or no positions).</summary>
    public PositionalEncoding Positions { get; }

    /// <summary>Dropout on the summed embeddings.</summary>
    public Dropout EmbeddingDropout { get; }

    /// <summary>Label prefix embedding <c>label</c> <c>(C + 1, d)</c>, added at position 0, or null.</summary>
    public Embedding? LabelEmbedding { get; }

    /// <summary>Label context embedding <c>label_context</c> <c>(C + 1, K·d)</c> for cross-attention, or null.</summary>
    public Embedding? LabelContext { get; }

    /// <summary>The blocks <c>blocks.0 …</c>.</summary>
    public ModuleList<GptBlock> Blocks { get; }

    /// <summary>The final norm <c>ln</c> (pre-LN models), or null.</summary>
    public LayerNorm? FinalNorm { get; }

    /// <summary>The output head <c>head</c> d → V without bias: a <see cref="Linear"/>, or a <see cref="TiedLinear"/> sharing <c>tok.weight</c>.</summary>
    public Module Head { get; }

    /// <summary>Next-token logits <c>(B, T, V)</c> for <paramref name="ids"/> <c>(B, T)</c> row-major.</summary>
    /// <param name="ids">B·T token ids in <c>[0, V)</c>, T ≤ the context length.</param>
    /// <param name="batch">B (≥ 1, dividing the number of ids).</param>
    /// <param name="labels">B labels in <c>[0, C]</c> (C = null label) for conditional models; null means all null. Must be null for unconditional models.</param>
    public Tensor Forward(int[] ids, int batch, int[]? labels = null) => Run(ids, batch, labels, needWeights: false).Logits;

    /// <summary>
    /// As <see cref="Forward"/>, also returning every block's self-attention weights
    /// <c>(B, H, T, T)</c> (the materialised attention path runs).
    /// </summary>
    public (Tensor Logits, IReadOnlyList<Tensor> Attention) ForwardWithAttention(int[] ids, int batch, int[]? labels = null)
    {
        var (logits, weights) = Run(ids, batch, labels, needWeights: true);
        return (logits, weights!);
    }

    /// <summary>
    /// A cache for incrementally decoding <paramref name="batch"/> sequences with the given
    /// <paramref name="labels"/> (as in <see cref="Forward"/>; no label dropout is applied).
    /// </summary>
    public GptKvCache CreateCache(int batch, int[]? labels = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        var resolved = ResolveLabels(labels, batch, dropout: false);
        Tensor? context;
        using (Tape.NoGrad())
        {
            context = LabelContextOf(resolved, batch);
        }
        return new GptKvCache(Options, batch, resolved, context);
    }

    /// <summary>
    /// Logits <c>(B, n, V)</c> of <paramref name="ids"/> <c>(B, n)</c>, the next n tokens of the
    /// cached sequences, encoded at positions <c>cache.Length ..</c>; their keys and values are
    /// appended to <paramref name="cache"/>. Equal (up to rounding) to the last n positions of
    /// <see cref="Forward"/> on the whole sequences. Never records gradients. Dropout follows the
    /// training mode, so call <see cref="Module.Eval"/> first for deterministic decoding.
    /// </summary>
    /// <exception cref="ArgumentException">The ids do not fit the cache's batch, or the cache would exceed the context length.</exception>
    public Tensor ForwardIncremental(int[] ids, GptKvCache cache)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(cache);
        if (cache.Layers != Options.Blocks || cache.Heads != Options.Heads || cache.HeadDim != Options.HeadDim || cache.Capacity != Options.ContextLength)
        {
            throw new ArgumentException("The cache was made for a different model.", nameof(cache));
        }
        int batch = cache.Batch;
        int n = CheckIds(ids, batch);
        if (cache.Length + n > cache.Capacity)
        {
            throw new ArgumentException($"{n} new tokens after {cache.Length} cached ones exceed the context length {cache.Capacity}.", nameof(ids));
        }
        using (Tape.NoGrad())
        {
            var x = Embed(ids, batch, n, cache.Labels?.ToArray(), cache.Length);
            for (int l = 0; l < Blocks.Count; l++)
            {
                x = Blocks[l].ForwardIncremental(x, cache.Context, cache, l);
            }
            cache.Advance(n);
            return Logits(x);
        }
    }

    private (Tensor Logits, List<Tensor>? Weights) Run(int[] ids, int batch, int[]? labels, bool needWeights)
    {
        ArgumentNullException.ThrowIfNull(ids);
        int t = CheckIds(ids, batch);
        var resolved = ResolveLabels(labels, batch, dropout: true);
        var x = Embed(ids, batch, t, resolved, 0);                            // (B, T, d)
        var context = LabelContextOf(resolved, batch);                        // (B, K, d) or null
        var weights = needWeights ? new List<Tensor>() : null;
        foreach (var block in Blocks.Items)
        {
            var (y, w) = block.Forward(x, context, needWeights);
            if (!IsTraining && !ReferenceEquals(x, y))
            {
                Ops.Recycle(x);       // the residual stream between blocks is this model's own (no-op on a tape)
            }
            x = y;
            weights?.Add(w!);
        }
        return (Logits(x), weights);
    }

    private Tensor Embed(int[] ids, int batch, int length, int[]? labels, int offset)
    {
        var x = TokenEmbedding.Forward(ids, batch, length);                   // (B, T, d)
        if (LabelEmbedding is not null && offset == 0)
        {
            var label = LabelEmbedding.Forward(labels!, batch, 1);            // (B, 1, d)
            x = length == 1 ? x + label : Ops.Concat([x.Slice(1, 0, 1) + label, x.Slice(1, 1, length - 1)], 1);
        }
        return EmbeddingDropout.Forward(Positions.Forward(x, offset));
    }

    private Tensor? LabelContextOf(int[]? labels, int batch) =>
        LabelContext is null ? null : LabelContext.Forward(labels!, batch).Reshape(batch, Options.LabelContextTokens, Options.ModelDim);

    private Tensor Logits(Tensor x)
    {
        if (FinalNorm is not null)
        {
            x = FinalNorm.Forward(x);
        }
        return ((IModule)Head).Forward(x);                                    // (B, T, V)
    }

    private int CheckIds(int[] ids, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (ids.Length == 0 || ids.Length % batch != 0)
        {
            throw new ArgumentException($"{ids.Length} ids do not form {batch} non-empty rows.", nameof(ids));
        }
        int t = ids.Length / batch;
        if (t > Options.ContextLength)
        {
            throw new ArgumentException($"Sequence length {t} exceeds the context length {Options.ContextLength}.", nameof(ids));
        }
        foreach (int id in ids)
        {
            if ((uint)id >= (uint)Options.VocabSize)
            {
                throw new ArgumentException($"Token id {id} is outside the vocabulary [0, {Options.VocabSize}).", nameof(ids));
            }
        }
        return t;
    }

    private int[]? ResolveLabels(int[]? labels, int batch, bool dropout)
    {
        if (Options.Conditioning == LabelConditioning.None)
        {
            return labels is null ? null : throw new ArgumentException("This model is unconditional; pass no labels.", nameof(labels));
        }
        if (labels is not null && labels.Length != batch)
        {
            throw new ArgumentException($"Expected {batch} labels, got {labels.Length}.", nameof(labels));
        }
        var resolved = labels is null ? Enumerable.Repeat(Options.NullLabel, batch).ToArray() : (int[])labels.Clone();
        foreach (int label in resolved)
        {
            if ((uint)label > (uint)Options.ClassCount)
            {
                throw new ArgumentException($"Label {label} is outside [0, {Options.ClassCount}] ({Options.ClassCount} = null label).", nameof(labels));
            }
        }
        if (dropout && IsTraining && Options.LabelDropout > 0)
        {
            for (int i = 0; i < resolved.Length; i++)
            {
                if (labelDropoutGenerator.NextSingle() < Options.LabelDropout)
                {
                    resolved[i] = Options.NullLabel;
                }
            }
        }
        return resolved;
    }

    private void InitialiseGpt2(Generator generator)
    {
        const double std = 0.02;
        double residualStd = std / Math.Sqrt(2.0 * Math.Max(1, Options.Blocks));
        foreach (var (name, module) in NamedModules())
        {
            switch (module)
            {
                case Linear linear:
                    bool residual = name.EndsWith(".attn.proj", StringComparison.Ordinal)
                        || name.EndsWith(".mlp.2", StringComparison.Ordinal)
                        || name.EndsWith(".xattn.out_proj", StringComparison.Ordinal);
                    Initializers.Normal(linear.Weight, generator, 0, residual ? residualStd : std);
                    if (linear.Bias is not null)
                    {
                        Initializers.Zeros(linear.Bias);
                    }
                    break;
                case Embedding embedding:
                    Initializers.Normal(embedding.Weight, generator, 0, std);
                    break;
                case LearnedPositionalEmbedding positions:
                    Initializers.Normal(positions.Weight, generator, 0, std);
                    break;
                case MultiHeadAttention attention when attention.InProjWeight is not null:
                    Initializers.Normal(attention.InProjWeight, generator, 0, std);
                    break;
            }
        }
    }
}
