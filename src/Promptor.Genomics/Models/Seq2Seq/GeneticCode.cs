namespace Promptor.Genomics.Models.Seq2Seq;

/// <summary>
/// The standard genetic code (NCBI translation table 1): each of the 64 DNA codons maps to one of
/// the 20 amino acids in one-letter code or to <c>*</c> (stop: TAA, TAG, TGA).
/// </summary>
public static class GeneticCode
{
    // Codons in TCAG order (first base slowest), the layout of NCBI's table 1.
    private const string Bases = "TCAG";
    private const string AminoAcids = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG";

    /// <summary>The stop symbol <c>*</c>.</summary>
    public const char Stop = '*';

    /// <summary>The 20 amino acids in alphabetical one-letter order: <c>ACDEFGHIKLMNPQRSTVWY</c>.</summary>
    public const string Residues = "ACDEFGHIKLMNPQRSTVWY";

    /// <summary>The amino acid (or <c>*</c>) of one codon of A/C/G/T (either case).</summary>
    /// <exception cref="ArgumentException">The codon is not three letters of A, C, G, T.</exception>
    public static char Translate(char first, char second, char third)
    {
        int a = Index(first), b = Index(second), c = Index(third);
        if (a < 0 || b < 0 || c < 0)
        {
            throw new ArgumentException($"'{first}{second}{third}' is not a codon of A, C, G, T.");
        }
        return AminoAcids[a * 16 + b * 4 + c];
    }

    /// <summary>
    /// The protein of <paramref name="dna"/> read codon by codon from its first base, stops written
    /// as <c>*</c> (translation does not stop at them).
    /// </summary>
    /// <exception cref="ArgumentException">The length is not a multiple of 3 or a codon holds a letter other than A, C, G, T.</exception>
    public static string Translate(ReadOnlySpan<char> dna)
    {
        if (dna.Length % 3 != 0)
        {
            throw new ArgumentException($"A coding sequence of {dna.Length} bases is not a whole number of codons.", nameof(dna));
        }
        var protein = new char[dna.Length / 3];
        for (int i = 0; i < protein.Length; i++)
        {
            protein[i] = Translate(dna[3 * i], dna[3 * i + 1], dna[3 * i + 2]);
        }
        return new string(protein);
    }

    /// <summary>True when the codon is TAA, TAG or TGA.</summary>
    public static bool IsStop(ReadOnlySpan<char> codon) => codon.Length == 3 && Translate(codon[0], codon[1], codon[2]) == Stop;

    private static int Index(char c) => Bases.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
}
