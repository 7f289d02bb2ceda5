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
        var result = final
            .Where(c => c.Count >= options.MinSeqlets)
            .OrderByDescending(c => c.Count).ThenByDescending(c => c.Members.Sum(m => ordered[m.Index].Score))
            .ToList();
        return result.Select((c, rank) => c.ToCluster($"{idPrefix}{rank + 1}", ordered, options)).ToArray();
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
    /// <c>Origin = MaxShift</c>, so shifted members stay inside <c>[0, Length + 2 MaxShift)</c>.
    /// </summary>
    private sealed record Frame(int Length, int MaxShift, int CoreStart, int CoreWidth)
    {
        public int Origin => MaxShift;

        public int Width => Length + 2 * MaxShift;

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

        public SeqletCluster ToCluster(string id, Seqlet[] ordered, SeqletClusteringOptions options)
        {
            int need = (int)Math.Ceiling(options.MinCoverage * Count);
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
            var motif = new Motif(id, pwm.AsSpan(start * DnaAlphabet.Size, (end - start) * DnaAlphabet.Size), "", Count)
                .TrimFlanks(options.TrimInformation);
            var members = Members
                .Select(m => new AlignedSeqlet(ordered[m.Index], m.Placement.Shift, m.Placement.Strand, m.Placement.Similarity))
                .ToArray();
            return new SeqletCluster(motif, members);
        }
    }
}
