namespace Promptor.Nn.Serialization;

/// <summary>One tensor's header entry, validated.</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="DType">Its element type in the file.</param>
/// <param name="Shape">Its dimensions (empty for a scalar).</param>
/// <param name="Begin">Start of its bytes, relative to the data section.</param>
/// <param name="End">End (exclusive) of its bytes, relative to the data section.</param>
public sealed record SafeTensorsEntry(string Name, SafeTensorsDType DType, IReadOnlyList<int> Shape, long Begin, long End)
{
    /// <summary>Number of elements (product of the shape).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);

    /// <summary>Number of bytes, <c>End − Begin</c>.</summary>
    public long ByteLength => End - Begin;
}
