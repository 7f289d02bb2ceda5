using System.Text;

namespace Promptor.Genomics.Tokenization;

/// <summary>
/// One token per base. Vocabulary: <c>&lt;pad&gt; &lt;bos&gt; &lt;eos&gt;</c> (ids 0–2), then
/// <c>A C G T N</c> (ids 3–7), then, with <c>iupac: true</c>, the other ambiguity codes
/// <c>R Y S W K M B D H V</c> (ids 8–17). Lowercase (soft-masked) input is accepted and encoded as
/// uppercase, so round trips are exact for uppercase text. There is no <c>&lt;unk&gt;</c>: any other
/// character is an error naming it and its position.
/// </summary>
public sealed class DnaTokenizer : ITokenizer
{
    internal const string TypeName = "dna";
    private const string IupacKey = "tokenizer.iupac";
    private const string BaseLetters = "ACGTN";
    private const string IupacLetters = "RYSWKMBDHV";

    private readonly string[] _vocabulary;
    private readonly int[] _idOfChar = new int[128];

    /// <summary>Creates the tokenizer.</summary>
    /// <param name="iupac">Also accept the IUPAC ambiguity codes other than N; default false.</param>
    public DnaTokenizer(bool iupac = false)
    {
        Iupac = iupac;
        string letters = iupac ? BaseLetters + IupacLetters : BaseLetters;
        _vocabulary = [SpecialTokens.Pad, SpecialTokens.Begin, SpecialTokens.End, .. letters.Select(c => c.ToString())];
        Array.Fill(_idOfChar, -1);
        for (int i = 0; i < letters.Length; i++)
        {
            _idOfChar[letters[i]] = 3 + i;
            _idOfChar[char.ToLowerInvariant(letters[i])] = 3 + i;
        }
    }

    /// <summary>True when the IUPAC ambiguity codes are in the vocabulary.</summary>
    public bool Iupac { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Vocabulary => _vocabulary;

    /// <inheritdoc/>
    public int VocabularySize => _vocabulary.Length;

    /// <inheritdoc/>
    public int PadId => SpecialTokens.PadId;

    /// <inheritdoc/>
    public int BeginId => SpecialTokens.BeginId;

    /// <inheritdoc/>
    public int EndId => SpecialTokens.EndId;

    /// <inheritdoc/>
    public int? UnknownId => null;

    /// <inheritdoc/>
    public IReadOnlyList<string> Tokenize(string text) => Encode(text).Select(id => _vocabulary[id]).ToArray();

    /// <inheritdoc/>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            int id = c < 128 ? _idOfChar[c] : -1;
            if (id < 0)
            {
                throw new TokenizationException($"unknown character '{c}' at position {i}", c.ToString(), i);
            }
            ids[i] = id;
        }
        return ids;
    }

    /// <inheritdoc/>
    public int[] EncodeWithBeginEnd(string text) => [BeginId, .. Encode(text), EndId];

    /// <inheritdoc/>
    public string Decode(ReadOnlySpan<int> ids) => SpecialTokens.DecodeConcatenated(ids, _vocabulary);

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> ToMetadata() => new Dictionary<string, string>
    {
        [TokenizerMetadata.TypeKey] = TypeName,
        [IupacKey] = TokenizerMetadata.Format(Iupac),
        [TokenizerMetadata.VocabularyKey] = TokenizerMetadata.WriteVocabulary(_vocabulary),
    };

    /// <summary>The tokenizer stored by <see cref="ToMetadata"/>.</summary>
    /// <exception cref="FormatException">The metadata is not a DNA tokenizer's, or its vocabulary does not match its settings.</exception>
    public static DnaTokenizer FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        TokenizerMetadata.CheckType(metadata, TypeName);
        var tokenizer = new DnaTokenizer(TokenizerMetadata.GetBool(metadata, IupacKey));
        TokenizerMetadata.CheckVocabulary(metadata, tokenizer._vocabulary);
        return tokenizer;
    }
}
