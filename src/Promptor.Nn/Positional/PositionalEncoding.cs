using Promptor.Tensors;

namespace Promptor.Nn.Positional;

/// <summary>
/// An absolute positional encoding added to token embeddings <c>(B, T, d)</c> (or <c>(T, d)</c>):
/// <c>Forward(x, offset)</c> returns <c>x + P[offset : offset + T]</c>. The offset lets
/// generation encode the next token at its true position. Create one from an option with
/// <see cref="Create"/>.
/// </summary>
public abstract class PositionalEncoding : Module, IModule
{
    /// <summary>Encodes positions <c>0 .. T−1</c>: <c>Forward(input, 0)</c>.</summary>
    public Tensor Forward(Tensor input) => Forward(input, 0);

    /// <summary>
    /// Adds the encoding of positions <c>offset .. offset + T − 1</c> to <paramref name="input"/>
    /// <c>(…, T, d)</c>; the result has the input's shape.
    /// </summary>
    public abstract Tensor Forward(Tensor input, int offset);

    /// <summary>
    /// The absolute encoding a model should apply to its input for <paramref name="kind"/>:
    /// <see cref="SinusoidalPositionalEncoding"/>, <see cref="LearnedPositionalEmbedding"/>, or
    /// <see cref="NoPositionalEncoding"/> for <see cref="PositionalEncodingKind.None"/> and
    /// <see cref="PositionalEncodingKind.Relative"/> (relative positions enter inside attention,
    /// through <see cref="RelativePositionBias"/> or <see cref="ShawRelativeAttention"/>).
    /// </summary>
    /// <param name="kind">Which encoding.</param>
    /// <param name="dModel">Embedding width d (≥ 1).</param>
    /// <param name="maxLength">Longest sequence (offset included) the encoding must cover (≥ 1).</param>
    /// <param name="generator">Initialises the learned table; required for <see cref="PositionalEncodingKind.Learned"/> only.</param>
    /// <param name="base">Sinusoid base (default 10000).</param>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is null for a learned table.</exception>
    public static PositionalEncoding Create(PositionalEncodingKind kind, int dModel, int maxLength,
        Generator? generator = null, double @base = SinusoidalPositionalEncoding.DefaultBase)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dModel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        return kind switch
        {
            PositionalEncodingKind.None or PositionalEncodingKind.Relative => new NoPositionalEncoding(),
            PositionalEncodingKind.Sinusoidal => new SinusoidalPositionalEncoding(dModel, maxLength, @base),
            PositionalEncodingKind.Learned => new LearnedPositionalEmbedding(maxLength, dModel,
                generator ?? throw new ArgumentNullException(nameof(generator), "A learned positional embedding needs a generator to initialise its table.")),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown positional encoding kind."),
        };
    }

    /// <summary>Checks <c>(…, T, d)</c> and that positions <c>offset .. offset + T − 1</c> fit; returns T.</summary>
    private protected static int CheckInput(Tensor input, int dModel, int maxLength, int offset, string name)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2 || input.Shape[-1] != dModel)
        {
            throw new ArgumentException($"{name} expects input (…, T, d) with d = {dModel}; got {input.Shape}.", nameof(input));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        int t = input.Shape[-2];
        if ((long)offset + t > maxLength)
        {
            string at = offset == 0 ? "" : $" at offset {offset}";
            throw new ArgumentException(
                $"{name}: input length T = {t}{at} exceeds maxLength = {maxLength}; create it with a larger maxLength.", nameof(input));
        }
        return t;
    }
}
