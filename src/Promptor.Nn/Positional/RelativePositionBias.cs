using System.Globalization;
using Promptor.Nn.Init;
using Promptor.Tensors;

namespace Promptor.Nn.Positional;

/// <summary>
/// Relative-position logits as an additive attention bias (the key term of Shaw et al. 2018, with
/// the Music Transformer's skewing): given queries q <c>(B, H, T, D)</c>, <see cref="Forward"/>
/// returns <c>scale · S_rel</c> <c>(B, H, T, T)</c> with <c>S_rel[b, h, i, j] = q_i · E[clip(j − i) + K]</c>,
/// to be passed as <see cref="AttentionMask.Bias"/> (see <see cref="Mask"/>). The attention ops
/// then compute <c>softmax((q kᵀ + S_rel)·scale) v</c>; because the bias requires grad, the
/// materialised path runs and E receives its gradient. Parameter <c>weight</c> E: <c>(R, D)</c>
/// shared by all heads (Shaw; default) or <c>(H, R, D)</c> per head (Music Transformer), with
/// R = 2K + 1 (bidirectional) or K + 1 (causal); see <see cref="RelativePositions"/>.
/// Initialised from <c>N(0, 0.02²)</c>.
/// </summary>
public sealed class RelativePositionBias : Module
{
    /// <summary>Creates the table and initialises it from <paramref name="generator"/>.</summary>
    /// <param name="headDim">Query width D (≥ 1).</param>
    /// <param name="maxDistance">Clip distance K (≥ 0); K ≥ T − 1 means no clipping.</param>
    /// <param name="generator">Source of the initial values.</param>
    /// <param name="causal">Causal form (distances −K..0, R = K + 1); default false (−K..K, R = 2K + 1).</param>
    /// <param name="heads">Number of heads H for one table per head; default null (one table shared by all heads).</param>
    /// <param name="std">Standard deviation of the initial values (≥ 0; default 0.02).</param>
    /// <param name="scale">Factor applied to the logits; default <c>1/√D</c>, matching the scale of <c>q kᵀ</c>.</param>
    public RelativePositionBias(int headDim, int maxDistance, Generator generator, bool causal = false,
        int? heads = null, double std = 0.02, float? scale = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headDim);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDistance);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfNegative(std);
        if (heads is { } h)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(h, nameof(heads));
        }
        HeadDim = headDim;
        MaxDistance = maxDistance;
        Causal = causal;
        Heads = heads;
        Scale = scale ?? 1f / MathF.Sqrt(headDim);
        int rows = RelativePositions.TableSize(maxDistance, causal);
        var shape = heads is { } n ? new Shape(n, rows, headDim) : new Shape(rows, headDim);
        Weight = RegisterParameter("weight", new Parameter(shape));
        Initializers.Normal(Weight, generator, 0, std);
    }

    /// <summary>Query width D.</summary>
    public int HeadDim { get; }

    /// <summary>Clip distance K.</summary>
    public int MaxDistance { get; }

    /// <summary>True for the causal form (keys after the query have no embedding and must be masked).</summary>
    public bool Causal { get; }

    /// <summary>Heads with their own table, or null when one table is shared.</summary>
    public int? Heads { get; }

    /// <summary>Factor applied to the relative logits.</summary>
    public float Scale { get; }

    /// <summary>The relative embeddings E, <c>(R, D)</c> or <c>(H, R, D)</c>.</summary>
    public Parameter Weight { get; }

    /// <summary>
    /// The bias <c>scale · S_rel</c> <c>(B, H, T, T)</c> for queries <paramref name="q"/>
    /// <c>(B, H, T, D)</c> (or <c>(B, T, T)</c> for single-head <c>(B, T, D)</c>). In the causal
    /// form entries with j &gt; i are 0 and must be masked by the attention.
    /// </summary>
    public Tensor Forward(Tensor q)
    {
        ArgumentNullException.ThrowIfNull(q);
        return RelativePositions.Logits(q, Weight, Causal).MulScalar(Scale);
    }

    /// <summary>
    /// <paramref name="mask"/> (default none) with this bias added to its <see cref="AttentionMask.Bias"/>,
    /// and <see cref="AttentionMask.Causal"/> set in the causal form: pass it with the same q to
    /// <see cref="Ops.ScaledDotProductAttention"/> (default scale <c>1/√D</c>).
    /// </summary>
    public AttentionMask Mask(Tensor q, AttentionMask? mask = null)
    {
        var bias = Forward(q);
        if (mask?.Bias is { } extra)
        {
            bias = bias.Add(extra);
        }
        return (mask ?? new AttentionMask()) with { Bias = bias, Causal = Causal || mask?.Causal == true };
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture,
        $"headDim={HeadDim}, maxDistance={MaxDistance}, causal={(Causal ? "true" : "false")}{(Heads is { } h ? $", heads={h}" : "")}");
}
