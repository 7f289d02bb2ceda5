using Promptor.Tensors;

namespace Promptor.Nn.Serialization;

/// <summary>The contents of a safetensors file read by <see cref="SafeTensors.Load"/>.</summary>
/// <param name="Tensors">Tensors by name (converted to float32), sorted by name.</param>
/// <param name="Metadata">The <c>__metadata__</c> strings (empty when absent).</param>
/// <param name="DTypes">Each tensor's element type in the file.</param>
public sealed record SafeTensorsFile(
    IReadOnlyDictionary<string, Tensor> Tensors,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyDictionary<string, SafeTensorsDType> DTypes);
