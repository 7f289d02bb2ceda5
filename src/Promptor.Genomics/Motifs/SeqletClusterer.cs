using Promptor.Genomics.Dna;
using Promptor.Genomics.IO;

namespace Promptor.Genomics.Motifs;

/// <summary>
/// Groups seqlets into motifs greedily. Seqlets are visited strongest first; each is aligned (shifts up to
/// <see cref="SeqletClusteringOptions.MaxShift"/>, both strands) to every cluster formed so far and joins
/// the most similar one when the Pearson correlation between its one-hot matrix and the cluster's PWM over
/// the cluster's core (the seed's core window) reaches <see cref="SeqletClusteringOptions.MinSimilarity"/>;
/// otherwise it seeds a new cluster. A second pass reassigns every seqlet to its best final cluster. Each
/// cluster's PWM is the column-wise base count of its aligned seqlets plus a pseudocount, restricted to
/// well-covered columns and trimmed of low-information flanks. Clusters are returned largest first.
/// </summary>
public static class SeqletClusterer
{
    /// <summary>Clusters <paramref name="seqlets"/> (all of one length).</summary>
    /// <param name="seqlets">Seqlets from <see cref="SeqletExtractor"/> (same <see cref="Seqlet.Length"/>).</param>
    /// <param name="coreStart">Start of the core window within a seqlet (its flank); the similarity is measured over the core.</param>
    /// <param name="coreWidth">Width of the core window.</param>
    /// <param name="options">Settings; default <see cref="SeqletClusteringOptions"/>.</param>
    /// <param name="idPrefix">Cluster motifs are named <c>{idPrefix}{rank}</c> from 1, largest first; default <c>motif</c>.</param>
    public static IReadOnlyList<SeqletCluster> Cluster(IReadOnlyList<Seqlet> seqlets, int coreStart, int coreWidth,
        SeqletClusteringOptions? options = null, string idPrefix = "motif")
    {
        ArgumentNullException.ThrowIfNull(seqlets);
        options ??= new SeqletClusteringOptions();
        options.Validate();
        if (seqlets.Count == 0)
        {
            return [];
        }
        int length = seqlets[0].Length;
        if (seqlets.Any(s => s.Length != length))
        {
            throw new ArgumentException("All seqlets must have the same length.", nameof(seqlets));
        }
        if (coreStart < options.MaxShift || coreWidth < 1 || coreStart + coreWidth + options.MaxShift > length)
        {
            throw new ArgumentException($"The core [{coreStart}, {coreStart + coreWidth}) must lie at least MaxShift = {options.MaxShift} bases inside seqlets of length {length}.");
        }
        var ordered = seqlets.OrderByDescending(s => s.Score).ToArray();
        var plus = ordered.Select(s => SeqletExtractor.OneHot(s.Bases)).ToArray();
        var minus = ordered.Select(s => SeqletExtractor.OneHot(ReverseComplement.Of(s.Bases))).ToArray();
        var frame = new Frame(length, options.MaxShift, coreStart, coreWidth);

        // Pass 1: greedy growth.
        var clusters = new List<Builder>();
        for (int n = 0; n < ordered.Length; n++)
        {
            var (best, placement) = BestCluster(clusters, plus[n], minus[n], frame, options);
            if (best is not null && placement.Similarity >= options.MinSimilarity)
            {
                best.Add(n, placement, placement.Strand == Strand.Plus ? plus[n] : minus[n]);
            }
            else
            {
                var seed = new Builder(frame, options.Pseudocount);
                seed.Add(n, new Placement(0, Strand.Plus, 1), plus[n]);
                clusters.Add(seed);
            }
        }

        // Pass 2: every seqlet to its best cluster among those large enough, against the final PWMs of pass 1.
        var kept = clusters.Where(c => c.Count >= options.MinSeqlets).ToList();
        var final = kept.Select(_ => new Builder(frame, options.Pseudocount)).ToList();
        var frozen = kept.Select(c => c.Snapshot()).ToList();
        for (int n = 0; n < ordered.Length; n++)
        {
            int bestIndex = -1;
            var bestPlacement = new Placement(0, Strand.Plus, double.NegativeInfinity);
            for (int c = 0; c < frozen.Count; c++)
            {
                var p = Align(frozen[c], plus[n], minus[n], frame, options);
                if (p.Similarity > bestPlacement.Similarity)
                {
                    (bestIndex, bestPlacement) = (c, p);
                }
            }
            if (bestIndex >= 0 && bestPlacement.Similarity >= options.MinSimilarity)
            {
                final[bestIndex].Add(n, bestPlacement, bestPlacement.Strand == Strand.Plus ? plus[n] : minus[n]);
            }
        }
        var merged = MergeRedundant(final.Where(c => c.Count > 0).OrderByDescending(c => c.Count).ToList(), plus, minus, frame, options);
        var result = merged
            .Where(c => c.Count >= options.MinSeqlets)
            .OrderByDescending(c => c.Count).ThenByDescending(c => c.Members.Sum(m => ordered[m.Index].Score))
            .ToList();
        return result.Select((c, rank) => c.ToCluster($"{idPrefix}{rank + 1}", ordered, options)).ToArray();
    }

    /// <summary>
    /// Merges clusters whose PWMs are the same motif seen from different windows: the smaller cluster's
    /// trimmed PWM aligned to the larger one's (both strands, any offset with at least
    /// <c>min(6, widths)</c> columns) with a mean column Pearson correlation of at least
    /// <see cref="SeqletClusteringOptions.MergeSimilarity"/>. Its seqlets move into the larger cluster.
    /// </summary>
    private static List<Builder> MergeRedundant(List<Builder> clusters, float[][] plus, float[][] minus, Frame frame, SeqletClusteringOptions options)
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int a = 0; a < clusters.Count && !changed; a++)
            {
                for (int b = a + 1; b < clusters.Count && !changed; b++)
                {
                    var target = clusters[a];
                    var moved = clusters[b];
                    var (ma, startA) = target.Trimmed(options);
                    var (mb, startB) = moved.Trimmed(options);
                    var (offset, strand, similarity) = BestMotifAlignment(ma, mb);
                    if (similarity < options.MergeSimilarity)
                    {
                        continue;
                    }
                    // Frame column f of the moved cluster ↔ frame column f + d (plus) or (W − 1 − f) + d (minus) of the target.
                    int d = strand == Strand.Plus ? startA + offset - startB : startA + offset - frame.Width + startB + mb.Width;
                    var placements = new List<(int Index, Placement Placement)>();
                    foreach (var (index, p) in moved.Members)
                    {
                        int first = frame.Origin + p.Shift;
                        int newFirst = strand == Strand.Plus ? first + d : frame.Width - first - frame.Length + d;
                        var newStrand = strand == Strand.Plus ? p.Strand : p.Strand == Strand.Plus ? Strand.Minus : Strand.Plus;
                        if (newFirst < 0 || newFirst + frame.Length > frame.Width)
                        {
                            placements = null;
                            break;
                        }
                        placements.Add((index, new Placement(newFirst - frame.Origin, newStrand, p.Similarity)));
                    }
                    if (placements is null)
                    {
                        continue;
                    }
                    foreach (var (index, p) in placements)
                    {
                        target.Add(index, p, p.Strand == Strand.Plus ? plus[index] : minus[index]);
                    }
                    clusters.RemoveAt(b);
                    clusters.Sort((x, y) => y.Count.CompareTo(x.Count));
                    changed = true;
                }
            }
        }
        return clusters;
    }

    /// <summary>The best alignment of <paramref name="b"/> (or its reverse complement) to <paramref name="a"/> by mean column Pearson correlation.</summary>
    private static (int Offset, Strand Strand, double Similarity) BestMotifAlignment(Motif a, Motif b)
    {
        var best = (Offset: 0, Strand: Strand.Plus, Similarity: double.NegativeInfinity);
        int minOverlap = Math.Min(6, Math.Min(a.Width, b.Width));
        foreach (var strand in (Strand[])[Strand.Plus, Strand.Minus])
        {
            var m = strand == Strand.Plus ? b : b.ReverseComplement();
            for (int offset = minOverlap - m.Width; offset <= a.Width - minOverlap; offset++)
            {
                int start = Math.Max(0, offset), end = Math.Min(a.Width, offset + m.Width);
                double sum = 0;
                for (int i = start; i < end; i++)
                {
                    sum += ColumnSimilarity.Score(ColumnMetric.Pearson, a.Probabilities.Slice(i * DnaAlphabet.Size, DnaAlphabet.Size),
                        m.Probabilities.Slice((i - offset) * DnaAlphabet.Size, DnaAlphabet.Size));
                }
                double mean = sum / (end - start);
                if (mean > best.Similarity)
                {
                    best = (offset, strand, mean);
                }
            }
        }
        return best;
    }

    private static (Builder? Cluster, Placement Placement) BestCluster(List<Builder> clusters, float[] plus, float[] minus, Frame frame, SeqletClusteringOptions options)
    {
        Builder? best = null;
        var bestPlacement = new Placement(0, Strand.Plus, double.NegativeInfinity);
        foreach (var c in clusters)
        {
            var p = Align(c.Snapshot(), plus, minus, frame, options);
            if (p.Similarity > bestPlacement.Similarity)
            {
                (best, bestPlacement) = (c, p);
            }
        }
        return (best, bestPlacement);
    }

    /// <summary>The best shift and strand of a seqlet against a PWM laid out on the frame.</summary>
    private static Placement Align(float[] pwm, float[] plus, float[] minus, Frame frame, SeqletClusteringOptions options)
    {
        var best = new Placement(0, Strand.Plus, double.NegativeInfinity);
        for (int strand = 0; strand < (options.BothStrands ? 2 : 1); strand++)
        {
            var x = strand == 0 ? plus : minus;
            for (int shift = -options.MaxShift; shift <= options.MaxShift; shift++)
            {
                double r = CoreCorrelation(pwm, x, shift, frame);
                if (r > best.Similarity)
                {
                    best = new Placement(shift, strand == 0 ? Strand.Plus : Strand.Minus, r);
                }
            }
        }
        return best;
    }

    /// <summary>Pearson correlation over the frame's core between the PWM and the seqlet placed at <paramref name="shift"/>.</summary>
    private static double CoreCorrelation(float[] pwm, float[] x, int shift, Frame frame)
    {
        const int A = DnaAlphabet.Size;
        int n = frame.CoreWidth * A;
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (int f = frame.CoreStartInFrame; f < frame.CoreStartInFrame + frame.CoreWidth; f++)
        {
            int j = f - frame.Origin - shift; // seqlet position under frame column f
            for (int b = 0; b < A; b++)
            {
                double p = pwm[f * A + b], v = x[j * A + b];
                sx += p;
                sy += v;
                sxx += p * p;
                syy += v * v;
                sxy += p * v;
            }
        }
        double cov = sxy - sx * sy / n, vx = sxx - sx * sx / n, vy = syy - sy * sy / n;
        return vx > 1e-12 && vy > 1e-12 ? cov / Math.Sqrt(vx * vy) : 0;
    }

    private readonly record struct Placement(int Shift, Strand Strand, double Similarity);

    /// <summary>
    /// Cluster coordinates: the seed's seqlet at frame columns <c>[Origin, Origin + Length)</c> with
    /// <c>Origin = MaxShift + Length</c>, so members shifted by up to <c>MaxShift</c>, and the members of a
    /// merged cluster placed up to one seqlet length further, stay inside <c>[0, Length + 2 Origin)</c>.
    /// </summary>
    private sealed record Frame(int Length, int MaxShift, int CoreStart, int CoreWidth)
    {
        public int Origin => MaxShift + Length;

        public int Width => Length + 2 * Origin;

        public int CoreStartInFrame => Origin + CoreStart;
    }

    private sealed class Builder(Frame frame, float pseudocount)
    {
        private readonly double[] counts = new double[frame.Width * DnaAlphabet.Size];
        private readonly int[] coverage = new int[frame.Width];
        private float[]? snapshot;

        public List<(int Index, Placement Placement)> Members { get; } = [];

        public int Count => Members.Count;

        public void Add(int index, Placement placement, float[] oneHot)
        {
            int first = frame.Origin + placement.Shift;
            for (int j = 0; j < frame.Length; j++)
            {
                coverage[first + j]++;
                for (int b = 0; b < DnaAlphabet.Size; b++)
                {
                    counts[(first + j) * DnaAlphabet.Size + b] += oneHot[j * DnaAlphabet.Size + b];
                }
            }
            Members.Add((index, placement));
            snapshot = null;
        }

        /// <summary>The PWM over the whole frame (uncovered columns uniform).</summary>
        public float[] Snapshot()
        {
            if (snapshot is not null)
            {
                return snapshot;
            }
            var p = new float[counts.Length];
            for (int f = 0; f < frame.Width; f++)
            {
                double total = coverage[f] + DnaAlphabet.Size * pseudocount;
                for (int b = 0; b < DnaAlphabet.Size; b++)
                {
                    p[f * DnaAlphabet.Size + b] = (float)((counts[f * DnaAlphabet.Size + b] + pseudocount) / total);
                }
            }
            return snapshot = p;
        }

        /// <summary>The PWM of the well-covered columns, low-information flanks trimmed, and the frame column where it starts.</summary>
        public (Motif Motif, int FrameStart) Trimmed(SeqletClusteringOptions options, string id = "cluster")
        {
            int need = Math.Max(1, (int)Math.Ceiling(options.MinCoverage * Count));
            int start = 0, end = frame.Width;
            while (start < end && coverage[start] < need)
            {
                start++;
            }
            while (end > start && coverage[end - 1] < need)
            {
                end--;
            }
            var pwm = Snapshot();
            var covered = new Motif(id, pwm.AsSpan(start * DnaAlphabet.Size, (end - start) * DnaAlphabet.Size), "", Count);
            var trimmed = covered.TrimFlanks(options.TrimInformation);
            int offset = 0;
            while (offset + trimmed.Width <= covered.Width && !covered.Probabilities.Slice(offset * DnaAlphabet.Size, trimmed.Probabilities.Length).SequenceEqual(trimmed.Probabilities))
            {
                offset++;
            }
            return (trimmed, start + offset);
        }

        public SeqletCluster ToCluster(string id, Seqlet[] ordered, SeqletClusteringOptions options)
        {
            var motif = Trimmed(options, id).Motif;
            var members = Members
                .Select(m => new AlignedSeqlet(ordered[m.Index], m.Placement.Shift, m.Placement.Strand, m.Placement.Similarity))
                .ToArray();
            return new SeqletCluster(motif, members);
        }
    }
}
