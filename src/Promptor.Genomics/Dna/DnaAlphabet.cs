namespace Promptor.Genomics.Dna;

/// <summary>
/// The DNA alphabet: the four bases <c>A, C, G, T</c> with indices <c>0..3</c> (the channel order of
/// every one-hot encoding in Promptor), plus the IUPAC ambiguity codes
/// <c>R Y S W K M B D H V N</c>. Lowercase (soft-masked) letters are accepted everywhere and mean the
/// same as uppercase. Any other character is illegal.
/// </summary>
public static class DnaAlphabet
{
    /// <summary>The bases in channel order: <c>"ACGT"</c>.</summary>
    public const string Bases = "ACGT";

    /// <summary>Number of channels of a one-hot encoding (4).</summary>
    public const int Size = 4;

    /// <summary>All legal uppercase letters: the four bases followed by the IUPAC ambiguity codes.</summary>
    public const string Letters = "ACGTRYSWKMBDHVN";

    // Per ASCII character: bit mask of the bases it stands for (A=1, C=2, G=4, T=8), 0 = illegal.
    private static readonly byte[] s_baseMasks = BuildMasks();

    // Per ASCII character: complement letter (case preserved), '\0' = illegal.
    private static readonly char[] s_complements = BuildComplements();

    private static byte[] BuildMasks()
    {
        var masks = new byte[128];
        void Set(char c, int mask)
        {
            masks[c] = (byte)mask;
            masks[char.ToLowerInvariant(c)] = (byte)mask;
        }
        Set('A', 1);
        Set('C', 2);
        Set('G', 4);
        Set('T', 8);
        Set('R', 1 | 4);
        Set('Y', 2 | 8);
        Set('S', 2 | 4);
        Set('W', 1 | 8);
        Set('K', 4 | 8);
        Set('M', 1 | 2);
        Set('B', 2 | 4 | 8);
        Set('D', 1 | 4 | 8);
        Set('H', 1 | 2 | 8);
        Set('V', 1 | 2 | 4);
        Set('N', 15);
        return masks;
    }

    private static char[] BuildComplements()
    {
        var table = new char[128];
        const string from = "ACGTRYSWKMBDHVN";
        const string to = "TGCAYRSWMKVHDBN";
        for (int i = 0; i < from.Length; i++)
        {
            table[from[i]] = to[i];
            table[char.ToLowerInvariant(from[i])] = char.ToLowerInvariant(to[i]);
        }
        return table;
    }

    /// <summary>True for A, C, G, T and the IUPAC ambiguity codes, in either case.</summary>
    public static bool IsLegal(char c) => c < 128 && s_baseMasks[c] != 0;

    /// <summary>True for an unambiguous base (A, C, G, T in either case).</summary>
    public static bool IsBase(char c) => IndexOf(c) >= 0;

    /// <summary>The channel index of an unambiguous base (A=0, C=1, G=2, T=3, either case), or -1 otherwise.</summary>
    public static int IndexOf(char c) => c < 128 ? BaseCodes[c] : -1;

    /// <summary>Per ASCII character: base index 0..3, or -1 (assembly data, no static constructor).</summary>
    internal static ReadOnlySpan<sbyte> BaseCodes =>
    [
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, 0, -1, 1, -1, -1, -1, 2, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, 0, -1, 1, -1, -1, -1, 2, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    ];

    /// <summary>
    /// Per ASCII character, 4 one-hot weights (layout <c>(128, 4)</c>): rows of illegal characters are
    /// all zero; use <see cref="IsLegal"/> to tell them apart.
    /// </summary>
    internal static float[] WeightTable(AmbiguityEncoding ambiguity) =>
        ambiguity == AmbiguityEncoding.Proportional ? s_proportionalWeights : s_uniformWeights;

    private static readonly float[] s_uniformWeights = BuildWeights(AmbiguityEncoding.Uniform);
    private static readonly float[] s_proportionalWeights = BuildWeights(AmbiguityEncoding.Proportional);

    private static float[] BuildWeights(AmbiguityEncoding ambiguity)
    {
        var table = new float[128 * Size];
        for (int c = 0; c < 128; c++)
        {
            TryGetWeights((char)c, table.AsSpan(c * Size, Size), ambiguity);
        }
        return table;
    }

    /// <summary>
    /// The set of bases a legal letter stands for, as a 4-bit mask (bit <c>i</c> = base index <c>i</c>);
    /// 0 for an illegal character. For example <c>R</c> (A or G) is <c>0b0101</c>, <c>N</c> is <c>0b1111</c>.
    /// </summary>
    public static int BaseMask(char c) => c < 128 ? s_baseMasks[c] : 0;

    /// <summary>
    /// The complement of a legal letter (IUPAC-aware: <c>R↔Y</c>, <c>K↔M</c>, <c>B↔V</c>, <c>D↔H</c>;
    /// <c>S</c>, <c>W</c>, <c>N</c> are their own complements), preserving case.
    /// </summary>
    /// <exception cref="ArgumentException">The character is not a legal DNA letter.</exception>
    public static char Complement(char c)
    {
        char r = c < 128 ? s_complements[c] : '\0';
        if (r == '\0')
        {
            throw new ArgumentException($"'{c}' is not a DNA letter (A, C, G, T or an IUPAC code).", nameof(c));
        }
        return r;
    }

    /// <summary>
    /// Writes the one-hot weights of a letter into <paramref name="weights"/> (length 4, order A, C, G, T).
    /// Bases give a one-hot row. Ambiguity codes give <c>0.25</c> in every channel under
    /// <see cref="AmbiguityEncoding.Uniform"/> (the default, Selene's convention), or split the mass
    /// evenly over the bases the code stands for under <see cref="AmbiguityEncoding.Proportional"/>
    /// (<c>R</c> → A 0.5, G 0.5). <c>N</c> is 0.25 each under both.
    /// </summary>
    /// <returns>False when <paramref name="c"/> is illegal (weights untouched).</returns>
    public static bool TryGetWeights(char c, Span<float> weights, AmbiguityEncoding ambiguity = AmbiguityEncoding.Uniform)
    {
        int mask = BaseMask(c);
        if (mask == 0)
        {
            return false;
        }
        int bits = System.Numerics.BitOperations.PopCount((uint)mask);
        if (bits == 1 || ambiguity == AmbiguityEncoding.Proportional)
        {
            float w = 1f / bits;
            for (int i = 0; i < Size; i++)
            {
                weights[i] = (mask >> i & 1) != 0 ? w : 0f;
            }
        }
        else
        {
            weights[..Size].Fill(0.25f);
        }
        return true;
    }

    /// <summary>
    /// The index of the first illegal character of <paramref name="sequence"/>, or -1 when every
    /// character is a legal DNA letter.
    /// </summary>
    public static int IndexOfIllegal(ReadOnlySpan<char> sequence)
    {
        for (int i = 0; i < sequence.Length; i++)
        {
            char c = sequence[i];
            if (c >= 128 || s_baseMasks[c] == 0)
            {
                return i;
            }
        }
        return -1;
    }
}
