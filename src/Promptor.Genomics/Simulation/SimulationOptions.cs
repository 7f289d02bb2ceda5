using Promptor.Genomics.Motifs;

namespace Promptor.Genomics.Simulation;

/// <summary>Options of <see cref="PromoterSimulator"/>, with documented defaults.</summary>
public sealed record SimulationOptions
{
    /// <summary>Number of sequences N; default 1000.</summary>
    public int SequenceCount { get; init; } = 1000;

    /// <summary>Sequence length L; default 300.</summary>
    public int SequenceLength { get; init; } = 300;

    /// <summary>Background G+C fraction; default 0.38 (yeast promoters are AT-rich).</summary>
    public double GcContent { get; init; } = 0.38;

    /// <summary>The motif pool; default null = <see cref="BuiltInMotifs.All"/>.</summary>
    public IReadOnlyList<Motif>? Motifs { get; init; }

    /// <summary>Mean number of planted sites of each motif per sequence (Poisson); default 0.4.</summary>
    public double SitesPerMotif { get; init; } = 0.4;

    /// <summary>Number of treatments K when <see cref="Treatments"/> is null; default 4.</summary>
    public int TreatmentCount { get; init; } = 4;

    /// <summary>Motifs drawn as active for each random treatment; default 2.</summary>
    public int ActiveMotifsPerTreatment { get; init; } = 2;

    /// <summary>Effects of random treatments have magnitude uniform in [<see cref="EffectMin"/>, <see cref="EffectMax"/>]; default 0.5.</summary>
    public float EffectMin { get; init; } = 0.5f;

    /// <summary>See <see cref="EffectMin"/>; default 1.5.</summary>
    public float EffectMax { get; init; } = 1.5f;

    /// <summary>Probability that a random effect is negative (repression); default 0.3.</summary>
    public double RepressionFraction { get; init; } = 0.3;

    /// <summary>Pairwise interaction terms per random treatment (between its active motifs, or any two motifs when it has fewer than two); default 0.</summary>
    public int InteractionsPerTreatment { get; init; }

    /// <summary>Explicit treatments (overriding <see cref="TreatmentCount"/> and the random effects); default null.</summary>
    public IReadOnlyList<TreatmentSpec>? Treatments { get; init; }

    /// <summary>Standard deviation of the Gaussian noise added to each response; default 0.3.</summary>
    public float NoiseStd { get; init; } = 0.3f;

    /// <summary>The seed; the same options and seed give identical data.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Prefix of the sequence ids (<c>gene00001</c> …); default <c>gene</c>.</summary>
    public string IdPrefix { get; init; } = "gene";
}
