namespace Promptor.Genomics.Tokenization;

/// <summary>The special tokens and their fixed ids, shared by every tokenizer.</summary>
public static class SpecialTokens
{
    /// <summary>Padding, id 0.</summary>
    public const string Pad = "<pad>";

    /// <summary>Begin of sequence, id 1.</summary>
    public const string Begin = "<bos>";

    /// <summary>End of sequence, id 2.</summary>
    public const string End = "<eos>";

    /// <summary>Unknown token, id 3 (tokenizers that have one).</summary>
    public const string Unknown = "<unk>";

    /// <summary>Id of <see cref="Pad"/>.</summary>
    public const int PadId = 0;

    /// <summary>Id of <see cref="Begin"/>.</summary>
    public const int BeginId = 1;

    /// <summary>Id of <see cref="End"/>.</summary>
    public const int EndId = 2;

    /// <summary>Id of <see cref="Unknown"/>.</summary>
    public const int UnknownId = 3;

    /// <summary>
    /// Concatenates the vocabulary entries of <paramref name="ids"/>, skipping padding and begin
    /// tokens and stopping at the first end token; an id outside the vocabulary throws.
    /// </summary>
    internal static string DecodeConcatenated(ReadOnlySpan<int> ids, string[] vocabulary)
    {
        var sb = new System.Text.StringBuilder(ids.Length * 2);
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
}
