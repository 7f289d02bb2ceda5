namespace Promptor.Tensors.Kernels;

/// <summary>
/// Where the vectors of one attention operand sit in its buffer: element <c>(b, h, t, c)</c> is at
/// <c>Offset + b·BatchStride + h·HeadStride + t·RowStride + c</c>. One layout type covers the
/// contiguous <c>(B, H, T, D)</c> tensors of <see cref="Ops.ScaledDotProductAttention"/> and the
/// packed <c>(B, T, 3E)</c> projections of a transformer layer, read in place without splitting heads,
/// for the training kernels (<see cref="AttentionKernels"/>, where it also describes each operand's
/// gradient) and the inference kernels alike.
/// </summary>
/// <param name="Offset">Index of element (0, 0, 0, 0).</param>
/// <param name="BatchStride">Distance between batch entries (0 shares one operand across the batch).</param>
/// <param name="HeadStride">Distance between heads.</param>
/// <param name="RowStride">Distance between positions.</param>
public readonly record struct AttentionLayout(int Offset, int BatchStride, int HeadStride, int RowStride)
{
    /// <summary>A contiguous <c>(B, H, T, width)</c> tensor.</summary>
    public static AttentionLayout Contiguous(int heads, int length, int width) => new(0, heads * length * width, length * width, width);

    /// <summary>
    /// Heads side by side in rows of <paramref name="rowWidth"/> floats, <c>(B, T, rowWidth)</c>:
    /// head h of this operand starts at column <c>offset + h·headWidth</c>.
    /// </summary>
    public static AttentionLayout Interleaved(int offset, int length, int rowWidth, int headWidth) => new(offset, length * rowWidth, headWidth, rowWidth);

    /// <summary>Start of the <c>(b, h)</c> matrix.</summary>
    public int Start(int b, int h) => Offset + b * BatchStride + h * HeadStride;

    /// <summary>Index of feature 0 of row <paramref name="t"/> of head (<paramref name="b"/>, <paramref name="h"/>).</summary>
    public int Row(int b, int h, int t) => Start(b, h) + t * RowStride;
}
