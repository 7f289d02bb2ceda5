using Promptor.Nn;
using Promptor.Nn.Layers;
using Promptor.Nn.Positional;
using Promptor.Nn.Transformer;
using Promptor.Tensors;

namespace Promptor.Genomics.Models.Seq2Seq;

/// <summary>
/// An encoder–decoder transformer ("Attention Is All You Need") mapping a source token sequence
/// <c>(B, S)</c> to next-token logits over the target vocabulary <c>(B, T, V_t)</c>: source and
/// target embeddings plus absolute positions, an encoder stack, a causally masked decoder stack
/// whose cross-attention reads the encoded source, a final linear head. Parameters:
/// <c>src_tok.weight</c> <c>(V_s, d)</c>, <c>tgt_tok.weight</c> <c>(V_t, d)</c>, learned positions
/// <c>src_pos.weight</c>/<c>tgt_pos.weight</c> when chosen, <c>transformer.encoder.*</c> and
/// <c>transformer.decoder.*</c> as <see cref="EncoderDecoderTransformer"/>, <c>head.*</c> d → V_t.
/// Source tokens equal to the pad id 0 are hidden from attention.
/// </summary>
public sealed class Seq2SeqTransformer : Module
{
    /// <summary>The padding id of both vocabularies (0).</summary>
    public const int PadId = Tokenization.SpecialTokens.PadId;

    /// <summary>Builds the model, initialised from <paramref name="generator"/>.</summary>
    public Seq2SeqTransformer(Seq2SeqOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        options.Validate();
        Options = options;
        int d = options.ModelDim;
        SourceEmbedding = RegisterModule("src_tok", new Embedding(options.SourceVocabSize, d, generator));
        TargetEmbedding = RegisterModule("tgt_tok", new Embedding(options.TargetVocabSize, d, generator));
        SourcePositions = RegisterModule("src_pos", PositionalEncoding.Create(options.Positions, d, options.MaxSourceLength, generator));
        TargetPositions = RegisterModule("tgt_pos", PositionalEncoding.Create(options.Positions, d, options.MaxTargetLength, generator));
        EmbeddingDropout = RegisterModule("drop", new Dropout(options.Dropout, generator));
        Transformer = RegisterModule("transformer", new EncoderDecoderTransformer(options.LayerOptions, options.EncoderLayers, options.DecoderLayers, generator));
        Head = RegisterModule("head", new Linear(d, options.TargetVocabSize, generator));
    }

    /// <summary>The options this model was built with.</summary>
    public Seq2SeqOptions Options { get; }

    /// <summary>Source token embedding <c>(V_s, d)</c>.</summary>
    public Embedding SourceEmbedding { get; }

    /// <summary>Target token embedding <c>(V_t, d)</c>.</summary>
    public Embedding TargetEmbedding { get; }

    /// <summary>Source positions.</summary>
    public PositionalEncoding SourcePositions { get; }

    /// <summary>Target positions.</summary>
    public PositionalEncoding TargetPositions { get; }

    /// <summary>Dropout on the summed embeddings.</summary>
    public Dropout EmbeddingDropout { get; }

    /// <summary>The encoder and decoder stacks.</summary>
    public EncoderDecoderTransformer Transformer { get; }

    /// <summary>Output head d → V_t.</summary>
    public Linear Head { get; }

    /// <summary>
    /// Encodes <paramref name="source"/> <c>(B, S)</c> row-major (pad id 0 marks padding).
    /// </summary>
    /// <exception cref="ArgumentException">The ids do not form B rows of at most S_max, or an id is outside the vocabulary.</exception>
    public Seq2SeqMemory Encode(int[] source, int batch)
    {
        int s = CheckIds(source, batch, Options.SourceVocabSize, Options.MaxSourceLength, "source");
        Tensor? padding = null;
        if (Array.IndexOf(source, PadId) >= 0)
        {
            var mask = new float[source.Length];
            for (int i = 0; i < source.Length; i++)
            {
                mask[i] = source[i] == PadId ? 1f : 0f;
            }
            padding = Tensor.FromArray(mask, batch, s);
        }
        var x = EmbeddingDropout.Forward(SourcePositions.Forward(SourceEmbedding.Forward(source, batch, s)));
        var sourceMask = padding is null ? null : new AttentionMask { KeyPadding = padding };
        var states = Transformer.Encoder.Forward(x, sourceMask).Output;
        return new Seq2SeqMemory(states, padding);
    }

    /// <summary>
    /// Logits <c>(B, T, V_t)</c> of the decoder input <paramref name="targetInput"/> <c>(B, T)</c>
    /// (begin token then the outputs so far) against <paramref name="memory"/>; with
    /// <paramref name="needWeights"/> also every decoder layer's cross-attention weights
    /// <c>(B, H, T, S)</c> (otherwise an empty list).
    /// </summary>
    public (Tensor Logits, IReadOnlyList<Tensor> CrossAttention) Decode(Seq2SeqMemory memory, int[] targetInput, int batch, bool needWeights = false)
    {
        ArgumentNullException.ThrowIfNull(memory);
        if (memory.Batch != batch)
        {
            throw new ArgumentException($"The memory holds {memory.Batch} rows, the target {batch}.", nameof(memory));
        }
        int t = CheckIds(targetInput, batch, Options.TargetVocabSize, Options.MaxTargetLength, "target");
        var y = EmbeddingDropout.Forward(TargetPositions.Forward(TargetEmbedding.Forward(targetInput, batch, t)));
        var memoryMask = memory.Padding is null ? null : new AttentionMask { KeyPadding = memory.Padding };
        var (output, weights) = Transformer.Decoder.Forward(y, memory.States, AttentionMask.CausalMask, memoryMask, needWeights);
        return (Head.Forward(output), weights);
    }

    /// <summary>Teacher-forced logits <c>(B, T, V_t)</c>: <see cref="Encode"/> then <see cref="Decode"/>.</summary>
    public Tensor Forward(int[] source, int[] targetInput, int batch) => Decode(Encode(source, batch), targetInput, batch).Logits;

    private static int CheckIds(int[] ids, int batch, int vocabulary, int maxLength, string what)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (ids.Length == 0 || ids.Length % batch != 0)
        {
            throw new ArgumentException($"{ids.Length} {what} ids do not form {batch} non-empty rows.", nameof(ids));
        }
        int length = ids.Length / batch;
        if (length > maxLength)
        {
            throw new ArgumentException($"The {what} length {length} exceeds the model's maximum {maxLength}.", nameof(ids));
        }
        foreach (int id in ids)
        {
            if ((uint)id >= (uint)vocabulary)
            {
                throw new ArgumentException($"A {what} token id {id} is outside the vocabulary [0, {vocabulary}).", nameof(ids));
            }
        }
        return length;
    }
}
