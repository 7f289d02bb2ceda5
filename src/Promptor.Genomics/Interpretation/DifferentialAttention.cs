using System.Text.RegularExpressions;
using Promptor.Genomics.Dna;
using Promptor.Tensors;

namespace Promptor.Genomics.Interpretation;

/// <summary>
/// Differential attention between treatments, per gene and over gene sets: difference profiles
/// (meta-profile of A minus that of B), enrichment of a motif (a regular expression over A/C/G/T, matched on
/// both strands) under high-attention positions against the rest of the promoter (odds ratio and Fisher's
/// exact test), the attention mass on motif sites per treatment, a paired per-gene comparison of that mass
/// between two treatments (sign test), and random gene sets as controls.
/// </summary>
public static class DifferentialAttention
{
    /// <summary>
    /// Positions <c>(L)</c> covered by a match of <paramref name="pattern"/> on either strand of
    /// <paramref name="sequence"/> (overlapping matches included; a reverse-strand match at
    /// <c>[s, e)</c> of the reverse complement covers <c>[L − e, L − s)</c>).
    /// </summary>
    public static bool[] MotifMask(string sequence, Regex pattern)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(pattern);
        int l = sequence.Length;
        var mask = new bool[l];
        string upper = sequence.ToUpperInvariant();
        Mark(upper, false);
        Mark(ReverseComplement.Of(upper), true);
        return mask;

        void Mark(string text, bool reverse)
        {
            for (var m = pattern.Match(text); m.Success; m = pattern.Match(text, m.Index + 1))
            {
                for (int i = m.Index; i < m.Index + Math.Max(1, m.Length) && i < l; i++)
                {
                    mask[reverse ? l - 1 - i : i] = true;
                }
                if (m.Index + 1 >= text.Length)
                {
                    break;
                }
            }
        }
    }

    /// <summary>A case-insensitive, culture-invariant regex for a motif such as <c>TTA[CG]TAA</c> or <c>AGGGG</c>.</summary>
    public static Regex Pattern(string motif)
    {
        ArgumentException.ThrowIfNullOrEmpty(motif);
        return new Regex(motif, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    /// <summary>Per-position difference <c>A − B</c> of gene <paramref name="gene"/>'s head-averaged maps.</summary>
    public static float[] Difference(AttentionMapSet maps, int gene, int treatmentA, int treatmentB)
    {
        ArgumentNullException.ThrowIfNull(maps);
        var a = maps.Map(gene, treatmentA);
        var b = maps.Map(gene, treatmentB);
        var d = new float[maps.Length];
        for (int p = 0; p < d.Length; p++)
        {
            d[p] = a[p] - b[p];
        }
        return d;
    }

    /// <summary>
    /// The aggregated difference of two treatments over <paramref name="genes"/>: their meta-profiles, the
    /// mean difference per position, and per gene the total-variation distance <c>½ Σ |A − B|</c> between
    /// the two maps (0 for identical maps, 1 for disjoint ones).
    /// </summary>
    public static DifferentialProfile Profile(AttentionMapSet maps, IReadOnlyList<int> genes, int treatmentA, int treatmentB)
    {
        ArgumentNullException.ThrowIfNull(maps);
        ArgumentNullException.ThrowIfNull(genes);
        int l = maps.Length;
        var meanA = new double[l];
        var meanB = new double[l];
        var distances = new double[genes.Count];
        for (int i = 0; i < genes.Count; i++)
        {
            var a = maps.Map(genes[i], treatmentA);
            var b = maps.Map(genes[i], treatmentB);
            double tv = 0;
            for (int p = 0; p < l; p++)
            {
                meanA[p] += a[p];
                meanB[p] += b[p];
                tv += Math.Abs(a[p] - b[p]);
            }
            distances[i] = tv / 2;
        }
        int n = Math.Max(1, genes.Count);
        for (int p = 0; p < l; p++)
        {
            meanA[p] /= n;
            meanB[p] /= n;
        }
        return new DifferentialProfile(maps.Treatments[treatmentA], maps.Treatments[treatmentB], genes.Count,
            meanA, meanB, meanA.Zip(meanB, (x, y) => x - y).ToArray(), distances);
    }

    /// <summary>
    /// Enrichment of motif sites under high-attention positions for one treatment: in each gene the
    /// <paramref name="topFraction"/> of positions with the most head-averaged attention are "high"; the 2×2
    /// table (high/low × in a site/not) is summed over <paramref name="genes"/>, and the odds ratio and a
    /// one-sided Fisher p-value reported, with the attention mass on sites against their coverage.
    /// </summary>
    /// <param name="maps">The maps.</param>
    /// <param name="masks">Per gene of <paramref name="maps"/>, the site mask (<see cref="MotifMask"/>).</param>
    /// <param name="genes">Genes to pool (indices into <paramref name="maps"/>).</param>
    /// <param name="treatment">Treatment index.</param>
    /// <param name="topFraction">Share of each gene's positions called high, in (0, 1). Default 0.1.</param>
    public static DifferentialEnrichment Enrichment(AttentionMapSet maps, IReadOnlyList<bool[]> masks, IReadOnlyList<int> genes, int treatment, double topFraction = 0.1)
    {
        ArgumentNullException.ThrowIfNull(maps);
        ArgumentNullException.ThrowIfNull(masks);
        ArgumentNullException.ThrowIfNull(genes);
        if (!(topFraction > 0 && topFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(topFraction), $"topFraction must lie in (0, 1), got {topFraction}.");
        }
        int l = maps.Length, top = Math.Max(1, (int)Math.Round(topFraction * l));
        long highIn = 0, highOut = 0, lowIn = 0, lowOut = 0;
        double mass = 0, coverage = 0;
        var order = new int[l];
        var values = new float[l];
        foreach (int g in genes)
        {
            var mask = masks[g];
            if (mask.Length != l)
            {
                throw new ArgumentException($"The site mask of gene {maps.Genes[g]} has {mask.Length} positions, not {l}.", nameof(masks));
            }
            var map = maps.Map(g, treatment);
            map.CopyTo(values);
            for (int p = 0; p < l; p++)
            {
                order[p] = p;
            }
            // Highest attention first; ties broken by position so the call is deterministic.
            Array.Sort(order, (x, y) => values[y] != values[x] ? values[y].CompareTo(values[x]) : x.CompareTo(y));
            for (int r = 0; r < l; r++)
            {
                bool inSite = mask[order[r]];
                if (r < top)
                {
                    if (inSite) { highIn++; } else { highOut++; }
                }
                else
                {
                    if (inSite) { lowIn++; } else { lowOut++; }
                }
            }
            double geneMass = 0, total = 0;
            int covered = 0;
            for (int p = 0; p < l; p++)
            {
                total += map[p];
                if (mask[p])
                {
                    geneMass += map[p];
                    covered++;
                }
            }
            mass += total > 0 ? geneMass / total : 0;
            coverage += covered / (double)l;
        }
        int n = Math.Max(1, genes.Count);
        return new DifferentialEnrichment(maps.Treatments[treatment], genes.Count, highIn, highOut, lowIn, lowOut,
            DifferentialStatistics.OddsRatio(highIn, highOut, lowIn, lowOut),
            DifferentialStatistics.FisherGreater(highIn, highOut, lowIn, lowOut),
            mass / n, coverage / n);
    }

    /// <summary>
    /// Per gene with at least one site, the attention mass on sites under A and under B; counts the genes
    /// where A puts more mass on sites than B and the reverse, with a two-sided sign test.
    /// </summary>
    public static DifferentialSiteComparison CompareSiteMass(AttentionMapSet maps, IReadOnlyList<bool[]> masks, IReadOnlyList<int> genes, int treatmentA, int treatmentB)
    {
        ArgumentNullException.ThrowIfNull(maps);
        ArgumentNullException.ThrowIfNull(masks);
        ArgumentNullException.ThrowIfNull(genes);
        double sumA = 0, sumB = 0;
        int used = 0, aHigher = 0, bHigher = 0;
        foreach (int g in genes)
        {
            var mask = masks[g];
            if (!mask.Contains(true))
            {
                continue;
            }
            var a = maps.Map(g, treatmentA);
            var b = maps.Map(g, treatmentB);
            double ma = 0, mb = 0;
            for (int p = 0; p < mask.Length; p++)
            {
                if (mask[p])
                {
                    ma += a[p];
                    mb += b[p];
                }
            }
            sumA += ma;
            sumB += mb;
            used++;
            if (ma > mb)
            {
                aHigher++;
            }
            else if (mb > ma)
            {
                bHigher++;
            }
        }
        return new DifferentialSiteComparison(maps.Treatments[treatmentA], maps.Treatments[treatmentB], used,
            used > 0 ? sumA / used : double.NaN, used > 0 ? sumB / used : double.NaN, aHigher, bHigher,
            DifferentialStatistics.SignTest(aHigher, bHigher));
    }

    /// <summary>
    /// A random control set: <paramref name="count"/> distinct indices from <c>0 … total − 1</c> outside
    /// <paramref name="exclude"/>, drawn from <paramref name="seed"/> (fewer when not enough remain).
    /// </summary>
    public static int[] RandomGenes(int count, int total, IEnumerable<int>? exclude, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        var excluded = (exclude ?? []).ToHashSet();
        var pool = Enumerable.Range(0, total).Where(i => !excluded.Contains(i)).ToArray();
        new Generator(seed).Shuffle<int>(pool);
        return pool.Take(count).Order().ToArray();
    }
}
