using Promptor.Genomics.Dna;
using Promptor.Genomics.IO;

namespace Promptor.Genomics.Motifs;

/// <summary>
/// Compares query motifs with a motif database in the manner of Tomtom (Gupta, Stamatoyannopoulos, Bailey
/// and Noble 2007, <i>Genome Biology</i> 8:R24), with no external program.
/// <para>
/// Every query column is scored against every column of the database (both strands); these scores are
/// rescaled to integers <c>0..Bins</c>. The null hypothesis is that a target's columns are drawn
/// independently and uniformly from the database's columns, so the null distribution of a query column's
/// score is the empirical distribution of its scores against all database columns, and the distribution of
/// a sum over query columns <c>i..k</c> is their convolution, computed exactly by dynamic programming.
/// An alignment (an offset with at least <see cref="MotifComparisonOptions.MinOverlap"/> aligned columns)
/// gets the p-value <c>P(S ≥ s)</c> of its summed score for the query columns it covers; the best
/// alignment's p-value is corrected for the <c>n</c> alignments tried (offsets × strands) as
/// <c>1 − (1 − p)^n</c>. E-values multiply by the number of database motifs; q-values are
/// Benjamini–Hochberg over one query's matches, times π0 (<see cref="MotifComparisonOptions.NullFraction"/>:
/// 1 by default, or Storey's estimate from the same p-values as Tomtom does).
/// </para>
/// </summary>
public sealed class MotifComparer
{
    private readonly Motif[] targets;      // database motifs, plus strand
    private readonly Motif[] reverse;      // their reverse complements
    private readonly float[] poolColumns;  // every database column on the strands compared, (Npool, 4)
    private readonly MotifComparisonOptions options;

    /// <summary>Prepares comparisons against <paramref name="database"/>.</summary>
    /// <param name="database">The target motifs (unique ids; at least one; Tomtom's authors advise 50 or more for accurate p-values).</param>
    /// <param name="options">Settings; default <see cref="MotifComparisonOptions"/>.</param>
    public MotifComparer(IReadOnlyList<Motif> database, MotifComparisonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.options = options ?? new MotifComparisonOptions();
        this.options.Validate();
        if (database.Count == 0)
        {
            throw new ArgumentException("The motif database is empty.", nameof(database));
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in database)
        {
            if (!ids.Add(m.Id))
            {
                throw new ArgumentException($"Duplicate motif id '{m.Id}' in the database.", nameof(database));
            }
        }
        targets = [.. database];
        reverse = targets.Select(m => m.ReverseComplement()).ToArray();
        var pool = new List<float>();
        foreach (var set in this.options.BothStrands ? new[] { targets, reverse } : [targets])
        {
            foreach (var m in set)
            {
                pool.AddRange(m.Probabilities.ToArray());
            }
        }
        poolColumns = pool.ToArray();
    }

    /// <summary>The database motifs.</summary>
    public IReadOnlyList<Motif> Database => targets;

    /// <summary>The settings.</summary>
    public MotifComparisonOptions Options => options;

    /// <summary>
    /// Matches of <paramref name="query"/> with every database motif, best first (ascending p-value, then
    /// descending score, then database order).
    /// </summary>
    public IReadOnlyList<MotifMatch> Compare(Motif query)
    {
        ArgumentNullException.ThrowIfNull(query);
        int wq = query.Width, bins = options.Bins;
        int poolCount = poolColumns.Length / DnaAlphabet.Size;

        // Raw column scores of each query column against the pool, then the common integer scale.
        var raw = new double[wq * poolCount];
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int i = 0; i < wq; i++)
        {
            var qc = query.Probabilities.Slice(i * DnaAlphabet.Size, DnaAlphabet.Size);
            for (int c = 0; c < poolCount; c++)
            {
                double s = ColumnSimilarity.Score(options.Metric, qc, poolColumns.AsSpan(c * DnaAlphabet.Size, DnaAlphabet.Size));
                raw[i * poolCount + c] = s;
                min = Math.Min(min, s);
                max = Math.Max(max, s);
            }
        }
        double scale = max > min ? bins / (max - min) : 0;
        int Scaled(double s) => (int)Math.Round((s - min) * scale);

        // Null: per query column, the distribution of its scaled score against a random pool column.
        var columnPdf = new double[wq * (bins + 1)];
        for (int i = 0; i < wq; i++)
        {
            for (int c = 0; c < poolCount; c++)
            {
                columnPdf[i * (bins + 1) + Scaled(raw[i * poolCount + c])] += 1.0 / poolCount;
            }
        }
        var tails = new TailTable(columnPdf, wq, bins);

        var plus = Align(query, targets, Scaled, tails);
        var minus = options.BothStrands ? Align(query, reverse, Scaled, tails) : null;
        var best = new (Alignment A, Strand S)[targets.Length];
        var pValues = new double[targets.Length];
        for (int t = 0; t < targets.Length; t++)
        {
            best[t] = minus is not null && minus[t].PValue < plus[t].PValue ? (minus[t], Strand.Minus) : (plus[t], Strand.Plus);
            int tried = AlignmentCount(wq, targets[t].Width) * (options.BothStrands ? 2 : 1);
            // 1 − (1 − p)^n without cancellation for small p.
            // (+ 0.0 turns the −0 of an exact 0 into +0.)
            pValues[t] = Math.Clamp(-double.ExpM1(tried * double.LogP1(-Math.Min(best[t].A.PValue, 1 - 1e-16))), 0, 1) + 0.0;
        }
        double nullFraction = options.NullFraction ?? FalseDiscoveryRate.StoreyNullFraction(pValues, options.StoreyLambda);
        var q = FalseDiscoveryRate.BenjaminiHochberg(pValues, nullFraction);
        var matches = new MotifMatch[targets.Length];
        for (int t = 0; t < targets.Length; t++)
        {
            var (a, strand) = best[t];
            matches[t] = new MotifMatch(query.Id, targets[t].Id, targets[t].Name, a.Offset, strand, a.Overlap, a.Score,
                pValues[t], pValues[t] * targets.Length, q[t]);
        }
        var order = Enumerable.Range(0, targets.Length)
            .OrderBy(t => matches[t].PValue).ThenByDescending(t => matches[t].Score).ThenBy(t => t)
            .ToArray();
        return order.Select(t => matches[t]).ToArray();
    }

    /// <summary>The number of alignments of motifs of widths <paramref name="queryWidth"/> and <paramref name="targetWidth"/> with the minimum overlap.</summary>
    public int AlignmentCount(int queryWidth, int targetWidth)
    {
        int mo = EffectiveMinOverlap(queryWidth, targetWidth);
        return queryWidth + targetWidth - 2 * mo + 1;
    }

    private int EffectiveMinOverlap(int queryWidth, int targetWidth) => Math.Min(options.MinOverlap, Math.Min(queryWidth, targetWidth));

    private Alignment[] Align(Motif query, Motif[] set, Func<double, int> scaled, TailTable tails)
    {
        int wq = query.Width;
        var result = new Alignment[set.Length];
        for (int t = 0; t < set.Length; t++)
        {
            var target = set[t];
            int wt = target.Width, mo = EffectiveMinOverlap(wq, wt);
            var columnRaw = new double[wq * wt];
            var columnScaled = new int[wq * wt];
            for (int i = 0; i < wq; i++)
            {
                var qc = query.Probabilities.Slice(i * DnaAlphabet.Size, DnaAlphabet.Size);
                for (int j = 0; j < wt; j++)
                {
                    double s = ColumnSimilarity.Score(options.Metric, qc, target.Probabilities.Slice(j * DnaAlphabet.Size, DnaAlphabet.Size));
                    columnRaw[i * wt + j] = s;
                    columnScaled[i * wt + j] = scaled(s);
                }
            }
            var best = new Alignment(0, 0, double.NegativeInfinity, 2);
            // Target column j sits under query column j + offset.
            for (int offset = mo - wt; offset <= wq - mo; offset++)
            {
                int start = Math.Max(0, offset), end = Math.Min(wq, offset + wt);
                double score = 0;
                int sum = 0;
                for (int i = start; i < end; i++)
                {
                    score += columnRaw[i * wt + (i - offset)];
                    sum += columnScaled[i * wt + (i - offset)];
                }
                double p = tails.PValue(start, end, sum);
                int overlap = end - start;
                if (p < best.PValue || (p == best.PValue && overlap > best.Overlap))
                {
                    best = new Alignment(offset, overlap, score, p);
                }
            }
            result[t] = best;
        }
        return result;
    }

    private readonly record struct Alignment(int Offset, int Overlap, double Score, double PValue);

    /// <summary>
    /// <c>P(S ≥ s)</c> for the sum S of the scaled null scores of query columns <c>[start, end)</c>, for
    /// every start and end, by convolving the per-column distributions (Tomtom's dynamic programme).
    /// </summary>
    private sealed class TailTable
    {
        private readonly double[][] tails; // index start * w + (end - 1) → P(S ≥ s), s = 0..(end-start)*bins

        public TailTable(double[] columnPdf, int w, int bins)
        {
            tails = new double[w * w][];
            for (int start = 0; start < w; start++)
            {
                var pdf = new double[] { 1.0 };
                for (int end = start + 1; end <= w; end++)
                {
                    int column = end - 1;
                    var next = new double[pdf.Length + bins];
                    for (int s = 0; s < pdf.Length; s++)
                    {
                        if (pdf[s] == 0)
                        {
                            continue;
                        }
                        for (int k = 0; k <= bins; k++)
                        {
                            next[s + k] += pdf[s] * columnPdf[column * (bins + 1) + k];
                        }
                    }
                    pdf = next;
                    var tail = new double[pdf.Length];
                    double acc = 0;
                    for (int s = pdf.Length - 1; s >= 0; s--)
                    {
                        acc += pdf[s];
                        tail[s] = Math.Min(1, acc);
                    }
                    tails[start * w + column] = tail;
                }
            }
            W = w;
        }

        private int W { get; }

        public double PValue(int start, int end, int sum)
        {
            var tail = tails[start * W + end - 1];
            return sum < 0 ? 1 : sum >= tail.Length ? 0 : tail[sum];
        }
    }
}
