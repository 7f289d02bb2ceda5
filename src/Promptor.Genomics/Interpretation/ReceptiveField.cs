using Promptor.Genomics.Models;

namespace Promptor.Genomics.Interpretation;

/// <summary>
/// Where each output position of a stack of sliding-window layers (convolutions, pools) looks in the
/// input. The stack is summarised by three numbers, composed layer by layer from the input up
/// (Araujo, Norris and Sim, "Computing receptive fields of convolutional neural networks", Distill 2019):
/// <list type="bullet">
/// <item><see cref="Jump"/>: input positions between neighbouring outputs, the product of the strides;</item>
/// <item><see cref="Size"/>: input positions one output reads, <c>r ← r + (span − 1)·jump</c>;</item>
/// <item><see cref="FirstCentre"/>: the centre of output 0, <c>c ← c + ((span − 1)/2 − pad)·jump</c>.</item>
/// </list>
/// Output t is centred on <c>FirstCentre + t·Jump</c> and spans <see cref="Size"/> positions around it,
/// clipped to the sequence by <see cref="Span"/> (padding reads zeros, not bases).
/// For the default <see cref="CondPromoter"/> stack (conv 15, pool 4, conv 9, pool 4) on 1 kb:
/// jump 16, size 62, first centre 7.5, 62 outputs; output t covers base pairs <c>16t − 23 … 16t + 38</c>.
/// </summary>
public sealed class ReceptiveField
{
    /// <summary>Composes <paramref name="layers"/> (input first) over a sequence of <paramref name="inputLength"/> positions.</summary>
    /// <exception cref="ArgumentException">A layer is invalid, or the stack reduces the input to nothing.</exception>
    public ReceptiveField(IReadOnlyList<ReceptiveFieldLayer> layers, int inputLength)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputLength);
        long jump = 1, size = 1;
        double centre = 0;
        int length = inputLength;
        foreach (var layer in layers)
        {
            ArgumentNullException.ThrowIfNull(layer, nameof(layers));
            layer.Validate();
            int span = layer.Span;
            size += (span - 1) * jump;
            centre += ((span - 1) / 2.0 - layer.PadLeft) * jump;
            jump *= layer.Stride;
            length = length + layer.PadLeft + layer.PadRight < span ? 0 : layer.OutputLength(length);
            if (length <= 0)
            {
                throw new ArgumentException($"The layer stack reduces {inputLength} positions to nothing at {layer}.", nameof(layers));
            }
        }
        Layers = [.. layers];
        InputLength = inputLength;
        OutputLength = length;
        Jump = checked((int)jump);
        Size = checked((int)size);
        FirstCentre = centre;
    }

    /// <summary>The layers, input first.</summary>
    public IReadOnlyList<ReceptiveFieldLayer> Layers { get; }

    /// <summary>Input length L in positions (base pairs).</summary>
    public int InputLength { get; }

    /// <summary>Output positions T'.</summary>
    public int OutputLength { get; }

    /// <summary>Input positions between neighbouring outputs (product of strides).</summary>
    public int Jump { get; }

    /// <summary>Input positions one output reads (before clipping to the sequence).</summary>
    public int Size { get; }

    /// <summary>Centre of output 0 in input coordinates (may be fractional or negative).</summary>
    public double FirstCentre { get; }

    /// <summary>
    /// The receptive field of a <see cref="CondPromoter"/>'s convolution stack: per
    /// <see cref="ConvLayerSpec"/> a 'same' convolution (width, dilation), then a pool when
    /// <see cref="ConvLayerSpec.Pool"/> &gt; 1.
    /// </summary>
    public static ReceptiveField Of(CondPromoterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Of(options.Convolutions, options.SequenceLength);
    }

    /// <summary>The receptive field of a convolution stack <paramref name="convolutions"/> over <paramref name="sequenceLength"/> bp.</summary>
    public static ReceptiveField Of(IReadOnlyList<ConvLayerSpec> convolutions, int sequenceLength)
    {
        ArgumentNullException.ThrowIfNull(convolutions);
        var layers = new List<ReceptiveFieldLayer>();
        foreach (var c in convolutions)
        {
            layers.Add(ReceptiveFieldLayer.SameConvolution(c.Width, c.Dilation));
            if (c.Pool > 1)
            {
                layers.Add(ReceptiveFieldLayer.Pool(c.Pool));
            }
        }
        return new ReceptiveField(layers, sequenceLength);
    }

    /// <summary>The centre of output <paramref name="position"/> in input coordinates.</summary>
    public double Centre(int position)
    {
        CheckPosition(position);
        return FirstCentre + (double)position * Jump;
    }

    /// <summary>
    /// First and last input positions (inclusive) that output <paramref name="position"/> reads, clipped to
    /// <c>[0, L − 1]</c>.
    /// </summary>
    public (int First, int Last) Span(int position)
    {
        var (first, last) = UnclippedSpan(position);
        return (Math.Max(0, first), Math.Min(InputLength - 1, last));
    }

    /// <summary>First and last input positions of output <paramref name="position"/>, including padding (may leave the sequence).</summary>
    public (int First, int Last) UnclippedSpan(int position)
    {
        double centre = Centre(position);
        int first = (int)Math.Round(centre - (Size - 1) / 2.0);
        return (first, first + Size - 1);
    }

    private void CheckPosition(int position)
    {
        if ((uint)position >= (uint)OutputLength)
        {
            throw new ArgumentOutOfRangeException(nameof(position), $"Position {position} is outside the {OutputLength} outputs.");
        }
    }
}
