using System.Text.Json;
using Promptor.Genomics.Models;

namespace Promptor.Genomics.Training;

/// <summary>
/// JSON round trip of <see cref="CondPromoterOptions"/> (snake_case names, enums as strings, the
/// convolution stack as a list of <see cref="ConvLayerSpec"/> objects), so that a model can be rebuilt
/// from <c>run.json</c> or a checkpoint's metadata. For example:
/// <code>{"treatment_count":34,"sequence_length":1000,"convolutions":[{"filters":128,"width":15,"dilation":1,"pool":4}, …],"conditioning":"CrossAttention", …}</code>
/// </summary>
public static class ModelOptionsJson
{
    /// <summary>Serialises <paramref name="options"/> (compact unless <paramref name="indented"/>).</summary>
    public static string Serialize(CondPromoterOptions options, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        return JsonSerializer.Serialize(options, indented ? TrainingJson.Indented : TrainingJson.Compact);
    }

    /// <summary>Reads options written by <see cref="Serialize"/> and validates them.</summary>
    /// <exception cref="JsonException">Malformed JSON, an unknown enum name or a missing required member.</exception>
    /// <exception cref="ArgumentException">The options are inconsistent (see <see cref="CondPromoterOptions.Validate"/>).</exception>
    public static CondPromoterOptions Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var options = JsonSerializer.Deserialize<CondPromoterOptions>(json, TrainingJson.Compact)
            ?? throw new JsonException("The model options are null.");
        options.Validate();
        return options;
    }

    /// <summary>True when both options serialise identically (the record's own equality compares the convolution lists by reference).</summary>
    public static bool AreEqual(CondPromoterOptions a, CondPromoterOptions b) => Serialize(a) == Serialize(b);
}
