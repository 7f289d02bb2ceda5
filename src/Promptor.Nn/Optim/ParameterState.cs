using System.Diagnostics.CodeAnalysis;

namespace Promptor.Nn.Optim;

/// <summary>
/// What an optimizer keeps for one parameter: the number of updates it received and named
/// buffers of the parameter's size (<c>"momentum_buffer"</c>, <c>"exp_avg"</c>, <c>"exp_avg_sq"</c>,
/// PyTorch's names). Created on a parameter's first update.
/// </summary>
public sealed class ParameterState
{
    private readonly Dictionary<string, float[]> buffers = new(StringComparer.Ordinal);

    /// <summary>Updates applied to this parameter (incremented before each update).</summary>
    public long Step { get; set; }

    /// <summary>The buffers by name.</summary>
    public IReadOnlyDictionary<string, float[]> Buffers => buffers;

    /// <summary>The buffer <paramref name="name"/>, if it exists.</summary>
    public bool TryGetBuffer(string name, [NotNullWhen(true)] out float[]? buffer) => buffers.TryGetValue(name, out buffer);

    /// <summary>The buffer <paramref name="name"/>, created zero-filled with <paramref name="length"/> values if absent.</summary>
    public float[] GetOrCreateBuffer(string name, int length)
    {
        if (!buffers.TryGetValue(name, out var buffer))
        {
            buffer = new float[length];
            buffers[name] = buffer;
        }
        return buffer;
    }

    /// <summary>Sets (or replaces) the buffer <paramref name="name"/>; the array is kept, not copied.</summary>
    public void SetBuffer(string name, float[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        buffers[name] = buffer;
    }
}
