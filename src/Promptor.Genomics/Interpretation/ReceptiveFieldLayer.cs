namespace Promptor.Genomics.Interpretation;

/// <summary>
/// One sliding-window layer as seen by receptive-field arithmetic: a window of <paramref name="Kernel"/>
/// taps spaced <paramref name="Dilation"/> apart, moved by <paramref name="Stride"/>, over an input
/// padded by <paramref name="PadLeft"/> zeros on the left and <paramref name="PadRight"/> on the right.
/// Output position t reads input positions
/// <c>t·Stride − PadLeft … t·Stride − PadLeft + Dilation·(Kernel − 1)</c>. A convolution with 'same'
/// padding and a max or average pool are both such layers.
/// </summary>
/// <param name="Kernel">Taps K (≥ 1).</param>
/// <param name="Stride">Step S between windows (≥ 1).</param>
/// <param name="Dilation">Spacing of the taps (≥ 1).</param>
/// <param name="PadLeft">Zeros added before the first input position (≥ 0).</param>
/// <param name="PadRight">Zeros added after the last input position (≥ 0).</param>
public sealed record ReceptiveFieldLayer(int Kernel, int Stride = 1, int Dilation = 1, int PadLeft = 0, int PadRight = 0)
{
    /// <summary>Input positions spanned by one window: <c>Dilation·(Kernel − 1) + 1</c>.</summary>
    public int Span => Dilation * (Kernel - 1) + 1;

    /// <summary>
    /// A stride-1 convolution with 'same' padding: total <c>Dilation·(K−1)</c>, left <c>⌊total/2⌋</c>, the
    /// rest right (as PyTorch and <see cref="Tensors.Padding.Same"/> pad).
    /// </summary>
    public static ReceptiveFieldLayer SameConvolution(int kernel, int dilation = 1)
    {
        int total = dilation * (kernel - 1);
        return new(kernel, 1, dilation, total / 2, total - total / 2);
    }

    /// <summary>Output length for an input of <paramref name="inputLength"/> positions (floor mode); may be ≤ 0.</summary>
    public int OutputLength(int inputLength) => (inputLength + PadLeft + PadRight - Span) / Stride + 1;

    /// <summary>A pool of <paramref name="size"/> with stride <paramref name="size"/> and no padding (floor mode).</summary>
    public static ReceptiveFieldLayer Pool(int size) => new(size, size, 1, 0);

    /// <summary>Throws <see cref="ArgumentException"/> when a field is out of range.</summary>
    public void Validate()
    {
        if (Kernel < 1 || Stride < 1 || Dilation < 1 || PadLeft < 0 || PadRight < 0)
        {
            throw new ArgumentException($"Invalid receptive-field layer {this}: kernel, stride and dilation must be ≥ 1 and padding ≥ 0.");
        }
    }
}
