using System.Text;
using System.Text.RegularExpressions;

namespace Promptor.Genomics.Tokenization;

/// <summary>
/// Atom-level SMILES tokens with the regular expression of Schwaller et al. (2019, Molecular
/// Transformer; DeepChem's <c>BasicSmilesTokenizer</c>): a bracket atom (<c>[C@@H]</c>, <c>[nH]</c>,
/// <c>[NH4+]</c>) is one token, <c>Cl</c> and <c>Br</c> are one token, <c>%nn</c> ring closures are one
/// token, and every bond, branch parenthesis, dot and ring digit is a token of its own.
/// The vocabulary is built from a corpus (<see cref="Build"/>): <c>&lt;pad&gt; &lt;bos&gt; &lt;eos&gt; &lt;unk&gt;</c>
/// (ids 0–3), then the corpus tokens by decreasing frequency (ties in ordinal order).
/// A character the expression does not match, or a token outside the vocabulary, is an error naming
/// the token and its position, or becomes <c>&lt;unk&gt;</c> when <see cref="MapUnknown"/> is set
/// (<c>&lt;unk&gt;</c> decodes to the text <c>&lt;unk&gt;</c>).
/// </summary>
public sealed partial class SmilesTokenizer : ITokenizer
{
    /// <summary>The token expression (Schwaller et al.; DeepChem <c>SMI_REGEX_PATTERN</c>).</summary>
    public const string Pattern =
        @"(\[[^\]]+]|Br?|Cl?|N|O|S|P|F|I|b|c|n|o|s|p|\(|\)|\.|=|#|-|\+|\\|\/|:|~|@|\?|>|\*|\$|\%[0-9]{2}|[0-9])";

    internal const string TypeName = "smiles";
    private const string MapUnknownKey = "tokenizer.map_unknown";

    private readonly string[] _vocabulary;
    private readonly Dictionary<string, int> _ids;

    /// <summary>Creates a tokenizer over an explicit vocabulary.</summary>
    /// <param name="tokens">The SMILES tokens; the special tokens are put in front (ids 0–3) and removed from here if present.</param>
    /// <param name="mapUnknown">Encode unknown tokens as <c>&lt;unk&gt;</c> instead of throwing; default false.</param>
    public SmilesTokenizer(IEnumerable<string> tokens, bool mapUnknown = false)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        string[] specials = [SpecialTokens.Pad, SpecialTokens.Begin, SpecialTokens.End, SpecialTokens.Unknown];
        _vocabulary = [.. specials, .. tokens.Where(t => !specials.Contains(t))];
        _ids = new Dictionary<string, int>(_vocabulary.Length, StringComparer.Ordinal);
        for (int i = 0; i < _vocabulary.Length; i++)
        {
            if (string.IsNullOrEmpty(_vocabulary[i]) || !_ids.TryAdd(_vocabulary[i], i))
            {
                throw new ArgumentException($"Token '{_vocabulary[i]}' is empty or repeated.", nameof(tokens));
            }
        }
        MapUnknown = mapUnknown;
    }

    /// <summary>True when unknown tokens become <c>&lt;unk&gt;</c> instead of an error.</summary>
    public bool MapUnknown { get; }

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
    public int? UnknownId => SpecialTokens.UnknownId;

    [GeneratedRegex(@"\G" + Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex TokenRegex();

    /// <summary>
    /// Builds the vocabulary from <paramref name="corpus"/>: every token that occurs at least
    /// <paramref name="minCount"/> times, most frequent first.
    /// </summary>
    /// <param name="corpus">SMILES strings.</param>
    /// <param name="minCount">Minimum number of occurrences; default 1.</param>
    /// <param name="mapUnknown">Encode unknown tokens as <c>&lt;unk&gt;</c> instead of throwing; default false.</param>
    /// <exception cref="TokenizationException">A corpus string has a character the expression does not match.</exception>
    public static SmilesTokenizer Build(IEnumerable<string> corpus, int minCount = 1, bool mapUnknown = false)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentOutOfRangeException.ThrowIfLessThan(minCount, 1);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string smiles in corpus)
        {
            foreach (var (token, _) in Split(smiles, mapUnknown: false))
            {
                counts[token] = counts.GetValueOrDefault(token) + 1;
            }
        }
        var tokens = counts.Where(kv => kv.Value >= minCount)
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Key);
        return new SmilesTokenizer(tokens, mapUnknown);
    }

    /// <summary>
    /// Splits a SMILES string into regular-expression tokens (vocabulary-free). Throws on a character
    /// the expression does not match.
    /// </summary>
    /// <exception cref="TokenizationException">A character is not matched by <see cref="Pattern"/>.</exception>
    public static IReadOnlyList<string> SplitTokens(string smiles) => Split(smiles, mapUnknown: false).Select(t => t.Token).ToArray();

    // Tokens with their start positions; an unmatched character is its own token when mapUnknown (id lookup then fails).
    private static List<(string Token, int Position)> Split(string smiles, bool mapUnknown)
    {
        ArgumentNullException.ThrowIfNull(smiles);
        var tokens = new List<(string, int)>(smiles.Length);
        var regex = TokenRegex();
        int position = 0;
        while (position < smiles.Length)
        {
            var match = regex.Match(smiles, position);
            if (!match.Success)
            {
                string c = smiles[position].ToString();
                if (!mapUnknown)
                {
                    throw new TokenizationException($"unexpected character '{c}' at position {position}", c, position);
                }
                tokens.Add((c, position));
                position++;
                continue;
            }
            tokens.Add((match.Value, position));
            position += match.Length;
        }
        return tokens;
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> Tokenize(string text)
    {
        var tokens = Split(text, MapUnknown);
        var result = new string[tokens.Count];
        for (int i = 0; i < tokens.Count; i++)
        {
            result[i] = _vocabulary[Lookup(tokens[i].Token, tokens[i].Position)];
        }
        return result;
    }

    /// <inheritdoc/>
    public int[] Encode(string text)
    {
        var tokens = Split(text, MapUnknown);
        var ids = new int[tokens.Count];
        for (int i = 0; i < tokens.Count; i++)
        {
            ids[i] = Lookup(tokens[i].Token, tokens[i].Position);
        }
        return ids;
    }

    private int Lookup(string token, int position)
    {
        if (_ids.TryGetValue(token, out int id) && id > SpecialTokens.UnknownId)
        {
            return id;
        }
        if (MapUnknown)
        {
            return SpecialTokens.UnknownId;
        }
        throw new TokenizationException($"unknown token '{token}' at position {position}", token, position);
    }

    /// <inheritdoc/>
    public int[] EncodeWithBeginEnd(string text) => [BeginId, .. Encode(text), EndId];

    /// <inheritdoc/>
    public string Decode(ReadOnlySpan<int> ids) => SpecialTokens.DecodeConcatenated(ids, _vocabulary);

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> ToMetadata() => new Dictionary<string, string>
    {
        [TokenizerMetadata.TypeKey] = TypeName,
        [MapUnknownKey] = TokenizerMetadata.Format(MapUnknown),
        [TokenizerMetadata.VocabularyKey] = TokenizerMetadata.WriteVocabulary(_vocabulary),
    };

    /// <summary>The tokenizer stored by <see cref="ToMetadata"/> (same vocabulary and ids).</summary>
    /// <exception cref="FormatException">The metadata is not a SMILES tokenizer's, or its vocabulary does not start with the special tokens.</exception>
    public static SmilesTokenizer FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        TokenizerMetadata.CheckType(metadata, TypeName);
        var vocabulary = TokenizerMetadata.ReadVocabulary(metadata);
        string[] specials = [SpecialTokens.Pad, SpecialTokens.Begin, SpecialTokens.End, SpecialTokens.Unknown];
        if (vocabulary.Length < specials.Length || !vocabulary.Take(specials.Length).SequenceEqual(specials))
        {
            throw new FormatException($"Metadata '{TokenizerMetadata.VocabularyKey}' must start with {string.Join(" ", specials)}.");
        }
        return new SmilesTokenizer(vocabulary.Skip(specials.Length), TokenizerMetadata.GetBool(metadata, MapUnknownKey));
    }
}
