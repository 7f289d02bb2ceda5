using Promptor.Genomics.Tokenization;

namespace Promptor.Genomics.Models.Seq2Seq;

/// <summary>
/// Amino-acid tokenizer: <c>&lt;pad&gt;</c> 0, <c>&lt;bos&gt;</c> 1, <c>&lt;eos&gt;</c> 2, then the 20
/// residues in alphabetical one-letter order and the stop symbol <c>*</c> (24 tokens). Upper or
/// lower case is accepted; any other letter is rejected.
/// </summary>
public sealed class ProteinTokenizer : ITokenizer
{
    /// <summary>The metadata type name, <c>protein</c>.</summary>
    public const string TypeName = "protein";

    private readonly string[] vocabulary = [SpecialTokens.Pad, SpecialTokens.Begin, SpecialTokens.End,
        .. GeneticCode.Residues.Select(c => c.ToString()), GeneticCode.Stop.ToString()];

    /// <inheritdoc/>
    public IReadOnlyList<string> Vocabulary => vocabulary;

    /// <inheritdoc/>
    public int VocabularySize => vocabulary.Length;

    /// <inheritdoc/>
    public int PadId => SpecialTokens.PadId;

    /// <inheritdoc/>
    public int BeginId => SpecialTokens.BeginId;

    /// <inheritdoc/>
    public int EndId => SpecialTokens.EndId;

    /// <inheritdoc/>
    public int? UnknownId => null;

    /// <inheritdoc/>
    public IReadOnlyList<string> Tokenize(string text) => Encode(text).Select(id => vocabulary[id]).ToArray();

    /// <inheritdoc/>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            char c = char.ToUpperInvariant(text[i]);
            int residue = c == GeneticCode.Stop ? GeneticCode.Residues.Length : GeneticCode.Residues.IndexOf(c, StringComparison.Ordinal);
            if (residue < 0)
            {
                throw new TokenizationException($"unknown amino-acid letter '{text[i]}' at position {i}", text[i].ToString(), i);
            }
            ids[i] = 3 + residue;
        }
        return ids;
    }

    /// <inheritdoc/>
    public int[] EncodeWithBeginEnd(string text) => [BeginId, .. Encode(text), EndId];

    /// <inheritdoc/>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var sb = new System.Text.StringBuilder(ids.Length);
        foreach (int id in ids)
        {
            if ((uint)id >= (uint)vocabulary.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), $"Token id {id} is outside the vocabulary of {vocabulary.Length}.");
            }
            if (id == EndId)
            {
                break;
            }
            if (id != PadId && id != BeginId)
            {
                sb.Append(vocabulary[id]);
            }
        }
        return sb.ToString();
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> ToMetadata() => new Dictionary<string, string>
    {
        [TokenizerMetadata.TypeKey] = TypeName,
        [TokenizerMetadata.VocabularyKey] = System.Text.Json.JsonSerializer.Serialize(vocabulary),
    };
}
