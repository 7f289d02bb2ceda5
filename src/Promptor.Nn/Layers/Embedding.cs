using System.Globalization;
using Promptor.Nn.Init;
using Promptor.Tensors;

namespace Promptor.Nn.Layers;

/// <summary>
/// Lookup table of <c>V</c> vectors of size <c>D</c>: ids → rows of the weight <c>(V, D)</c>.
/// Initialised from <c>N(0, 1)</c> as in PyTorch. Parameter: <c>weight</c>.
/// </summary>
public sealed class Embedding : Module
{
    /// <summary>Creates the table and initialises it from <paramref name="generator"/>.</summary>
    /// <param name="numEmbeddings">Vocabulary size V (≥ 1).</param>
    /// <param name="embeddingDim">Vector size D (≥ 1).</param>
    /// <param name="generator">Source of the initial values.</param>
    public Embedding(int numEmbeddings, int embeddingDim, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numEmbeddings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(embeddingDim);
        ArgumentNullException.ThrowIfNull(generator);
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        Weight = RegisterParameter("weight", new Parameter(new Shape(numEmbeddings, embeddingDim)));
        Initializers.Normal(Weight, generator);
    }

    /// <summary>Vocabulary size V.</summary>
    public int NumEmbeddings { get; }

    /// <summary>Vector size D.</summary>
    public int EmbeddingDim { get; }

    /// <summary>The table, <c>(V, D)</c>.</summary>
    public Parameter Weight { get; }

    /// <summary>
    /// Looks up <paramref name="ids"/> (each in <c>[0, V)</c>, row-major) arranged as
    /// <paramref name="shape"/> (default 1-D), giving <c>(…shape, D)</c>.
    /// </summary>
    public Tensor Forward(int[] ids, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return Ops.Embedding(Weight, ids, shape);
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"{NumEmbeddings}, {EmbeddingDim}");
}
