namespace Promptor.Genomics.Interpretation;

/// <summary>Paired comparison of the attention mass on motif sites under two treatments, over genes with a site.</summary>
/// <param name="TreatmentA">First treatment.</param>
/// <param name="TreatmentB">Second treatment.</param>
/// <param name="GeneCount">Genes with at least one site.</param>
/// <param name="MeanMassA">Mean attention mass on sites under A.</param>
/// <param name="MeanMassB">Mean attention mass on sites under B.</param>
/// <param name="GenesAHigher">Genes where A puts more mass on sites.</param>
/// <param name="GenesBHigher">Genes where B puts more mass on sites.</param>
/// <param name="SignTestP">Two-sided exact sign-test p-value.</param>
public sealed record DifferentialSiteComparison(string TreatmentA, string TreatmentB, int GeneCount, double MeanMassA, double MeanMassB,
    int GenesAHigher, int GenesBHigher, double SignTestP);
