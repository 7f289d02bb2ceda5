using Promptor.Genomics.Dna;

namespace Promptor.Genomics.Baselines;

/// <summary>Options of <see cref="KmerRidge"/>; the defaults are the DESIGN.md baseline (canonical 6-mers, whole promoter).</summary>
public sealed record KmerRidgeOptions
{
    /// <summary>The largest number of features allowed: the normal equations are a dense F × F matrix of doubles.</summary>
    public const int MaxFeatureCount = 8192;

    /// <summary>The k-mer length; default 6 (2,080 canonical 6-mers).</summary>
    public int K { get; init; } = 6;

    /// <summary>
    /// When set, the last <c>ProximalLength</c> bases of each sequence (the 3' end, next to the TSS or
    /// start codon when promoters are written 5'→3' ending there) and the bases before them are counted
    /// as two separate feature blocks, distal first; k-mers that straddle the boundary are not counted.
    /// Default null: one block for the whole sequence. <see cref="ProximalDistal"/> sets 500 (halves of
    /// a 1 kb promoter).
    /// </summary>
    public int? ProximalLength { get; init; }

    /// <summary>
    /// The ridge penalties λ tried, each on the standardised features (so the diagonal of XᵀX is about
    /// the number of training genes). Default <see cref="DefaultLambdas"/>: 10^1 … 10^6 in half decades.
    /// With one value no validation set is needed.
    /// </summary>
    public IReadOnlyList<double> Lambdas { get; init; } = DefaultLambdas;

    /// <summary>
    /// Candidate output ranks of a reduced-rank ridge, chosen together with λ on the validation set:
    /// with rank r the coefficients are projected onto the top r principal axes of the centred training
    /// targets (<c>β V_r V_rᵀ</c>), so every treatment's prediction is a combination of r shared gene
    /// scores. Treatments that respond alike (the yeast stress responses share one dominant axis, 42 %
    /// of the variance) then borrow strength from each other. A rank of T or more is the plain ridge.
    /// Default empty: the plain (full-rank) ridge only.
    /// </summary>
    public IReadOnlyList<int> Ranks { get; init; } = [];

    /// <summary>10^1, 10^1.5, …, 10^6 (11 values).</summary>
    public static IReadOnlyList<double> DefaultLambdas { get; } = LogGrid(1e1, 1e6, 11);

    /// <summary>The default options with separate proximal and distal halves of a 1 kb promoter (<see cref="ProximalLength"/> = 500).</summary>
    public static KmerRidgeOptions ProximalDistal { get; } = new() { ProximalLength = 500 };

    /// <summary>Number of regions counted separately: 1, or 2 with <see cref="ProximalLength"/>.</summary>
    public int RegionCount => ProximalLength is null ? 1 : 2;

    /// <summary><paramref name="count"/> values spaced evenly in log scale from <paramref name="min"/> to <paramref name="max"/> (both included).</summary>
    public static IReadOnlyList<double> LogGrid(double min, double max, int count)
    {
        if (!(min > 0) || !(max >= min) || !double.IsFinite(max))
        {
            throw new ArgumentException($"Need 0 < min ≤ max, got {min} and {max}.");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (count == 1)
        {
            return [min];
        }
        double lo = Math.Log10(min), step = (Math.Log10(max) - lo) / (count - 1);
        return Enumerable.Range(0, count).Select(i => Math.Pow(10, lo + i * step)).ToArray();
    }

    /// <summary>Checks the options and returns the number of features they give.</summary>
    /// <exception cref="ArgumentException">K outside 1..12, a non-positive proximal length, no or non-positive λ, a rank below 1, or more than <see cref="MaxFeatureCount"/> features.</exception>
    public int Validate()
    {
        if (K < 1 || K > CanonicalKmerCounter.MaxK)
        {
            throw new ArgumentException($"K must be in 1..{CanonicalKmerCounter.MaxK}, got {K}.");
        }
        if (ProximalLength is <= 0)
        {
            throw new ArgumentException($"ProximalLength must be positive, got {ProximalLength}.");
        }
        if (Lambdas is null || Lambdas.Count == 0 || Lambdas.Any(l => !(l > 0) || !double.IsFinite(l)))
        {
            throw new ArgumentException("Lambdas must hold at least one finite positive value.");
        }
        if (Ranks is null || Ranks.Any(r => r < 1))
        {
            throw new ArgumentException($"Ranks must be positive, got {string.Join(", ", Ranks ?? [])}.");
        }
        long canonical = K % 2 == 0 ? ((1L << (2 * K)) + (1L << K)) / 2 : (1L << (2 * K)) / 2;
        long features = canonical * RegionCount;
        if (features > MaxFeatureCount)
        {
            throw new ArgumentException($"K = {K} with {RegionCount} region(s) gives {features:N0} features; at most {MaxFeatureCount:N0} are supported.");
        }
        return (int)features;
    }
}
