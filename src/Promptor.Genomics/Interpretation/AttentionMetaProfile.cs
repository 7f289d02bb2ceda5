using System.Globalization;
using System.Text;

namespace Promptor.Genomics.Interpretation;

/// <summary>
/// The meta-profile of attention over a gene set: per treatment, the mean head-averaged base-pair map
/// <c>(L)</c> over the genes added. Accumulates batch by batch (<see cref="Add"/>), so any number of
/// genes fits in memory. Written as the long table <c>treatment, position, mean_attention</c>
/// (<see cref="ToTsv"/>), positions 0-based in bp.
/// </summary>
public sealed class AttentionMetaProfile
{
    private readonly double[] sums;

    /// <summary>An empty profile over <paramref name="treatments"/> and <paramref name="length"/> bp.</summary>
    public AttentionMetaProfile(IReadOnlyList<string> treatments, int length)
    {
        ArgumentNullException.ThrowIfNull(treatments);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        Treatments = [.. treatments];
        Length = length;
        sums = new double[treatments.Count * length];
    }

    /// <summary>Column names of <see cref="ToTsv"/>.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["treatment", "position", "mean_attention"];

    /// <summary>Treatment names.</summary>
    public IReadOnlyList<string> Treatments { get; }

    /// <summary>Base pairs L.</summary>
    public int Length { get; }

    /// <summary>Genes added so far.</summary>
    public int GeneCount { get; private set; }

    /// <summary>Adds the head-averaged maps of <paramref name="genes"/> (default all) of <paramref name="maps"/>.</summary>
    /// <exception cref="ArgumentException">The maps have other treatments or another length.</exception>
    public void Add(AttentionMapSet maps, IEnumerable<int>? genes = null)
    {
        ArgumentNullException.ThrowIfNull(maps);
        if (maps.Length != Length || !maps.Treatments.SequenceEqual(Treatments))
        {
            throw new ArgumentException("The maps cover other treatments or another length than this profile.", nameof(maps));
        }
        foreach (int g in genes ?? Enumerable.Range(0, maps.Genes.Count))
        {
            for (int t = 0; t < Treatments.Count; t++)
            {
                var map = maps.Map(g, t);
                var sum = sums.AsSpan(t * Length, Length);
                for (int p = 0; p < Length; p++)
                {
                    sum[p] += map[p];
                }
            }
            GeneCount++;
        }
    }

    /// <summary>The mean map <c>(L)</c> of treatment <paramref name="treatment"/> (zeros before any gene is added).</summary>
    public double[] Mean(int treatment)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)treatment, (uint)Treatments.Count, nameof(treatment));
        return sums.AsSpan(treatment * Length, Length).ToArray().Select(s => GeneCount == 0 ? 0 : s / GeneCount).ToArray();
    }

    /// <summary>The profile as TSV: a header <c>treatment position mean_attention</c>, then one row per treatment and position.</summary>
    public string ToTsv()
    {
        var sb = new StringBuilder();
        sb.AppendJoin('\t', Columns).Append('\n');
        for (int t = 0; t < Treatments.Count; t++)
        {
            var mean = Mean(t);
            for (int p = 0; p < Length; p++)
            {
                sb.Append(Treatments[t]).Append('\t').Append(p.ToString(CultureInfo.InvariantCulture)).Append('\t')
                    .Append(mean[p].ToString("G6", CultureInfo.InvariantCulture)).Append('\n');
            }
        }
        return sb.ToString();
    }
}
