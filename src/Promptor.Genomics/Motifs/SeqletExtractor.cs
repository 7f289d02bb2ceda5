using Promptor.Genomics.Dna;
using Promptor.Tensors;

namespace Promptor.Genomics.Motifs;

/// <summary>
/// Finds seqlets — short stretches of high importance — in per-base importance tracks (attention at base-pair
/// resolution, attributions, ISM). A hotspot is a core window whose summed importance reaches a threshold
/// (by default the 0.99 quantile of the windowed sums of the same tracks with their values shuffled);
/// hotspots are taken strongest first, without
/// overlapping seqlets of the same sequence, and extended by fixed flanks. Independent of any model.
/// </summary>
public static class SeqletExtractor
{
    /// <summary>Extracts seqlets from <paramref name="tracks"/> over <paramref name="sequences"/>.</summary>
    /// <param name="sequences">N DNA sequences (IUPAC letters).</param>
    /// <param name="tracks">N importance tracks, track <c>i</c> of the length of sequence <c>i</c>.</param>
    /// <param name="options">Settings; default <see cref="SeqletOptions"/>.</param>
    /// <returns>The seqlets, strongest first.</returns>
    public static IReadOnlyList<Seqlet> Extract(IReadOnlyList<string> sequences, IReadOnlyList<float[]> tracks, SeqletOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(tracks);
        options ??= new SeqletOptions();
        options.Validate();
        if (sequences.Count != tracks.Count)
        {
            throw new ArgumentException($"{sequences.Count} sequences but {tracks.Count} tracks.");
        }
        int w = options.WindowWidth, flank = options.Flank;
        var sums = new double[tracks.Count][];
        var all = new List<double>();
        var generator = new Generator(options.Seed);
        for (int n = 0; n < tracks.Count; n++)
        {
            if (tracks[n].Length != sequences[n].Length)
            {
                throw new ArgumentException($"Track {n} has {tracks[n].Length} values but sequence {n} has {sequences[n].Length} bases.");
            }
            sums[n] = WindowSums(tracks[n], w, options.AbsoluteValues);
            if (options.ThresholdMethod == SeqletThreshold.ShuffledNull && options.Threshold is null)
            {
                var shuffled = tracks[n].ToArray();
                generator.Shuffle<float>(shuffled);
                all.AddRange(WindowSums(shuffled, w, options.AbsoluteValues));
            }
            else
            {
                all.AddRange(sums[n]);
            }
        }
        double threshold = options.Threshold ?? QuantileOf(all, options.Quantile);

        var seqlets = new List<Seqlet>();
        for (int n = 0; n < tracks.Count; n++)
        {
            var s = sums[n];
            var candidates = Enumerable.Range(0, s.Length)
                .Where(i => s[i] >= threshold && i - flank >= 0 && i + w + flank <= sequences[n].Length)
                .OrderByDescending(i => s[i]).ThenBy(i => i);
            var taken = new List<(int Start, int End)>();
            foreach (int i in candidates)
            {
                int start = i - flank, end = i + w + flank;
                if (taken.Any(t => start < t.End && t.Start < end))
                {
                    continue;
                }
                taken.Add((start, end));
                seqlets.Add(new Seqlet(n, start, end - start, s[i], sequences[n].Substring(start, end - start).ToUpperInvariant()));
                if (taken.Count == options.MaxPerSequence)
                {
                    break;
                }
            }
        }
        return seqlets.OrderByDescending(x => x.Score).ThenBy(x => x.SequenceIndex).ThenBy(x => x.Start).ToArray();
    }

    /// <summary>
    /// Low-importance control windows of the seqlets' length (<c>WindowWidth + 2 Flank</c>) for
    /// <see cref="SeqletEnrichment"/>: in each sequence, windows laid end to end from its start whose core
    /// sum is at most the median windowed sum of all the tracks (so about half of the sequence, away from the
    /// hotspots).
    /// </summary>
    /// <param name="sequences">The sequences the seqlets came from.</param>
    /// <param name="tracks">Their importance tracks.</param>
    /// <param name="options">The seqlet settings used; default <see cref="SeqletOptions"/>.</param>
    /// <returns>The windows' letters (upper case), sequence by sequence.</returns>
    public static IReadOnlyList<string> ControlWindows(IReadOnlyList<string> sequences, IReadOnlyList<float[]> tracks, SeqletOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(tracks);
        options ??= new SeqletOptions();
        options.Validate();
        if (sequences.Count != tracks.Count)
        {
            throw new ArgumentException($"{sequences.Count} sequences but {tracks.Count} tracks.");
        }
        int w = options.WindowWidth, flank = options.Flank, length = w + 2 * flank;
        var sums = tracks.Select(t => WindowSums(t, w, options.AbsoluteValues)).ToArray();
        double median = QuantileOf(sums.SelectMany(x => x).ToList(), 0.5);
        var windows = new List<string>();
        for (int n = 0; n < sequences.Count; n++)
        {
            if (tracks[n].Length != sequences[n].Length)
            {
                throw new ArgumentException($"Track {n} has {tracks[n].Length} values but sequence {n} has {sequences[n].Length} bases.");
            }
            for (int start = 0; start + length <= sequences[n].Length; start += length)
            {
                if (sums[n][start + flank] <= median)
                {
                    windows.Add(sequences[n].Substring(start, length).ToUpperInvariant());
                }
            }
        }
        return windows;
    }

    /// <summary>Sums of <paramref name="track"/> over every window of width <paramref name="width"/>: <c>L − width + 1</c> values (none when shorter).</summary>
    public static double[] WindowSums(ReadOnlySpan<float> track, int width, bool absoluteValues = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (track.Length < width)
        {
            return [];
        }
        var result = new double[track.Length - width + 1];
        double sum = 0;
        for (int i = 0; i < track.Length; i++)
        {
            float v = track[i];
            if (!float.IsFinite(v))
            {
                throw new ArgumentException($"Importance value at position {i} is not finite.", nameof(track));
            }
            sum += absoluteValues ? Math.Abs(v) : v;
            if (i >= width)
            {
                sum -= absoluteValues ? Math.Abs(track[i - width]) : track[i - width];
            }
            if (i >= width - 1)
            {
                result[i - width + 1] = sum;
            }
        }
        return result;
    }

    /// <summary>One-hot rows of <paramref name="bases"/>, <c>(length, 4)</c>; ambiguity codes share their mass.</summary>
    internal static float[] OneHot(string bases)
    {
        var x = new float[bases.Length * DnaAlphabet.Size];
        for (int i = 0; i < bases.Length; i++)
        {
            if (!DnaAlphabet.TryGetWeights(bases[i], x.AsSpan(i * DnaAlphabet.Size, DnaAlphabet.Size)))
            {
                throw new ArgumentException($"'{bases[i]}' is not a DNA letter.", nameof(bases));
            }
        }
        return x;
    }

    private static double QuantileOf(List<double> values, double q)
    {
        if (values.Count == 0)
        {
            return double.PositiveInfinity;
        }
        var sorted = values.ToArray();
        Array.Sort(sorted);
        double position = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(position), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
    }
}
