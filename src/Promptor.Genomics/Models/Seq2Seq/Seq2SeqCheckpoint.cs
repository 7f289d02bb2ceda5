using System.Text.Json;
using Promptor.Genomics.Tokenization;
using Promptor.Nn.Serialization;
using Promptor.Tensors;

namespace Promptor.Genomics.Models.Seq2Seq;

/// <summary>
/// A <see cref="Seq2SeqTransformer"/> checkpoint: safetensors weights whose metadata holds the
/// model options (<see cref="OptionsKey"/>) and both tokenizers, their <see cref="ITokenizer.ToMetadata"/>
/// entries prefixed with <c>source.</c> and <c>target.</c>.
/// </summary>
public static class Seq2SeqCheckpoint
{
    /// <summary>Metadata key of the model options (JSON).</summary>
    public const string OptionsKey = "seq2seq.options";

    /// <summary>Prefix of the source tokenizer's metadata keys.</summary>
    public const string SourcePrefix = "source.";

    /// <summary>Prefix of the target tokenizer's metadata keys.</summary>
    public const string TargetPrefix = "target.";

    /// <summary>The metadata entries describing the two tokenizers.</summary>
    public static Dictionary<string, string> TokenizerMetadata(ITokenizer source, ITokenizer target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in source.ToMetadata())
        {
            result[SourcePrefix + key] = value;
        }
        foreach (var (key, value) in target.ToMetadata())
        {
            result[TargetPrefix + key] = value;
        }
        return result;
    }

    /// <summary>Writes the model with its tokenizers and any <paramref name="extra"/> metadata, atomically.</summary>
    public static void Save(string path, Seq2SeqTransformer model, ITokenizer source, ITokenizer target, IReadOnlyDictionary<string, string>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var metadata = TokenizerMetadata(source, target);
        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                metadata[key] = value;
            }
        }
        metadata[OptionsKey] = model.Options.ToJson();
        ModuleCheckpoint.Save(path, model, metadata);
    }

    /// <summary>Loads a model and its tokenizers (the model in evaluation mode).</summary>
    /// <exception cref="FormatException">The metadata lacks the options or a tokenizer, or describes them wrongly.</exception>
    /// <exception cref="SafeTensorsFormatException">The file is not valid safetensors.</exception>
    public static (Seq2SeqTransformer Model, ITokenizer Source, ITokenizer Target, IReadOnlyDictionary<string, string> Metadata) Load(string path)
    {
        var file = SafeTensors.Load(path);
        var metadata = file.Metadata;
        if (!metadata.TryGetValue(OptionsKey, out var json))
        {
            throw new FormatException($"{path}: not a seq2seq checkpoint (metadata '{OptionsKey}' is missing)");
        }
        Seq2SeqOptions options;
        try
        {
            options = Seq2SeqOptions.FromJson(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: metadata '{OptionsKey}' is not valid options JSON: {e.Message}", e);
        }
        var source = ReadTokenizer(metadata, SourcePrefix);
        var target = ReadTokenizer(metadata, TargetPrefix);
        var model = new Seq2SeqTransformer(options, new Generator(0));
        model.LoadStateDict(file.Tensors);
        model.Eval();
        return (model, source, target, metadata);
    }

    private static ITokenizer ReadTokenizer(IReadOnlyDictionary<string, string> metadata, string prefix)
    {
        var entries = metadata.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value, StringComparer.Ordinal);
        if (entries.TryGetValue(Tokenization.TokenizerMetadata.TypeKey, out var type) && type == ProteinTokenizer.TypeName)
        {
            return new ProteinTokenizer();
        }
        return Tokenization.TokenizerMetadata.Read(entries);
    }
}
