using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Promptor.Genomics.Models;
using Promptor.Nn;
using Promptor.Tensors;

namespace Promptor.Genomics.Training;

/// <summary>
/// What a checkpoint or run holds: the model kind (its type name), its options as JSON when the kind is
/// known (<see cref="CondPromoter"/>), and a hash that tells two configurations apart. A checkpoint is
/// loaded only into a model whose description matches.
/// </summary>
/// <param name="Kind">The model type, e.g. <c>CondPromoter</c>.</param>
/// <param name="Options">The options as JSON (see <see cref="ModelOptionsJson"/>), or null for a kind without serialisable options.</param>
/// <param name="OptionsHash">First 16 hex digits of the SHA-256 of the compact options JSON (or, without options, of the parameter names and shapes).</param>
public sealed record ModelDescription(string Kind, JsonObject? Options, string OptionsHash)
{
    /// <summary>The kind name of <see cref="CondPromoter"/>.</summary>
    public const string CondPromoterKind = nameof(CondPromoter);

    /// <summary>Describes <paramref name="model"/>.</summary>
    public static ModelDescription Of(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model is CondPromoter cond)
        {
            string json = ModelOptionsJson.Serialize(cond.Options);
            return new ModelDescription(CondPromoterKind, (JsonObject)JsonNode.Parse(json)!, Hash(json));
        }
        var layout = string.Join(";", model.StateDict().Select(p => $"{p.Key}:{p.Value.Shape}"));
        return new ModelDescription(model.GetType().Name, null, Hash(layout));
    }

    /// <summary>The options of a <see cref="CondPromoter"/> description.</summary>
    /// <exception cref="InvalidOperationException">The description is of another kind or has no options.</exception>
    public CondPromoterOptions CondPromoterOptions()
    {
        if (Kind != CondPromoterKind || Options is null)
        {
            throw new InvalidOperationException($"The model is a {Kind}{(Options is null ? " without recorded options" : "")}, not a CondPromoter.");
        }
        return ModelOptionsJson.Deserialize(Options.ToJsonString());
    }

    /// <summary>Builds a fresh <see cref="CondPromoter"/> from the recorded options (weights from <paramref name="generator"/>; load a checkpoint next).</summary>
    public CondPromoter CreateCondPromoter(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return new CondPromoter(CondPromoterOptions(), generator);
    }

    /// <summary>
    /// This description with every option the recorded JSON lacks set to its default: options added
    /// to <see cref="Models.CondPromoterOptions"/> after a checkpoint was written take the value that
    /// reproduces the earlier behaviour, so such a checkpoint still matches a model built with those
    /// defaults. Descriptions without options, of other kinds, or whose options cannot be read come
    /// back unchanged.
    /// </summary>
    public ModelDescription WithDefaultsFilledIn()
    {
        if (Kind != CondPromoterKind || Options is null)
        {
            return this;
        }

        try
        {
            string json = ModelOptionsJson.Serialize(ModelOptionsJson.Deserialize(Options.ToJsonString()));
            return new ModelDescription(Kind, (JsonObject)JsonNode.Parse(json)!, Hash(json));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            return this;
        }
    }

    internal static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
