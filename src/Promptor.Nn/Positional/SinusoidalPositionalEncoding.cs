using System.Globalization;
using Promptor.Tensors;

namespace Promptor.Nn.Positional;

/// <summary>
/// The fixed sine/cosine encoding of "Attention is all you need":
/// <c>PE[pos, 2i] = sin(pos / base^(2i/d))</c>, <c>PE[pos, 2i+1] = cos(pos / base^(2i/d))</c>
/// (interleaved), computed in double and rounded to float32. <c>Forward(x, offset)</c> adds rows
/// <c>offset .. offset + T − 1</c> to x <c>(B, T, d)</c>. The table is the non-persistent buffer
/// <c>pe</c> <c>(maxLength, d)</c>: it is rebuilt from the settings, so it is not saved in state
/// dicts (PyTorch's <c>register_buffer(..., persistent=False)</c>). No parameters.
/// </summary>
/// <remarks>
/// Odd d: the formula is applied unchanged to every column, so the last column d − 1 = 2i is a
/// sine with frequency <c>base^(−(d−1)/d)</c> and has no cosine partner (the common PyTorch
/// recipe, which fills <c>pe[:, 1::2]</c> with a <c>(d+1)/2</c>-wide cosine, fails for odd d).
/// For even d this is exactly the standard table.
/// </remarks>
public sealed class SinusoidalPositionalEncoding : PositionalEncoding
{
    /// <summary>The base of "Attention is all you need", 10000.</summary>
    public const double DefaultBase = 10000;

    /// <summary>Builds the table for positions <c>0 .. maxLength − 1</c>.</summary>
    /// <param name="dModel">Embedding width d (≥ 1).</param>
    /// <param name="maxLength">Number of positions (≥ 1), offset included.</param>
    /// <param name="base">Wavelength base (&gt; 0, finite; default 10000): wavelengths run from 2π to 2π·base.</param>
    public SinusoidalPositionalEncoding(int dModel, int maxLength, double @base = DefaultBase)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dModel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        DModel = dModel;
        MaxLength = maxLength;
        Base = @base;
        Pe = RegisterBuffer("pe", Table(maxLength, dModel, @base), persistent: false);
    }

    /// <summary>Embedding width d.</summary>
    public int DModel { get; }

    /// <summary>Number of positions in the table.</summary>
    public int MaxLength { get; }

    /// <summary>Wavelength base.</summary>
    public double Base { get; }

    /// <summary>The table <c>(maxLength, d)</c> (buffer <c>pe</c>).</summary>
    public Tensor Pe { get; }

    /// <summary>
    /// The sinusoidal table <c>(length, d)</c> for positions <c>0 .. length − 1</c> (see the class
    /// remarks for odd d). Length 0 gives an empty table.
    /// </summary>
    /// <param name="length">Number of positions (≥ 0).</param>
    /// <param name="dModel">Width d (≥ 1).</param>
    /// <param name="base">Wavelength base (&gt; 0, finite; default 10000).</param>
    public static Tensor Table(int length, int dModel, double @base = DefaultBase)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dModel);
        if (!(@base > 0) || double.IsInfinity(@base))
        {
            throw new ArgumentOutOfRangeException(nameof(@base), @base, "The sinusoid base must be positive and finite.");
        }
        var pe = new Tensor(new Shape(length, dModel));
        var invFrequency = new double[(dModel + 1) / 2];
        for (int i = 0; i < invFrequency.Length; i++)
        {
            invFrequency[i] = Math.Pow(@base, 2.0 * i / dModel);
        }
        for (int pos = 0; pos < length; pos++)
        {
            var row = pe.Data.AsSpan(pos * dModel, dModel);
            for (int c = 0; c < dModel; c++)
            {
                double angle = pos / invFrequency[c / 2];
                row[c] = (float)(c % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle));
            }
        }
        return pe;
    }

    /// <summary>
    /// <c>input + pe[offset : offset + T]</c> for input <c>(…, T, d)</c> (broadcast over the leading
    /// dims); gradients flow to the input only.
    /// </summary>
    /// <exception cref="ArgumentException">The last dim is not d, or <c>offset + T &gt; maxLength</c>.</exception>
    public override Tensor Forward(Tensor input, int offset)
    {
        int t = CheckInput(input, DModel, MaxLength, offset, nameof(SinusoidalPositionalEncoding));
        return input.Add(Pe.Slice(0, offset, t));
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"d={DModel}, maxLength={MaxLength}, base={Base}");
}
