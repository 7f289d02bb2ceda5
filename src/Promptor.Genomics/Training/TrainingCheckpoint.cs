using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Promptor.Genomics.Models;
using Promptor.Nn;
using Promptor.Nn.Serialization;
using Promptor.Tensors;

namespace Promptor.Genomics.Training;

/// <summary>
/// Model checkpoints with Promptor metadata: a safetensors file of the model's state dict (PyTorch
/// names) whose <c>__metadata__</c> records the model kind, its options (JSON) and their hash, the
/// Promptor version, the treatments, the target scaler, the task and the epoch. Loading checks all of
/// it first and fails with a one-line <see cref="CheckpointMismatchException"/>, never a half-loaded model.
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>Metadata key prefix of every Promptor entry.</summary>
    public const string Prefix = "promptor.";

    private const string VersionKey = Prefix + "version";
    private const string KindKey = Prefix + "model_kind";
    private const string OptionsKey = Prefix + "model_options";
    private const string HashKey = Prefix + "options_hash";
    private const string TreatmentsKey = Prefix + "treatments";
    private const string ScalerKey = Prefix + "scaler";
    private const string TaskKey = Prefix + "task";
    private const string DownKey = Prefix + "down_threshold";
    private const string UpKey = Prefix + "up_threshold";
    private const string EpochKey = Prefix + "epoch";

    /// <summary>Writes <paramref name="model"/>'s state dict and <paramref name="info"/> to <paramref name="path"/>, atomically.</summary>
    public static void Save(string path, Module model, CheckpointInfo info)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(info);
        SafeTensors.Save(path, model.StateDict(), ToMetadata(info));
    }

    /// <summary>The Promptor metadata of <paramref name="info"/> as string pairs (for files that hold more than a model).</summary>
    public static Dictionary<string, string> ToMetadata(CheckpointInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [VersionKey] = info.PromptorVersion,
            [KindKey] = info.Model.Kind,
            [HashKey] = info.Model.OptionsHash,
            [TreatmentsKey] = JsonSerializer.Serialize(info.Treatments, TrainingJson.Compact),
            [ScalerKey] = JsonSerializer.Serialize(info.Scaler, TrainingJson.Compact),
            [TaskKey] = info.Task.ToString(),
            [DownKey] = info.DownThreshold.ToString("R", CultureInfo.InvariantCulture),
            [UpKey] = info.UpThreshold.ToString("R", CultureInfo.InvariantCulture),
            [EpochKey] = info.Epoch.ToString(CultureInfo.InvariantCulture),
        };
        if (info.Model.Options is not null)
        {
            meta[OptionsKey] = info.Model.Options.ToJsonString(TrainingJson.Compact);
        }
        return meta;
    }

    /// <summary>Reads the Promptor metadata of a checkpoint (header only, no tensors).</summary>
    /// <exception cref="CheckpointMismatchException">The file is not a Promptor checkpoint or its metadata is malformed.</exception>
    public static CheckpointInfo ReadInfo(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        IReadOnlyDictionary<string, string> meta;
        try
        {
            meta = SafeTensors.ReadHeader(path).Metadata;
        }
        catch (SafeTensorsFormatException e)
        {
            throw new CheckpointMismatchException(path, $"'{path}' is not a safetensors checkpoint: {e.Message}", e);
        }
        return FromMetadata(path, meta);
    }

    /// <summary>Parses Promptor metadata read from <paramref name="path"/>.</summary>
    /// <exception cref="CheckpointMismatchException">The metadata is missing or malformed.</exception>
    public static CheckpointInfo FromMetadata(string path, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(KindKey, out var kind))
        {
            throw new CheckpointMismatchException(path, $"'{path}' is not a Promptor checkpoint (its metadata has no '{KindKey}').");
        }
        try
        {
            string Get(string key) => metadata.TryGetValue(key, out var v) ? v : throw new FormatException($"no '{key}'");
            JsonObject? options = metadata.TryGetValue(OptionsKey, out var json) ? (JsonObject?)JsonNode.Parse(json) : null;
            var treatments = JsonSerializer.Deserialize<string[]>(Get(TreatmentsKey), TrainingJson.Compact) ?? throw new FormatException("null treatments");
            var scaler = JsonSerializer.Deserialize<ScalerSnapshot>(Get(ScalerKey), TrainingJson.Compact) ?? throw new FormatException("null scaler");
            return new CheckpointInfo(
                new ModelDescription(kind, options, Get(HashKey)),
                Get(VersionKey),
                treatments,
                scaler,
                Enum.Parse<TaskKind>(Get(TaskKey)),
                float.Parse(Get(DownKey), CultureInfo.InvariantCulture),
                float.Parse(Get(UpKey), CultureInfo.InvariantCulture),
                int.Parse(Get(EpochKey), CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or OverflowException or InvalidCastException)
        {
            throw new CheckpointMismatchException(path, $"'{path}' has malformed Promptor metadata: {e.Message}", e);
        }
    }

    /// <summary>
    /// Loads the checkpoint at <paramref name="path"/> into <paramref name="model"/> after checking that
    /// it was written for the same model kind, the same options and the same major Promptor version.
    /// </summary>
    /// <returns>The checkpoint's metadata (treatments, scaler, task, epoch).</returns>
    /// <exception cref="CheckpointMismatchException">The checkpoint belongs to another model or version, or its tensors do not fit.</exception>
    public static CheckpointInfo Load(string path, Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var info = ReadInfo(path);
        CheckCompatible(path, info, ModelDescription.Of(model));
        SafeTensorsFile file;
        try
        {
            file = SafeTensors.Load(path);
        }
        catch (SafeTensorsFormatException e)
        {
            throw new CheckpointMismatchException(path, $"'{path}' is not a valid safetensors checkpoint: {e.Message}", e);
        }
        LoadWeights(path, model, file.Tensors);
        return info;
    }

    /// <summary>Rebuilds the <see cref="CondPromoter"/> recorded in the checkpoint and loads its weights.</summary>
    /// <exception cref="CheckpointMismatchException">The checkpoint holds another model kind, another major version, or no options.</exception>
    public static (CondPromoter Model, CheckpointInfo Info) LoadCondPromoter(string path)
    {
        var info = ReadInfo(path);
        if (info.Model.Kind != ModelDescription.CondPromoterKind || info.Model.Options is null)
        {
            throw new CheckpointMismatchException(path, $"'{path}' holds a {info.Model.Kind}, not a CondPromoter.");
        }
        CheckVersion(path, info.PromptorVersion);
        CondPromoter model;
        try
        {
            model = info.Model.CreateCondPromoter(new Generator(0));
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new CheckpointMismatchException(path, $"'{path}' records model options this version cannot build: {e.Message}", e);
        }
        Load(path, model);
        return (model, info);
    }

    /// <summary>
    /// Checks that a checkpoint described by <paramref name="found"/> fits a model described by
    /// <paramref name="expected"/> (kind, options hash, major version).
    /// </summary>
    /// <exception cref="CheckpointMismatchException">With a one-line message naming the first difference.</exception>
    public static void CheckCompatible(string path, CheckpointInfo found, ModelDescription expected)
    {
        ArgumentNullException.ThrowIfNull(found);
        ArgumentNullException.ThrowIfNull(expected);
        string file = System.IO.Path.GetFileName(path);
        if (found.Model.Kind != expected.Kind)
        {
            throw new CheckpointMismatchException(path, $"'{file}' holds a {found.Model.Kind} model, not a {expected.Kind}.");
        }
        CheckVersion(path, found.PromptorVersion);
        if (found.Model.OptionsHash != expected.OptionsHash)
        {
            // A checkpoint written before an option existed records no value for it; it matches
            // when the model uses that option's default.
            ModelDescription filled = found.Model.WithDefaultsFilledIn();
            if (filled.OptionsHash == expected.OptionsHash)
            {
                return;
            }

            string difference = FirstDifference(filled.Options, expected.Options);
            throw new CheckpointMismatchException(path,
                $"'{file}' holds a {found.Model.Kind} with other options (hash {found.Model.OptionsHash}, this model {expected.OptionsHash}){difference}.");
        }
    }

    internal static void LoadWeights(string path, Module model, IReadOnlyDictionary<string, Tensor> tensors)
    {
        try
        {
            model.LoadStateDict(tensors);
        }
        catch (StateDictMismatchException e)
        {
            throw new CheckpointMismatchException(path, $"'{System.IO.Path.GetFileName(path)}' does not fit the model: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    private static void CheckVersion(string path, string version)
    {
        int major = PromptorVersion.MajorOf(version), current = PromptorVersion.MajorOf(PromptorVersion.Current);
        if (major != current)
        {
            throw new CheckpointMismatchException(path,
                $"'{System.IO.Path.GetFileName(path)}' was written by Promptor {version}; this is Promptor {PromptorVersion.Current} and major versions must match.");
        }
    }

    private static string FirstDifference(JsonObject? found, JsonObject? expected)
    {
        if (found is null || expected is null)
        {
            return "";
        }
        foreach (var key in found.Select(p => p.Key).Union(expected.Select(p => p.Key)))
        {
            string a = found[key]?.ToJsonString() ?? "absent", b = expected[key]?.ToJsonString() ?? "absent";
            if (a != b)
            {
                return $": {key} is {a} in the checkpoint and {b} in the model";
            }
        }
        return "";
    }
}
