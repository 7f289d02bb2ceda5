namespace Promptor.Genomics.Models.Seq2Seq;

/// <summary>One gene's coding sequence and its protein.</summary>
/// <param name="Gene">The gene name (BED name column).</param>
/// <param name="Dna">Coding DNA 5'→3' on the gene's strand from the start codon to the last sense codon (stop codon removed).</param>
/// <param name="Protein">Its translation under the standard genetic code (no stop symbol).</param>
public sealed record CodingSequence(string Gene, string Dna, string Protein);
