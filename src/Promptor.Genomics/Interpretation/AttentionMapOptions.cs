namespace Promptor.Genomics.Interpretation;

/// <summary>
/// Options of <see cref="AttentionMaps"/> and <see cref="AttentionUpsampler"/>: how attention over the
/// encoded positions is spread back onto base pairs.
/// </summary>
public sealed record AttentionMapOptions
{
    /// <summary>
    /// Standard deviation σ of the Gaussian that spreads each encoded position's weight over base
    /// pairs, in bp. Default null: <see cref="SigmaPerReceptiveField"/> × the receptive-field size.
    /// </summary>
    public double? SigmaBp { get; init; }

    /// <summary>
    /// σ as a fraction of the receptive-field size when <see cref="SigmaBp"/> is null. Default 1/6, so
    /// ±3σ covers the receptive field (about 10 bp for the default 62 bp field).
    /// </summary>
    public double SigmaPerReceptiveField { get; init; } = 1.0 / 6;

    /// <summary>Each Gaussian is cut at ±this many σ (and at the sequence ends) and renormalised. Default 3.</summary>
    public double TruncateSigmas { get; init; } = 3;

    /// <summary>
    /// Roll the cross-attention back through the self-attention blocks (<see cref="AttentionRollout"/>)
    /// when the model has them. Default false: the cross-attention over the last block's positions.
    /// </summary>
    public bool Rollout { get; init; }

    /// <summary>Sequences per forward pass (memory only; results do not depend on it). Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (SigmaBp is double s && !(s > 0 && double.IsFinite(s)))
        {
            throw new ArgumentException($"SigmaBp must be positive and finite, got {s}.");
        }
        if (!(SigmaPerReceptiveField > 0 && double.IsFinite(SigmaPerReceptiveField)))
        {
            throw new ArgumentException($"SigmaPerReceptiveField must be positive and finite, got {SigmaPerReceptiveField}.");
        }
        if (!(TruncateSigmas > 0 && double.IsFinite(TruncateSigmas)))
        {
            throw new ArgumentException($"TruncateSigmas must be positive and finite, got {TruncateSigmas}.");
        }
        if (BatchSize < 1)
        {
            throw new ArgumentException($"BatchSize must be at least 1, got {BatchSize}.");
        }
    }
}
