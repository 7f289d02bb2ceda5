using System.Text;

namespace Promptor.Genomics.Tokenization;

/// <summary>
/// k-mer tokens taken every <see cref="Stride"/> bases: stride = k gives non-overlapping k-mers,
/// stride 1 the overlapping k-mers of DNABERT. When the last k-mer does not reach the end of the
/// sequence, the remaining (fewer than <see cref="Stride"/>) bases become one shorter "tail" token, and a
/// sequence shorter than k is a single tail token — so every sequence over the alphabet round-trips exactly.
/// Vocabulary: <c>&lt;pad&gt; &lt;bos&gt; &lt;eos&gt; &lt;unk&gt;</c> (ids 0–3), the k-mers in lexicographic
/// order of the alphabet (ids 4 …), then the tail tokens of length 1, 2, …, k−1, each in lexicographic order.
/// Lowercase input is encoded as uppercase. A k-mer with a character outside the alphabet (N by
/// default) becomes <c>&lt;unk&gt;</c>, which decodes to N's (lossy), or is an error when
/// <c>mapUnknown</c> is false.
/// </summary>
public sealed class KmerTokenizer : ITokenizer
{
    internal const string TypeName = "kmer";
    private const string KKey = "tokenizer.k";
    private const string StrideKey = "tokenizer.stride";
    private const string AlphabetKey = "tokenizer.alphabet";
    private const string MapUnknownKey = "tokenizer.map_unknown";
    private const int MaxVocabulary = 1 << 22;

    private readonly string[] _vocabulary;
    private readonly int[] _digit = new int[128];
    private readonly int[] _offsetOfLength; // first id of the tokens of each length (index = length)

    /// <summary>Creates the tokenizer.</summary>
    /// <param name="k">k-mer length, at least 1.</param>
    /// <param name="stride">Bases between the starts of consecutive k-mers, 1..k; default null = k (non-overlapping).</param>
    /// <param name="alphabet">The letters of the k-mers (uppercase, distinct); default <c>ACGT</c>.</param>
    /// <param name="mapUnknown">Encode k-mers with other characters as <c>&lt;unk&gt;</c> (default) instead of throwing.</param>
    public KmerTokenizer(int k, int? stride = null, string alphabet = "ACGT", bool mapUnknown = true)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        int s = stride ?? k;
        if (s < 1 || s > k)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), s, $"Stride must be between 1 and k = {k}.");
        }
        if (alphabet.Length == 0 || alphabet.Distinct().Count() != alphabet.Length
            || alphabet.Any(c => !char.IsAsciiLetterUpper(c)))
        {
            throw new ArgumentException($"Alphabet '{alphabet}' must be distinct uppercase ASCII letters.", nameof(alphabet));
        }
        K = k;
        Stride = s;
        Alphabet = alphabet;
        MapUnknown = mapUnknown;

        long total = 4;
        long power = 1;
        for (int length = 1; length <= k; length++)
        {
            power *= alphabet.Length;
            total += power;
            if (total > MaxVocabulary)
            {
                throw new ArgumentOutOfRangeException(nameof(k), k, $"A vocabulary of {alphabet.Length}^{k} k-mers is too large.");
            }
        }
        Array.Fill(_digit, -1);
        for (int i = 0; i < alphabet.Length; i++)
        {
            _digit[alphabet[i]] = i;
            _digit[char.ToLowerInvariant(alphabet[i])] = i;
        }

        var vocabulary = new List<string>((int)total) { SpecialTokens.Pad, SpecialTokens.Begin, SpecialTokens.End, SpecialTokens.Unknown };
        _offsetOfLength = new int[k + 1];
        _offsetOfLength[k] = vocabulary.Count;
        AddAll(vocabulary, alphabet, k);
        for (int length = 1; length < k; length++)
        {
            _offsetOfLength[length] = vocabulary.Count;
            AddAll(vocabulary, alphabet, length);
        }
        _vocabulary = [.. vocabulary];
    }

    /// <summary>k-mer length.</summary>
    public int K { get; }

    /// <summary>Bases between the starts of consecutive k-mers (k = non-overlapping, 1 = fully overlapping).</summary>
    public int Stride { get; }

    /// <summary>The letters of the k-mers.</summary>
    public string Alphabet { get; }

    /// <summary>True when k-mers with characters outside the alphabet become <c>&lt;unk&gt;</c> instead of an error.</summary>
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

    private static void AddAll(List<string> vocabulary, string alphabet, int length)
    {
        var chars = new char[length];
        var index = new int[length];
        while (true)
        {
            for (int i = 0; i < length; i++)
            {
                chars[i] = alphabet[index[i]];
            }
            vocabulary.Add(new string(chars));
            int p = length - 1;
            while (p >= 0 && ++index[p] == alphabet.Length)
            {
                index[p--] = 0;
            }
            if (p < 0)
            {
                return;
            }
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = Encode(text);
        return ids.Select(id => _vocabulary[id]).ToArray();
    }

    /// <inheritdoc/>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / Stride + 2);
        int covered = 0;
        for (int start = 0; start + K <= text.Length; start += Stride)
        {
            ids.Add(Id(text, start, K));
            covered = start + K;
        }
        if (covered < text.Length)
        {
            ids.Add(Id(text, covered, text.Length - covered));
        }
        return [.. ids];
    }

    // The id of text[start .. start+length) read as a base-|alphabet| number.
    private int Id(string text, int start, int length)
    {
        int index = 0;
        for (int i = start; i < start + length; i++)
        {
            char c = text[i];
            int d = c < 128 ? _digit[c] : -1;
            if (d < 0)
            {
                if (MapUnknown)
                {
                    return SpecialTokens.UnknownId;
                }
                throw new TokenizationException($"unknown character '{c}' at position {i}", c.ToString(), i);
            }
            index = index * Alphabet.Length + d;
        }
        return _offsetOfLength[length] + index;
    }

    /// <inheritdoc/>
    public int[] EncodeWithBeginEnd(string text) => [BeginId, .. Encode(text), EndId];

    /// <inheritdoc/>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var sb = new StringBuilder(ids.Length * Stride + K);
        bool first = true;
        foreach (int id in ids)
        {
            if ((uint)id >= (uint)_vocabulary.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), $"Token id {id} is outside the vocabulary of {_vocabulary.Length}.");
            }
            if (id == EndId)
            {
                break;
            }
            if (id == PadId || id == BeginId)
            {
                continue;
            }
            string token = id == SpecialTokens.UnknownId ? new string('N', K) : _vocabulary[id];
            // A full k-mer after the first adds only its last Stride bases; a tail token adds all of its own.
            sb.Append(first || token.Length < K ? token : token.AsSpan(K - Stride));
            first = false;
        }
        return sb.ToString();
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> ToMetadata() => new Dictionary<string, string>
    {
        [TokenizerMetadata.TypeKey] = TypeName,
        [KKey] = TokenizerMetadata.Format(K),
        [StrideKey] = TokenizerMetadata.Format(Stride),
        [AlphabetKey] = Alphabet,
        [MapUnknownKey] = TokenizerMetadata.Format(MapUnknown),
        [TokenizerMetadata.VocabularyKey] = TokenizerMetadata.WriteVocabulary(_vocabulary),
    };

    /// <summary>The tokenizer stored by <see cref="ToMetadata"/>.</summary>
    /// <exception cref="FormatException">The metadata is not a k-mer tokenizer's, or its vocabulary does not match its settings.</exception>
    public static KmerTokenizer FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        TokenizerMetadata.CheckType(metadata, TypeName);
        var tokenizer = new KmerTokenizer(
            TokenizerMetadata.GetInt(metadata, KKey),
            TokenizerMetadata.GetInt(metadata, StrideKey),
            TokenizerMetadata.Get(metadata, AlphabetKey),
            TokenizerMetadata.GetBool(metadata, MapUnknownKey));
        TokenizerMetadata.CheckVocabulary(metadata, tokenizer._vocabulary);
        return tokenizer;
    }
}
