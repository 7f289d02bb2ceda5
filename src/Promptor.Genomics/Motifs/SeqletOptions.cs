namespace Promptor.Genomics.Motifs;

/// <summary>Settings of <see cref="SeqletExtractor"/>.</summary>
public sealed record SeqletOptions
{
    /// <summary>Width of the core window whose summed importance defines a hotspot; default 8 bp.</summary>
    public int WindowWidth { get; init; } = 8;

    /// <summary>Bases added on each side of the core window to make the seqlet; default 4.</summary>
    public int Flank { get; init; } = 4;

    /// <summary>How the threshold is set when <see cref="Threshold"/> is not given; default <see cref="SeqletThreshold.ShuffledNull"/>.</summary>
    public SeqletThreshold ThresholdMethod { get; init; } = SeqletThreshold.ShuffledNull;

    /// <summary>
    /// The threshold is this quantile of the null (shuffled-track) windowed sums, or of the observed ones,
    /// over all tracks given; default 0.99. Ignored when <see cref="Threshold"/> is set.
    /// </summary>
    public double Quantile { get; init; } = 0.99;

    /// <summary>Seed of the shuffles behind <see cref="SeqletThreshold.ShuffledNull"/>; default 1.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>An absolute threshold on the windowed sum, overriding <see cref="Quantile"/>; default none.</summary>
    public double? Threshold { get; init; }

    /// <summary>
    /// Sum absolute values (true, default: attributions of either sign count) or the signed values
    /// (false: only positive evidence, e.g. for activating sites).
    /// </summary>
    public bool AbsoluteValues { get; init; } = true;

    /// <summary>At most this many seqlets per sequence, strongest first; default 5.</summary>
    public int MaxPerSequence { get; init; } = 5;

    internal void Validate()
    {
        if (WindowWidth < 1 || Flank < 0 || MaxPerSequence < 1)
        {
            throw new ArgumentException($"Seqlet options need WindowWidth ≥ 1, Flank ≥ 0 and MaxPerSequence ≥ 1, got {WindowWidth}, {Flank}, {MaxPerSequence}.");
        }
        if (!(Quantile is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Quantile), $"Quantile must lie in [0, 1), got {Quantile}.");
        }
        if (Threshold is { } t && !double.IsFinite(t))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), "The threshold must be finite.");
        }
    }
}
