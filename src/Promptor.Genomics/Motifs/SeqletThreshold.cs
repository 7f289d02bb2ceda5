namespace Promptor.Genomics.Motifs;

/// <summary>Where the hotspot threshold of <see cref="SeqletExtractor"/> comes from.</summary>
public enum SeqletThreshold
{
    /// <summary>
    /// The <see cref="SeqletOptions.Quantile"/> of windowed sums of the tracks with their values shuffled
    /// within each track (same values, no positional clustering): a window passes when its importance is
    /// more concentrated than chance.
    /// </summary>
    ShuffledNull,

    /// <summary>The <see cref="SeqletOptions.Quantile"/> of the observed windowed sums themselves.</summary>
    ObservedQuantile,
}
