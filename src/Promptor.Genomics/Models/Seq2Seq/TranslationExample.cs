namespace Promptor.Genomics.Models.Seq2Seq;

/// <summary>One DNA → protein training pair: a window of whole codons of a gene and its residues.</summary>
/// <param name="Gene">The gene the window comes from.</param>
/// <param name="Start">Index of the window's first codon within the gene's coding sequence.</param>
/// <param name="Dna">3·n bases.</param>
/// <param name="Protein">The n residues.</param>
public sealed record TranslationExample(string Gene, int Start, string Dna, string Protein)
{
    /// <summary>
    /// Cuts each gene into consecutive non-overlapping windows of <paramref name="codons"/> codons
    /// (a shorter last window is kept when it has at least <paramref name="minCodons"/> codons).
    /// </summary>
    public static IReadOnlyList<TranslationExample> Windows(IEnumerable<CodingSequence> genes, int codons, int minCodons = 1)
    {
        ArgumentNullException.ThrowIfNull(genes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(codons);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minCodons);
        var result = new List<TranslationExample>();
        foreach (var gene in genes)
        {
            for (int start = 0; start < gene.Protein.Length; start += codons)
            {
                int n = Math.Min(codons, gene.Protein.Length - start);
                if (n >= minCodons)
                {
                    result.Add(new TranslationExample(gene.Gene, start, gene.Dna.Substring(3 * start, 3 * n), gene.Protein.Substring(start, n)));
                }
            }
        }
        return result;
    }

    /// <summary>
    /// Splits genes (not windows) into training, validation and test sets: a gene's windows all
    /// land in one set, so evaluation is on held-out genes. The assignment is a seeded shuffle of
    /// the genes sorted by name, so it depends only on the gene names and the seed.
    /// </summary>
    public static (IReadOnlyList<CodingSequence> Train, IReadOnlyList<CodingSequence> Validation, IReadOnlyList<CodingSequence> Test) SplitGenes(
        IReadOnlyList<CodingSequence> genes, double validationFraction, double testFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(genes);
        if (!(validationFraction >= 0 && testFraction >= 0 && validationFraction + testFraction < 1))
        {
            throw new ArgumentException($"Validation ({validationFraction}) and test ({testFraction}) fractions must be ≥ 0 and sum below 1.");
        }
        var order = genes.OrderBy(g => g.Gene, StringComparer.Ordinal).ToArray();
        new Promptor.Tensors.Generator(seed).Shuffle(order.AsSpan());
        int nValidation = (int)Math.Round(order.Length * validationFraction);
        int nTest = (int)Math.Round(order.Length * testFraction);
        return (order[(nValidation + nTest)..], order[..nValidation], order[nValidation..(nValidation + nTest)]);
    }
}
