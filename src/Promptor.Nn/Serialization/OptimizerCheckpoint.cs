using System.Globalization;
using Promptor.Nn.Optim;

namespace Promptor.Nn.Serialization;

/// <summary>
/// Saves and restores an optimizer's state (<see cref="Optimizer.GetState"/>) as a safetensors
/// file: the buffers as tensors (<c>state.{i}.exp_avg</c>, …), the step counts and group
/// hyperparameters as metadata <c>scalar.{name}</c> (round-trip formatted), and the optimizer's
/// type name as metadata <c>optimizer</c>, checked on load.
/// </summary>
public static class OptimizerCheckpoint
{
    /// <summary>Metadata key holding the optimizer's type name.</summary>
    public const string TypeKey = "optimizer";

    /// <summary>Prefix of the metadata keys holding the state's scalars.</summary>
    public const string ScalarPrefix = "scalar.";

    /// <summary>
    /// Writes <paramref name="optimizer"/>'s state to <paramref name="path"/>, atomically, with
    /// extra <paramref name="metadata"/> (whose keys must not be <c>optimizer</c> or start with <c>scalar.</c>).
    /// </summary>
    public static void Save(string path, Optimizer optimizer, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var state = optimizer.GetState();
        var meta = new Dictionary<string, string>(StringComparer.Ordinal) { [TypeKey] = optimizer.GetType().Name };
        foreach (var (key, value) in state.Scalars)
        {
            meta[ScalarPrefix + key] = value.ToString("R", CultureInfo.InvariantCulture);
        }
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                if (key == TypeKey || key.StartsWith(ScalarPrefix, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Metadata key '{key}' is reserved for the optimizer state.", nameof(metadata));
                }
                meta[key] = value;
            }
        }
        SafeTensors.Save(path, state.Tensors, meta);
    }

    /// <summary>
    /// Restores the state saved by <see cref="Save"/> into <paramref name="optimizer"/> (same type,
    /// same parameter shapes) and returns the extra metadata.
    /// </summary>
    /// <exception cref="SafeTensorsFormatException">The file is not valid safetensors, or its scalars are malformed.</exception>
    /// <exception cref="ArgumentException">The state belongs to another optimizer type or does not fit the parameters.</exception>
    public static IReadOnlyDictionary<string, string> Load(string path, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var file = SafeTensors.Load(path);
        string expected = optimizer.GetType().Name;
        if (!file.Metadata.TryGetValue(TypeKey, out var type) || type != expected)
        {
            throw new ArgumentException($"'{path}' holds {(type is null ? "no optimizer state" : $"the state of {type}")}, not of {expected}.", nameof(path));
        }
        var scalars = new Dictionary<string, double>(StringComparer.Ordinal);
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in file.Metadata)
        {
            if (key.StartsWith(ScalarPrefix, StringComparison.Ordinal))
            {
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                {
                    throw new SafeTensorsFormatException(path, $"metadata '{key}' = '{value}' is not a number.");
                }
                scalars[key[ScalarPrefix.Length..]] = v;
            }
            else if (key != TypeKey)
            {
                extra[key] = value;
            }
        }
        optimizer.LoadState(new OptimizerState(new(file.Tensors, StringComparer.Ordinal), scalars));
        return extra;
    }
}
