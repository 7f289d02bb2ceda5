using Promptor.Genomics.Data;
using Promptor.Genomics.IO;
using Promptor.Genomics.Motifs;

namespace Promptor.Genomics.Simulation;

/// <summary>The output of <see cref="PromoterSimulator.Simulate"/>: sequences, responses and the ground truth.</summary>
/// <param name="Sequences">The N sequences.</param>
/// <param name="Expression">Noisy responses, genes × treatments.</param>
/// <param name="Noiseless">The responses without noise: per gene and treatment, the sum of its sites' effects plus the interaction terms that apply.</param>
/// <param name="Sites">Every planted site, by gene then position.</param>
/// <param name="ActiveSites">Sites × treatments under which they act.</param>
/// <param name="Treatments">The effects each treatment used.</param>
/// <param name="Motifs">The motif pool.</param>
public sealed record SimulatedData(
    IReadOnlyList<FastaRecord> Sequences,
    ExpressionTable Expression,
    ExpressionTable Noiseless,
    IReadOnlyList<PlantedSite> Sites,
    IReadOnlyList<ActiveSite> ActiveSites,
    IReadOnlyList<TreatmentSpec> Treatments,
    IReadOnlyList<Motif> Motifs);
