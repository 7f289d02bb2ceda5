using System.Text.Json;
using Promptor.Genomics.Models;
using Promptor.Nn.Serialization;
using Promptor.Tensors;

namespace Promptor.Genomics.Training;

/// <summary>
/// <c>run.json</c>: everything needed to reproduce and reuse a training run — versions, the model kind
/// and options (enough to rebuild the model, see <see cref="CreateCondPromoter"/>), the trainer options
/// and seed, digests of the data, the treatments, gene counts, the target scaler, the best epoch and the
/// per-epoch metrics. Written atomically beside the checkpoints after every epoch; snake_case JSON with
/// enums as strings and NaN as a literal.
/// </summary>
public sealed record RunManifest
{
    /// <summary>The file name, <c>run.json</c>.</summary>
    public const string FileName = "run.json";

    /// <summary>Version of this file's layout (1).</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>Promptor's version (see <see cref="Training.PromptorVersion.Current"/>).</summary>
    public required string PromptorVersion { get; init; }

    /// <summary>The .NET runtime description.</summary>
    public required string DotnetVersion { get; init; }

    /// <summary>When the run started (UTC).</summary>
    public required DateTimeOffset StartedUtc { get; init; }

    /// <summary>When this file was last written (UTC).</summary>
    public required DateTimeOffset UpdatedUtc { get; init; }

    /// <summary>The model kind, options and options hash.</summary>
    public required ModelDescription Model { get; init; }

    /// <summary>Trainable values of the model.</summary>
    public long ParameterCount { get; init; }

    /// <summary>The trainer options.</summary>
    public required TrainerOptions TrainerOptions { get; init; }

    /// <summary>The training seed (also in <see cref="TrainerOptions"/>).</summary>
    public ulong Seed { get; init; }

    /// <summary>Digests of the data and split.</summary>
    public required DataHashes Data { get; init; }

    /// <summary>The treatment names, in the model's output order.</summary>
    public required IReadOnlyList<string> Treatments { get; init; }

    /// <summary>Genes per part of the split.</summary>
    public required GeneCounts Genes { get; init; }

    /// <summary>The target standardisation (identity when off).</summary>
    public required ScalerSnapshot Scaler { get; init; }

    /// <summary>Where the run stands.</summary>
    public RunStatus Status { get; init; }

    /// <summary>Epochs completed so far.</summary>
    public int EpochsCompleted { get; init; }

    /// <summary>The best epoch so far (0 before the first).</summary>
    public int BestEpoch { get; init; }

    /// <summary>The selection metric of the best epoch.</summary>
    public double BestMetric { get; init; } = double.NaN;

    /// <summary>Per-epoch metrics.</summary>
    public IReadOnlyList<EpochRecord> Metrics { get; init; } = [];

    /// <summary>Reads a manifest.</summary>
    /// <exception cref="JsonException">The file is not a valid manifest.</exception>
    public static RunManifest Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return FromJson(File.ReadAllText(path));
    }

    /// <summary>Parses a manifest.</summary>
    /// <exception cref="JsonException">The text is not a valid manifest.</exception>
    public static RunManifest FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize<RunManifest>(json, TrainingJson.Indented) ?? throw new JsonException("run.json holds null.");
    }

    /// <summary>The manifest as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, TrainingJson.Indented);

    /// <summary>Writes the manifest to <paramref name="path"/>, atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson() + "\n");

    /// <summary>Rebuilds the run's <see cref="CondPromoter"/> with fresh weights from <paramref name="generator"/> (load a checkpoint next).</summary>
    public CondPromoter CreateCondPromoter(Generator generator) => Model.CreateCondPromoter(generator);
}
