using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Promptor.Genomics.Tokenization;

/// <summary>
/// Reads a tokenizer back from checkpoint metadata written by <see cref="ITokenizer.ToMetadata"/>.
/// The keys are <see cref="TypeKey"/> (<c>dna</c>, <c>kmer</c> or <c>smiles</c>), <see cref="VocabularyKey"/>
/// (a JSON array of strings) and per-type settings under the same <c>tokenizer.</c> prefix.
/// </summary>
public static class TokenizerMetadata
{
    /// <summary>Metadata key of the tokenizer type.</summary>
    public const string TypeKey = "tokenizer.type";

    /// <summary>Metadata key of the vocabulary (JSON array of strings, indexed by id).</summary>
    public const string VocabularyKey = "tokenizer.vocabulary";

    private static readonly JsonSerializerOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The tokenizer described by <paramref name="metadata"/>.</summary>
    /// <exception cref="FormatException">A key is missing or malformed, or the type is unknown.</exception>
    public static ITokenizer Read(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return Get(metadata, TypeKey) switch
        {
            DnaTokenizer.TypeName => DnaTokenizer.FromMetadata(metadata),
            KmerTokenizer.TypeName => KmerTokenizer.FromMetadata(metadata),
            SmilesTokenizer.TypeName => SmilesTokenizer.FromMetadata(metadata),
            var other => throw new FormatException($"Unknown tokenizer type '{other}'."),
        };
    }

    internal static string WriteVocabulary(IReadOnlyList<string> vocabulary) => JsonSerializer.Serialize(vocabulary, s_json);

    internal static string[] ReadVocabulary(IReadOnlyDictionary<string, string> metadata)
    {
        string json = Get(metadata, VocabularyKey);
        string[]? tokens;
        try
        {
            tokens = JsonSerializer.Deserialize<string[]>(json, s_json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Metadata '{VocabularyKey}' is not a JSON array of strings: {e.Message}", e);
        }
        if (tokens is null || tokens.Any(t => t is null))
        {
            throw new FormatException($"Metadata '{VocabularyKey}' is not a JSON array of strings.");
        }
        return tokens;
    }

    internal static string Get(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var value) ? value : throw new FormatException($"Metadata key '{key}' is missing.");

    internal static int GetInt(IReadOnlyDictionary<string, string> metadata, string key) =>
        int.TryParse(Get(metadata, key), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new FormatException($"Metadata '{key}' = '{metadata[key]}' is not an integer.");

    internal static bool GetBool(IReadOnlyDictionary<string, string> metadata, string key) => Get(metadata, key) switch
    {
        "true" => true,
        "false" => false,
        var v => throw new FormatException($"Metadata '{key}' = '{v}' is not true or false."),
    };

    internal static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Format(bool value) => value ? "true" : "false";

    internal static void CheckType(IReadOnlyDictionary<string, string> metadata, string expected)
    {
        string type = Get(metadata, TypeKey);
        if (type != expected)
        {
            throw new FormatException($"Metadata describes a '{type}' tokenizer, not '{expected}'.");
        }
    }

    internal static void CheckVocabulary(IReadOnlyDictionary<string, string> metadata, IReadOnlyList<string> expected)
    {
        var stored = ReadVocabulary(metadata);
        if (!stored.SequenceEqual(expected))
        {
            throw new FormatException($"Metadata '{VocabularyKey}' does not match the vocabulary its settings produce.");
        }
    }
}
