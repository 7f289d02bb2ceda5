using System.Text.RegularExpressions;

namespace Promptor.Genomics.Data;

/// <summary>
/// Yeast systematic ORF names, <c>Y&lt;chromosome letter&gt;&lt;arm L/R&gt;&lt;number&gt;&lt;strand W/C&gt;[-&lt;letter&gt;]</c>
/// (e.g. <c>YFL014W</c>, <c>YAL067W-A</c>). The second letter gives the nuclear chromosome:
/// A = I, B = II, …, P = XVI.
/// </summary>
public static partial class YeastGeneName
{
    [GeneratedRegex(@"^Y[A-P][LR]\d{3}[WC](-[A-Z])?$", RegexOptions.CultureInvariant)]
    private static partial Regex SystematicName();

    /// <summary>True when <paramref name="name"/> is a nuclear systematic ORF name (case-sensitive).</summary>
    public static bool IsSystematic(string name) => name is not null && SystematicName().IsMatch(name);

    /// <summary>The chromosome number 1..16 of a systematic name, or false for anything else (including mitochondrial <c>Q…</c> names).</summary>
    public static bool TryGetChromosome(string name, out int chromosome)
    {
        if (IsSystematic(name))
        {
            chromosome = name[1] - 'A' + 1;
            return true;
        }
        chromosome = 0;
        return false;
    }

    /// <summary>The Roman numeral of a chromosome number 1..16 (4 → <c>IV</c>).</summary>
    public static string Roman(int chromosome) =>
        chromosome is >= 1 and <= 16
            ? IO.PromoterExtractor.YeastRomanNumerals[chromosome - 1]
            : throw new ArgumentOutOfRangeException(nameof(chromosome), "Yeast has chromosomes 1..16.");
}
