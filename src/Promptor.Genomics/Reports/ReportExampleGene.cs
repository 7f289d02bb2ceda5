namespace Promptor.Genomics.Reports;

/// <summary>An example gene's attention map: one row of L values per treatment, and its sequence when known.</summary>
/// <param name="Gene">The gene id.</param>
/// <param name="Treatments">The treatments, in file order.</param>
/// <param name="Attention">Per treatment, the attention at positions 0 … L−1.</param>
/// <param name="Sequence">The gene's sequence (length L), or null when <c>example_genes.fa</c> is absent.</param>
public sealed record ReportExampleGene(string Gene, IReadOnlyList<string> Treatments, IReadOnlyList<double[]> Attention, string? Sequence)
{
    /// <summary>The length L of the maps.</summary>
    public int Length => Attention.Count == 0 ? 0 : Attention[0].Length;
}
