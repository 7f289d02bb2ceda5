namespace Promptor.Genomics.IO;

/// <summary>A float32 array read from or written to a NumPy <c>.npy</c> file: its shape and C-order values.</summary>
/// <param name="Shape">Dimensions (empty for a scalar).</param>
/// <param name="Data">Values in C (row-major) order; length is the product of <paramref name="Shape"/>.</param>
public sealed record NpyArray(IReadOnlyList<int> Shape, float[] Data);
