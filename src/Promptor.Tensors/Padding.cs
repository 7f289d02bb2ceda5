using System.Globalization;

namespace Promptor.Tensors;

/// <summary>How a convolution pads its input; see <see cref="Padding"/>.</summary>
public enum PaddingMode
{
    /// <summary>No padding: the output only covers positions where the kernel fits entirely.</summary>
    Valid,

    /// <summary>Pads so the output length equals the input length (stride 1 only).</summary>
    Same,

    /// <summary>The same number of zeros on both sides.</summary>
    Explicit,
}

/// <summary>
/// Zero padding of a 1-D convolution, as in PyTorch: <see cref="Valid"/> (the default),
/// <see cref="Same"/> (total <c>dilation·(K−1)</c>, left <c>total/2</c>, the rest right, so an even
/// kernel pads one more on the right; stride 1 only) or an explicit symmetric amount
/// (<see cref="Symmetric"/>, or implicitly from an <c>int</c>).
/// </summary>
public readonly struct Padding : IEquatable<Padding>
{
    private Padding(PaddingMode mode, int amount)
    {
        Mode = mode;
        Amount = amount;
    }

    /// <summary>The kind of padding.</summary>
    public PaddingMode Mode { get; }

    /// <summary>Zeros added on each side for <see cref="PaddingMode.Explicit"/>; 0 otherwise.</summary>
    public int Amount { get; }

    /// <summary>No padding (also <c>default(Padding)</c>).</summary>
    public static Padding Valid => default;

    /// <summary>Output length equal to the input length; only valid with stride 1.</summary>
    public static Padding Same => new(PaddingMode.Same, 0);

    /// <summary><paramref name="amount"/> zeros on each side (non-negative).</summary>
    public static Padding Symmetric(int amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        return new Padding(PaddingMode.Explicit, amount);
    }

    /// <summary>Explicit symmetric padding, <c>padding: 1</c>.</summary>
    public static implicit operator Padding(int amount) => Symmetric(amount);

    /// <summary>
    /// The zeros added on the left and on the right for a kernel of <paramref name="kernelSize"/>
    /// taps at <paramref name="dilation"/>; throws for <see cref="Same"/> with a stride other than 1.
    /// </summary>
    public (int Left, int Right) Resolve(int kernelSize, int dilation, int stride)
    {
        switch (Mode)
        {
            case PaddingMode.Same:
                if (stride != 1)
                {
                    throw new ArgumentException($"Padding.Same needs stride 1 (as in PyTorch), got stride {stride}; use explicit padding instead.");
                }
                int total = dilation * (kernelSize - 1);
                return (total / 2, total - total / 2);
            case PaddingMode.Explicit:
                return (Amount, Amount);
            default:
                return (0, 0);
        }
    }

    /// <inheritdoc/>
    public bool Equals(Padding other) => Mode == other.Mode && Amount == other.Amount;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Padding p && Equals(p);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Mode, Amount);

    /// <summary>Equal when mode and amount are.</summary>
    public static bool operator ==(Padding left, Padding right) => left.Equals(right);

    /// <summary>Different when mode or amount differ.</summary>
    public static bool operator !=(Padding left, Padding right) => !left.Equals(right);

    /// <summary><c>valid</c>, <c>same</c> or the explicit amount.</summary>
    public override string ToString() => Mode switch
    {
        PaddingMode.Same => "same",
        PaddingMode.Explicit => Amount.ToString(CultureInfo.InvariantCulture),
        _ => "valid",
    };
}
