namespace Promptor.Genomics.Reports;

/// <summary>The attention meta-profile of one treatment: mean attention (over heads and genes) at each position, positions ascending.</summary>
/// <param name="Treatment">The treatment.</param>
/// <param name="Positions">Positions in bp, ascending.</param>
/// <param name="MeanAttention">Mean attention at each position.</param>
public sealed record ReportMetaProfile(string Treatment, IReadOnlyList<double> Positions, IReadOnlyList<double> MeanAttention);
