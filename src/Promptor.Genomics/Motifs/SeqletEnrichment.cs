using Promptor.Genomics.Dna;

namespace Promptor.Genomics.Motifs;

/// <summary>
/// How specific a discovered motif is to the high-importance regions it came from, in the manner of
/// discriminative motif finders (DREME, HOMER): a motif that the importance singled out occurs more often
/// in seqlets than in low-importance control windows of the same sequences, while a cluster of
/// background-like seqlets (e.g. A/T-rich stretches in A/T-rich promoters) is as common in both.
/// <para>
/// Each window is scored by the motif's best log-odds against the sequences' base composition (any
/// placement, both strands). The hit threshold is the median score of the cluster's own seqlets; the
/// fractions of all seqlets and of the control windows reaching it are compared with a two-proportion
/// z statistic (pooled variance).
/// </para>
/// </summary>
public static class SeqletEnrichment
{
    /// <summary>Base frequencies A, C, G, T of <paramref name="sequences"/> (ambiguity codes share their weight), with one pseudocount per base.</summary>
    public static float[] BaseFrequencies(IEnumerable<string> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var counts = new double[DnaAlphabet.Size];
        Span<float> weights = stackalloc float[DnaAlphabet.Size];
        foreach (var s in sequences)
        {
            foreach (char c in s)
            {
                if (DnaAlphabet.TryGetWeights(c, weights))
                {
                    for (int b = 0; b < DnaAlphabet.Size; b++)
                    {
                        counts[b] += weights[b];
                    }
                }
            }
        }
        double total = counts.Sum() + DnaAlphabet.Size;
        return counts.Select(c => (float)((c + 1) / total)).ToArray();
    }

    /// <summary>
    /// The best log2-odds score of <paramref name="motif"/> against <paramref name="background"/> over every
    /// placement in <paramref name="window"/> and both strands. A motif wider than the window is scored over
    /// each placement of the window inside it. Ambiguity codes score the weighted mean of their bases.
    /// </summary>
    public static double BestScore(Motif motif, string window, ReadOnlySpan<float> background)
    {
        ArgumentNullException.ThrowIfNull(motif);
        ArgumentNullException.ThrowIfNull(window);
        var plus = LogOdds(motif, background);
        var minus = LogOdds(motif.ReverseComplement(), background);
        return BestScore(plus, minus, motif.Width, SeqletExtractor.OneHot(window), window.Length);
    }

    /// <summary>
    /// Measures the enrichment of <paramref name="motif"/> (made from the seqlets <paramref name="members"/>)
    /// among <paramref name="seqlets"/> (all seqlets of the tracks) against <paramref name="controls"/>
    /// (low-importance windows of the same length, <see cref="SeqletExtractor.ControlWindows"/>).
    /// </summary>
    public static MotifEnrichment Measure(Motif motif, IReadOnlyList<string> members, IReadOnlyList<string> seqlets,
        IReadOnlyList<string> controls, ReadOnlySpan<float> background)
    {
        ArgumentNullException.ThrowIfNull(motif);
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(seqlets);
        ArgumentNullException.ThrowIfNull(controls);
        static float[][] Encode(IReadOnlyList<string> windows) => windows.Select(SeqletExtractor.OneHot).ToArray();
        return Measure(motif, Encode(members), Encode(seqlets), Encode(controls), background);
    }

    /// <summary><see cref="Measure(Motif, IReadOnlyList{string}, IReadOnlyList{string}, IReadOnlyList{string}, ReadOnlySpan{float})"/> on one-hot windows <c>(length, 4)</c>, encoded once for many motifs.</summary>
    internal static MotifEnrichment Measure(Motif motif, IReadOnlyList<float[]> members, IReadOnlyList<float[]> seqlets,
        IReadOnlyList<float[]> controls, ReadOnlySpan<float> background)
    {
        if (members.Count == 0)
        {
            throw new ArgumentException("A motif needs at least one member seqlet.", nameof(members));
        }
        var plus = LogOdds(motif, background);
        var minus = LogOdds(motif.ReverseComplement(), background);
        double Score(float[] w) => BestScore(plus, minus, motif.Width, w, w.Length / DnaAlphabet.Size);
        var own = members.Select(Score).Order().ToArray();
        double threshold = own.Length % 2 == 1 ? own[own.Length / 2] : 0.5 * (own[own.Length / 2 - 1] + own[own.Length / 2]);
        int seqletHits = seqlets.Count(w => Score(w) >= threshold);
        int controlHits = controls.Count(w => Score(w) >= threshold);
        return new MotifEnrichment(threshold, seqletHits, seqlets.Count, controlHits, controls.Count);
    }

    private static double[] LogOdds(Motif motif, ReadOnlySpan<float> background)
    {
        if (background.Length != DnaAlphabet.Size)
        {
            throw new ArgumentException("The background has 4 frequencies (A, C, G, T).", nameof(background));
        }
        var p = motif.Probabilities;
        var result = new double[p.Length];
        for (int i = 0; i < p.Length; i++)
        {
            result[i] = Math.Log2(Math.Max(p[i], 1e-4) / Math.Max(background[i % DnaAlphabet.Size], 1e-4));
        }
        return result;
    }

    private static double BestScore(double[] plus, double[] minus, int width, float[] oneHot, int length)
    {
        const int A = DnaAlphabet.Size;
        double best = double.NegativeInfinity;
        int from = Math.Min(0, length - width), to = Math.Max(0, length - width);
        foreach (var table in (double[][])[plus, minus])
        {
            for (int offset = from; offset <= to; offset++)
            {
                double score = 0;
                for (int j = Math.Max(0, -offset); j < width && offset + j < length; j++)
                {
                    int position = offset + j;
                    for (int b = 0; b < A; b++)
                    {
                        score += oneHot[position * A + b] * table[j * A + b];
                    }
                }
                best = Math.Max(best, score);
            }
        }
        return best;
    }
}
