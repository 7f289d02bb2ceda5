namespace Promptor.Nn.Serialization;

/// <summary>A validated safetensors header (<see cref="SafeTensors.ReadHeader"/>): entries and metadata, no tensor data.</summary>
/// <param name="Entries">The tensors, sorted by name (ordinal).</param>
/// <param name="Metadata">The <c>__metadata__</c> strings (empty when absent).</param>
/// <param name="DataOffset">Absolute file offset of the data section, <c>8 + header length</c>.</param>
/// <param name="DataLength">Length of the data section in bytes.</param>
public sealed record SafeTensorsHeader(IReadOnlyList<SafeTensorsEntry> Entries, IReadOnlyDictionary<string, string> Metadata, long DataOffset, long DataLength);
