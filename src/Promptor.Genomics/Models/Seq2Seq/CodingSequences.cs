using Promptor.Genomics.Dna;
using Promptor.Genomics.IO;

namespace Promptor.Genomics.Models.Seq2Seq;

/// <summary>
/// Cuts coding sequences out of a genome with an ORF annotation (BED, start codon … stop codon,
/// strand-aware). Only single-exon genes that translate cleanly are kept, which is how spliced
/// genes (whose BED interval spans introns) drop out: a kept ORF has a length divisible by 3,
/// starts with ATG, ends with a stop codon, has no other stop codon and only A, C, G, T.
/// </summary>
public static class CodingSequences
{
    /// <summary>
    /// The clean coding sequences of <paramref name="orfs"/> in <paramref name="genome"/>
    /// (chromosome name → sequence), in annotation order; ORFs on chromosomes absent from the
    /// genome are skipped, as are ORFs that fail the checks above.
    /// </summary>
    public static IReadOnlyList<CodingSequence> Extract(IReadOnlyDictionary<string, string> genome, IEnumerable<BedRecord> orfs)
    {
        ArgumentNullException.ThrowIfNull(genome);
        ArgumentNullException.ThrowIfNull(orfs);
        var result = new List<CodingSequence>();
        foreach (var orf in orfs)
        {
            if (!genome.TryGetValue(orf.Chrom, out var chromosome) || orf.End > chromosome.Length || orf.Length < 6)
            {
                continue;
            }
            string dna = chromosome.Substring(orf.Start, orf.Length).ToUpperInvariant();
            if (orf.Strand == Strand.Minus)
            {
                dna = ReverseComplement.Of(dna);
            }
            if (TryClean(dna, out var coding, out var protein))
            {
                result.Add(new CodingSequence(orf.Name ?? $"{orf.Chrom}:{orf.Start}-{orf.End}", coding, protein));
            }
        }
        return result;
    }

    /// <summary>
    /// Checks one ORF (start codon … stop codon) and returns its sense part and protein when it is
    /// clean: length divisible by 3, ATG first, a stop codon last and nowhere else, A/C/G/T only.
    /// </summary>
    public static bool TryClean(string orf, out string coding, out string protein)
    {
        ArgumentNullException.ThrowIfNull(orf);
        coding = protein = "";
        if (orf.Length < 6 || orf.Length % 3 != 0 || !orf.StartsWith("ATG", StringComparison.Ordinal)
            || !GeneticCode.IsStop(orf.AsSpan(orf.Length - 3)))
        {
            return false;
        }
        foreach (char c in orf)
        {
            if (c is not ('A' or 'C' or 'G' or 'T'))
            {
                return false;
            }
        }
        string sense = orf[..^3];
        string translated = GeneticCode.Translate(sense);
        if (translated.Contains(GeneticCode.Stop, StringComparison.Ordinal))
        {
            return false;
        }
        coding = sense;
        protein = translated;
        return true;
    }
}
