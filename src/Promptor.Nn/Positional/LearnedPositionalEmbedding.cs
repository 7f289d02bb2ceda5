using System.Globalization;
using Promptor.Nn.Init;
using Promptor.Tensors;

namespace Promptor.Nn.Positional;

/// <summary>
/// A learned absolute position table (BERT, GPT-2): <c>Forward(x, offset) = x + E[offset : offset + T]</c>
/// for x <c>(B, T, d)</c>. Parameter <c>weight</c> <c>(maxLength, d)</c>, initialised from
/// <c>N(0, 0.02²)</c> as in GPT-2 / nanoGPT (PyTorch's <c>nn.Embedding</c> would use N(0, 1), which
/// swamps token embeddings of similar scale; pass <c>std: 1</c> to get it). Only the rows used by a
/// forward pass receive gradient.
/// </summary>
public sealed class LearnedPositionalEmbedding : PositionalEncoding
{
    /// <summary>GPT-2's initial standard deviation, 0.02.</summary>
    public const double DefaultStd = 0.02;

    /// <summary>Creates the table and initialises it from <paramref name="generator"/>.</summary>
    /// <param name="maxLength">Number of positions (≥ 1), offset included.</param>
    /// <param name="dModel">Embedding width d (≥ 1).</param>
    /// <param name="generator">Source of the initial values.</param>
    /// <param name="std">Standard deviation of the initial values (≥ 0; default 0.02).</param>
    public LearnedPositionalEmbedding(int maxLength, int dModel, Generator generator, double std = DefaultStd)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dModel);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfNegative(std);
        MaxLength = maxLength;
        DModel = dModel;
        Weight = RegisterParameter("weight", new Parameter(new Shape(maxLength, dModel)));
        Initializers.Normal(Weight, generator, 0, std);
    }

    /// <summary>Number of positions in the table.</summary>
    public int MaxLength { get; }

    /// <summary>Embedding width d.</summary>
    public int DModel { get; }

    /// <summary>The table, <c>(maxLength, d)</c>.</summary>
    public Parameter Weight { get; }

    /// <summary>
    /// <c>input + weight[offset : offset + T]</c> for input <c>(…, T, d)</c> (broadcast over the
    /// leading dims); the gradient of <c>weight</c> is the upstream gradient summed over the leading
    /// dims, in rows <c>offset .. offset + T − 1</c> only.
    /// </summary>
    /// <exception cref="ArgumentException">The last dim is not d, or <c>offset + T &gt; maxLength</c> (the message names both).</exception>
    public override Tensor Forward(Tensor input, int offset)
    {
        int t = CheckInput(input, DModel, MaxLength, offset, nameof(LearnedPositionalEmbedding));
        return input.Add(Weight.Slice(0, offset, t));
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"maxLength={MaxLength}, d={DModel}");
}
