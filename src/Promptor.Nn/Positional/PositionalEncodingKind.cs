namespace Promptor.Nn.Positional;

/// <summary>How a model tells positions apart; see <see cref="PositionalEncoding.Create"/>.</summary>
public enum PositionalEncodingKind
{
    /// <summary>No positions: attention is then permutation-equivariant (<see cref="NoPositionalEncoding"/>).</summary>
    None,

    /// <summary>Fixed sine/cosine table added to the input (<see cref="SinusoidalPositionalEncoding"/>).</summary>
    Sinusoidal,

    /// <summary>Learned absolute table added to the input (<see cref="LearnedPositionalEmbedding"/>).</summary>
    Learned,

    /// <summary>
    /// Relative positions inside attention (<see cref="RelativePositionBias"/>, <see cref="ShawRelativeAttention"/>);
    /// the input itself gets no absolute encoding.
    /// </summary>
    Relative,
}
