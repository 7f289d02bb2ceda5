using Promptor.Tensors;

namespace Promptor.Genomics.Dna;

/// <summary>
/// Counts canonical k-mers: a k-mer and its reverse complement share one feature, so counts do not
/// depend on the strand a sequence is written on. The features are numbered <c>0..FeatureCount-1</c>
/// in increasing 2-bit code of the canonical (lexicographically smaller) k-mer; for k = 6 there are
/// 2,080 of them. Counting is a single pass with rolling 2-bit codes for both strands; k-mers that
/// contain an ambiguity code (N, R, …) are skipped. Lowercase counts like uppercase.
/// </summary>
public sealed class CanonicalKmerCounter
{
    /// <summary>The largest supported k (the code table has 4^k entries).</summary>
    public const int MaxK = 12;

    private readonly int[] featureOfCode; // 4^k entries: canonical feature index of every k-mer code
    private readonly int[] codeOfFeature;

    /// <summary>Creates a counter for k-mers of length <paramref name="k"/> (1..12).</summary>
    public CanonicalKmerCounter(int k)
    {
        if (k < 1 || k > MaxK)
        {
            throw new ArgumentOutOfRangeException(nameof(k), $"k must be in 1..{MaxK}, got {k}.");
        }
        K = k;
        int codes = 1 << (2 * k);
        featureOfCode = new int[codes];
        var canonical = new List<int>();
        for (int code = 0; code < codes; code++)
        {
            int rc = ReverseComplementCode(code, k);
            if (code <= rc)
            {
                featureOfCode[code] = canonical.Count;
                canonical.Add(code);
            }
            else
            {
                featureOfCode[code] = featureOfCode[rc]; // rc < code: already numbered
            }
        }
        codeOfFeature = canonical.ToArray();
    }

    /// <summary>The k-mer length.</summary>
    public int K { get; }

    /// <summary>Number of canonical k-mers: <c>(4^k + 4^(k/2)) / 2</c> for even k, <c>4^k / 2</c> for odd k.</summary>
    public int FeatureCount => codeOfFeature.Length;

    /// <summary>The canonical k-mer (uppercase) of feature <paramref name="feature"/>.</summary>
    public string FeatureName(int feature)
    {
        int code = codeOfFeature[feature];
        return string.Create(K, code, static (chars, c) =>
        {
            for (int i = chars.Length - 1; i >= 0; i--)
            {
                chars[i] = DnaAlphabet.Bases[c & 3];
                c >>= 2;
            }
        });
    }

    /// <summary>The feature index of a k-mer of length K (either strand), or -1 when it holds an ambiguity code.</summary>
    public int FeatureOf(ReadOnlySpan<char> kmer)
    {
        if (kmer.Length != K)
        {
            throw new ArgumentException($"Expected a {K}-mer, got length {kmer.Length}.", nameof(kmer));
        }
        int code = 0;
        foreach (char c in kmer)
        {
            int b = DnaAlphabet.IndexOf(c);
            if (b < 0)
            {
                return -1;
            }
            code = code << 2 | b;
        }
        return featureOfCode[code];
    }

    /// <summary>
    /// Adds the canonical k-mer counts of <paramref name="sequence"/> to <paramref name="counts"/>
    /// (length <see cref="FeatureCount"/>). Slice the sequence to count a region (e.g. proximal and
    /// distal halves separately).
    /// </summary>
    public void Count(ReadOnlySpan<char> sequence, Span<float> counts)
    {
        if (counts.Length != FeatureCount)
        {
            throw new ArgumentException($"Counts must have length {FeatureCount}, got {counts.Length}.", nameof(counts));
        }
        int k = K;
        int mask = (1 << (2 * k)) - 1;
        int topShift = 2 * (k - 1);
        int forward = 0, reverse = 0, valid = 0;
        for (int i = 0; i < sequence.Length; i++)
        {
            int b = DnaAlphabet.IndexOf(sequence[i]);
            if (b < 0)
            {
                valid = 0; // a k-mer window containing an ambiguity code is skipped
                continue;
            }
            forward = (forward << 2 | b) & mask;
            // The reverse strand reads the complement (3 - b) in the opposite direction, so the new
            // base enters at the most significant end.
            reverse = reverse >> 2 | (3 - b) << topShift;
            if (++valid >= k)
            {
                // featureOfCode[forward] == featureOfCode[reverse]; use the smaller code for locality.
                counts[featureOfCode[forward < reverse ? forward : reverse]] += 1f;
            }
        }
    }

    /// <summary>
    /// Counts every sequence into a matrix of shape <c>(N, FeatureCount)</c>.
    /// </summary>
    public Tensor CountMatrix(IReadOnlyList<string> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        int f = FeatureCount;
        var data = new float[sequences.Count * f];
        for (int n = 0; n < sequences.Count; n++)
        {
            Count(sequences[n], data.AsSpan(n * f, f));
        }
        return new Tensor(new Shape(sequences.Count, f), data);
    }

    private static int ReverseComplementCode(int code, int k)
    {
        int rc = 0;
        for (int i = 0; i < k; i++)
        {
            rc = rc << 2 | (3 - (code & 3));
            code >>= 2;
        }
        return rc;
    }
}
