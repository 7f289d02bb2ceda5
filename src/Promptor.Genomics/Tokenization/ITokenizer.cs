namespace Promptor.Genomics.Tokenization;

/// <summary>
/// Maps text (DNA, SMILES) to token ids and back. Every vocabulary starts with the special tokens
/// <c>&lt;pad&gt;</c> = 0, <c>&lt;bos&gt;</c> = 1, <c>&lt;eos&gt;</c> = 2 (and <c>&lt;unk&gt;</c> = 3 where the
/// tokenizer has one). <see cref="Encode"/> adds no special tokens (see <see cref="EncodeWithBeginEnd"/>);
/// <see cref="Decode"/> skips padding and begin tokens and stops at the first end token, so
/// <c>Decode(Encode(s)) == s</c> for every text the vocabulary covers. A vocabulary travels with a
/// model inside the checkpoint metadata (<see cref="ToMetadata"/>, <see cref="TokenizerMetadata.Read"/>).
/// </summary>
public interface ITokenizer
{
    /// <summary>The tokens, indexed by id.</summary>
    IReadOnlyList<string> Vocabulary { get; }

    /// <summary>Number of tokens (the embedding table's row count).</summary>
    int VocabularySize { get; }

    /// <summary>Id of <c>&lt;pad&gt;</c> (0).</summary>
    int PadId { get; }

    /// <summary>Id of <c>&lt;bos&gt;</c> (1).</summary>
    int BeginId { get; }

    /// <summary>Id of <c>&lt;eos&gt;</c> (2).</summary>
    int EndId { get; }

    /// <summary>Id of <c>&lt;unk&gt;</c>, or null when the tokenizer has none and rejects unknown input instead.</summary>
    int? UnknownId { get; }

    /// <summary>Splits <paramref name="text"/> into token strings (no special tokens).</summary>
    /// <exception cref="TokenizationException">The text has a character or token outside the vocabulary (and no <c>&lt;unk&gt;</c> is configured).</exception>
    IReadOnlyList<string> Tokenize(string text);

    /// <summary>Token ids of <paramref name="text"/>, without special tokens.</summary>
    /// <exception cref="TokenizationException">The text has a character or token outside the vocabulary (and no <c>&lt;unk&gt;</c> is configured).</exception>
    int[] Encode(string text);

    /// <summary>Token ids of <paramref name="text"/> between <see cref="BeginId"/> and <see cref="EndId"/>.</summary>
    int[] EncodeWithBeginEnd(string text);

    /// <summary>
    /// Text of <paramref name="ids"/>: padding and begin tokens are skipped, decoding stops at the
    /// first end token.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary.</exception>
    string Decode(ReadOnlySpan<int> ids);

    /// <summary>
    /// The tokenizer as string metadata for a safetensors checkpoint: <c>tokenizer.type</c>,
    /// <c>tokenizer.vocabulary</c> (a JSON array of the tokens) and the type's settings.
    /// </summary>
    IReadOnlyDictionary<string, string> ToMetadata();
}
