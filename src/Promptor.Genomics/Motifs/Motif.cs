using Promptor.Genomics.Dna;
using Promptor.Tensors;

namespace Promptor.Genomics.Motifs;

/// <summary>
/// A DNA motif as a position probability matrix of shape <c>(W, 4)</c>, channels A, C, G, T, each row
/// summing to 1. Immutable.
/// </summary>
public sealed class Motif
{
    private readonly float[] probabilities;

    /// <summary>
    /// Creates a motif from a <c>(W, 4)</c> matrix of non-negative weights (probabilities or counts);
    /// each row is normalised to sum to 1.
    /// </summary>
    /// <param name="id">Identifier (non-empty, no whitespace).</param>
    /// <param name="weights">W * 4 non-negative finite values, row-major; no row may sum to 0.</param>
    /// <param name="name">Alternative name (e.g. the TF); default empty.</param>
    /// <param name="sites">Number of sites behind the matrix (MEME <c>nsites</c>), if known.</param>
    /// <exception cref="ArgumentException">Bad id, empty matrix, length not a multiple of 4, negative or non-finite value, or an all-zero row.</exception>
    public Motif(string id, ReadOnlySpan<float> weights, string name = "", double? sites = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(name);
        if (id.Length == 0 || id.AsSpan().IndexOfAny(" \t\r\n") >= 0)
        {
            throw new ArgumentException($"Motif id '{id}' must be non-empty and contain no whitespace.", nameof(id));
        }
        if (weights.Length == 0 || weights.Length % DnaAlphabet.Size != 0)
        {
            throw new ArgumentException($"Motif '{id}': {weights.Length} weights is not a non-empty (W, 4) matrix.", nameof(weights));
        }
        probabilities = weights.ToArray();
        for (int w = 0; w < probabilities.Length / DnaAlphabet.Size; w++)
        {
            var row = probabilities.AsSpan(w * DnaAlphabet.Size, DnaAlphabet.Size);
            double sum = 0;
            foreach (float v in row)
            {
                if (!float.IsFinite(v) || v < 0)
                {
                    throw new ArgumentException($"Motif '{id}' row {w + 1}: value {v} is negative or not finite.", nameof(weights));
                }
                sum += v;
            }
            if (sum <= 0)
            {
                throw new ArgumentException($"Motif '{id}' row {w + 1} sums to 0.", nameof(weights));
            }
            for (int c = 0; c < row.Length; c++)
            {
                row[c] = (float)(row[c] / sum);
            }
        }
        Id = id;
        Name = name;
        Sites = sites;
    }

    /// <summary>The identifier (e.g. <c>MSN2</c>, <c>MA0341.1</c>).</summary>
    public string Id { get; }

    /// <summary>The alternative name (e.g. the TF name); may be empty.</summary>
    public string Name { get; }

    /// <summary>Number of sites behind the matrix, if known.</summary>
    public double? Sites { get; }

    /// <summary>The width W.</summary>
    public int Width => probabilities.Length / DnaAlphabet.Size;

    /// <summary>The probabilities, row-major <c>(W, 4)</c>.</summary>
    public ReadOnlySpan<float> Probabilities => probabilities;

    /// <summary>The probability of base <paramref name="baseIndex"/> (0..3 = A, C, G, T) at <paramref name="position"/>.</summary>
    public float this[int position, int baseIndex] => probabilities[position * DnaAlphabet.Size + baseIndex];

    /// <summary>
    /// An IUPAC consensus: a base where its probability is ≥ 0.6, a two-base code where the top two sum
    /// to ≥ 0.8, otherwise <c>N</c>.
    /// </summary>
    public string Consensus()
    {
        var chars = new char[Width];
        Span<int> order = stackalloc int[DnaAlphabet.Size];
        for (int w = 0; w < Width; w++)
        {
            var row = probabilities.AsSpan(w * DnaAlphabet.Size, DnaAlphabet.Size);
            for (int c = 0; c < order.Length; c++)
            {
                order[c] = c;
            }
            for (int i = 1; i < order.Length; i++)
            {
                for (int j = i; j > 0 && row[order[j]] > row[order[j - 1]]; j--)
                {
                    (order[j], order[j - 1]) = (order[j - 1], order[j]);
                }
            }
            chars[w] = row[order[0]] >= 0.6f ? DnaAlphabet.Bases[order[0]]
                : row[order[0]] + row[order[1]] >= 0.8f ? CodeOf(1 << order[0] | 1 << order[1])
                : 'N';
        }
        return new string(chars);
    }

    /// <summary>The motif of the other strand: rows reversed and A↔T, C↔G swapped. Same id, name and sites.</summary>
    public Motif ReverseComplement()
    {
        var rc = probabilities.ToArray();
        rc.AsSpan().Reverse(); // with channels A,C,G,T, reversing the flat (W, 4) block reverse-complements it
        return new Motif(Id, rc, Name, Sites);
    }

    /// <summary>
    /// The information content of column <paramref name="position"/> in bits, relative to a uniform
    /// background: <c>2 + Σ_b p_b log2 p_b</c> (0 for a uniform column, 2 for a single base).
    /// </summary>
    public double InformationContent(int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position, Width);
        double ic = 2;
        for (int c = 0; c < DnaAlphabet.Size; c++)
        {
            double p = probabilities[position * DnaAlphabet.Size + c];
            if (p > 0)
            {
                ic += p * Math.Log2(p);
            }
        }
        return Math.Max(0, ic);
    }

    /// <summary>The summed information content of all columns, in bits (at most <c>2 W</c>).</summary>
    public double TotalInformationContent()
    {
        double total = 0;
        for (int w = 0; w < Width; w++)
        {
            total += InformationContent(w);
        }
        return total;
    }

    /// <summary>
    /// The motif without its low-information flanks: leading and trailing columns whose information
    /// content is below <paramref name="minInformation"/> bits are removed; inner columns are kept.
    /// When every column is below the threshold the single most informative column is kept.
    /// </summary>
    /// <param name="minInformation">Threshold in bits, in [0, 2]; default 0.3.</param>
    /// <returns>The trimmed motif (same id, name and sites), or this motif when nothing is trimmed.</returns>
    public Motif TrimFlanks(double minInformation = 0.3)
    {
        if (!(minInformation is >= 0 and <= 2))
        {
            throw new ArgumentOutOfRangeException(nameof(minInformation), "The threshold must lie in [0, 2] bits.");
        }
        int start = 0, end = Width;
        while (start < end && InformationContent(start) < minInformation)
        {
            start++;
        }
        while (end > start && InformationContent(end - 1) < minInformation)
        {
            end--;
        }
        if (start == end)
        {
            int best = 0;
            for (int w = 1; w < Width; w++)
            {
                if (InformationContent(w) > InformationContent(best))
                {
                    best = w;
                }
            }
            (start, end) = (best, best + 1);
        }
        return start == 0 && end == Width ? this : Slice(start, end - start);
    }

    /// <summary>Columns <c>[start, start + length)</c> as a new motif with the same id, name and sites.</summary>
    public Motif Slice(int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + length, Width);
        return new Motif(Id, probabilities.AsSpan(start * DnaAlphabet.Size, length * DnaAlphabet.Size), Name, Sites);
    }

    /// <summary>The same matrix under another id and name.</summary>
    public Motif WithId(string id, string name = "") => new(id, probabilities, name, Sites);

    /// <summary>Draws one site from the matrix, 5'→3', position by position.</summary>
    public string Sample(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var chars = new char[Width];
        for (int w = 0; w < Width; w++)
        {
            float u = generator.NextSingle();
            int c = 0;
            float cumulative = probabilities[w * DnaAlphabet.Size];
            while (u >= cumulative && c < DnaAlphabet.Size - 1)
            {
                c++;
                cumulative += probabilities[w * DnaAlphabet.Size + c];
            }
            chars[w] = DnaAlphabet.Bases[c];
        }
        return new string(chars);
    }

    /// <summary>
    /// A motif from an IUPAC consensus: at each position the letter's bases share <paramref name="match"/>
    /// of the mass and the other bases share the rest (N: 0.25 each).
    /// </summary>
    /// <param name="id">Identifier.</param>
    /// <param name="consensus">IUPAC letters, e.g. <c>AGGGG</c>, <c>TTASTAA</c>.</param>
    /// <param name="match">Mass on the consensus bases, in (0.25, 1]; default 0.91 (0.03 for each other base).</param>
    /// <param name="name">Alternative name; default empty.</param>
    public static Motif FromConsensus(string id, string consensus, float match = 0.91f, string name = "")
    {
        ArgumentNullException.ThrowIfNull(consensus);
        if (match is <= 0.25f or > 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(match), "match must lie in (0.25, 1].");
        }
        var p = new float[consensus.Length * DnaAlphabet.Size];
        for (int w = 0; w < consensus.Length; w++)
        {
            int mask = DnaAlphabet.BaseMask(consensus[w]);
            if (mask == 0)
            {
                throw new ArgumentException($"'{consensus[w]}' in consensus '{consensus}' is not a DNA letter.", nameof(consensus));
            }
            int k = System.Numerics.BitOperations.PopCount((uint)mask);
            for (int c = 0; c < DnaAlphabet.Size; c++)
            {
                bool inCode = (mask >> c & 1) != 0;
                p[w * DnaAlphabet.Size + c] = k == DnaAlphabet.Size ? 0.25f : inCode ? match / k : (1 - match) / (DnaAlphabet.Size - k);
            }
        }
        return new Motif(id, p, name);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Id}{(Name.Length > 0 ? " " + Name : "")} ({Consensus()}, w={Width})";

    private static char CodeOf(int mask) => mask switch
    {
        0b0101 => 'R',
        0b1010 => 'Y',
        0b0110 => 'S',
        0b1001 => 'W',
        0b1100 => 'K',
        0b0011 => 'M',
        _ => 'N',
    };
}
