using System.Globalization;
using Promptor.Tensors;

namespace Promptor.Nn.Layers;

/// <summary>
/// Inverted dropout: in training, zeroes each value with probability <c>p</c> and scales the rest
/// by <c>1/(1−p)</c>; the identity in evaluation mode. Seeded by its own generator.
/// </summary>
public sealed class Dropout : Module, IModule
{
    private Generator generator;

    /// <summary>Creates the layer; <paramref name="p"/> must be in <c>[0, 1)</c>.</summary>
    public Dropout(float p, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (!(p >= 0 && p < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), $"Dropout probability must be in [0, 1), got {p}.");
        }
        P = p;
        this.generator = new Generator(generator.NextUInt64());
    }

    /// <summary>Drop probability.</summary>
    public float P { get; }

    /// <summary>
    /// Restarts this layer's random stream from <paramref name="seed"/>, so that a training loop can
    /// make every epoch's masks a function of (seed, epoch) and resume an interrupted run exactly.
    /// </summary>
    public void Reseed(ulong seed) => generator = new Generator(seed);

    /// <inheritdoc/>
    public Tensor Forward(Tensor input) => P == 0f || !IsTraining ? input : input.Dropout(P, generator, training: true);

    /// <summary>
    /// <c>Forward(input.Relu())</c> in one pass (<see cref="Ops.ReluDropout"/>): the same values, gradients
    /// and random stream, without the rectified intermediate.
    /// </summary>
    public Tensor ForwardRelu(Tensor input) => P == 0f || !IsTraining ? input.Relu() : input.ReluDropout(P, generator, training: true);

    /// <inheritdoc/>
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture, $"p={P}");
}
