namespace Promptor.Genomics.Interpretation;

/// <summary>Aggregated difference between two treatments' attention over a gene set.</summary>
/// <param name="TreatmentA">First treatment.</param>
/// <param name="TreatmentB">Second treatment.</param>
/// <param name="GeneCount">Genes pooled.</param>
/// <param name="MeanA">Meta-profile of A <c>(L)</c>: mean head-averaged attention per bp.</param>
/// <param name="MeanB">Meta-profile of B <c>(L)</c>.</param>
/// <param name="MeanDifference">Per bp, <c>MeanA − MeanB</c>.</param>
/// <param name="TotalVariation">Per gene, <c>½ Σ |A − B|</c> in [0, 1].</param>
public sealed record DifferentialProfile(string TreatmentA, string TreatmentB, int GeneCount, double[] MeanA, double[] MeanB,
    double[] MeanDifference, double[] TotalVariation);
