using System.Globalization;
using Promptor.Nn.Init;
using Promptor.Tensors;

namespace Promptor.Nn.Positional;

/// <summary>
/// The relative position representations of one attention layer (Shaw et al. 2018) and the
/// attention that uses them (<see cref="RelativePositions.ShawAttention"/>):
/// <c>e_ij = (q_i·k_j + q_i·a^K_{clip(j−i)})/√D</c>, <c>z_i = Σ_j α_ij (v_j + a^V_{clip(j−i)})</c>.
/// Parameters <c>key</c> a^K <c>(R, D)</c> and, unless disabled, <c>value</c> a^V <c>(R, Dv)</c>,
/// shared by all heads as in the paper, with R = 2K + 1 (bidirectional) or K + 1 (causal).
/// Initialised from <c>N(0, 0.02²)</c>.
/// </summary>
public sealed class ShawRelativeAttention : Module
{
    /// <summary>Creates the tables and initialises them from <paramref name="generator"/>.</summary>
    /// <param name="headDim">Query/key width D (≥ 1).</param>
    /// <param name="maxDistance">Clip distance K (≥ 0).</param>
    /// <param name="generator">Source of the initial values.</param>
    /// <param name="causal">Causal form (R = K + 1, causal mask); default false.</param>
    /// <param name="useValueTable">Learn a^V as well (default true); false keeps only the key term.</param>
    /// <param name="valueDim">Value width Dv; default D.</param>
    /// <param name="std">Standard deviation of the initial values (≥ 0; default 0.02).</param>
    public ShawRelativeAttention(int headDim, int maxDistance, Generator generator, bool causal = false,
        bool useValueTable = true, int? valueDim = null, double std = 0.02)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headDim);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDistance);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfNegative(std);
        int dv = valueDim ?? headDim;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dv, nameof(valueDim));
        HeadDim = headDim;
        MaxDistance = maxDistance;
        Causal = causal;
        int rows = RelativePositions.TableSize(maxDistance, causal);
        KeyTable = RegisterParameter("key", new Parameter(new Shape(rows, headDim)));
        Initializers.Normal(KeyTable, generator, 0, std);
        if (useValueTable)
        {
            ValueTable = RegisterParameter("value", new Parameter(new Shape(rows, dv)));
            Initializers.Normal(ValueTable, generator, 0, std);
        }
    }

    /// <summary>Query/key width D.</summary>
    public int HeadDim { get; }

    /// <summary>Clip distance K.</summary>
    public int MaxDistance { get; }

    /// <summary>True for the causal form.</summary>
    public bool Causal { get; }

    /// <summary>a^K, <c>(R, D)</c>.</summary>
    public Parameter KeyTable { get; }

    /// <summary>a^V, <c>(R, Dv)</c>, or null when the value term is off.</summary>
    public Parameter? ValueTable { get; }

    /// <summary>
    /// Self-attention of q <c>(B, H, T, D)</c> over k <c>(B, H, T, D)</c> and v <c>(B, H, T, Dv)</c>
    /// (or rank 3 without H) with these relative positions; returns the output <c>(B, H, T, Dv)</c>
    /// and the weights <c>(B, H, T, T)</c>. <paramref name="mask"/> (default none) adds key padding,
    /// causal masking or a bias; <paramref name="scale"/> defaults to <c>1/√D</c>.
    /// </summary>
    public (Tensor Output, Tensor Weights) Forward(Tensor q, Tensor k, Tensor v, AttentionMask? mask = null, float? scale = null)
        => RelativePositions.ShawAttention(q, k, v, KeyTable, ValueTable, Causal, mask, scale);

    /// <inheritdoc/>
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture,
        $"headDim={HeadDim}, maxDistance={MaxDistance}, causal={(Causal ? "true" : "false")}, value={(ValueTable is null ? "false" : "true")}");
}
