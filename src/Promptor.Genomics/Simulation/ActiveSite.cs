using Promptor.Genomics.IO;

namespace Promptor.Genomics.Simulation;

/// <summary>Ground truth: a planted site that acts under a treatment.</summary>
/// <param name="GeneId">The sequence's id.</param>
/// <param name="Treatment">The treatment.</param>
/// <param name="MotifId">The motif.</param>
/// <param name="Start">0-based start.</param>
/// <param name="End">Exclusive end.</param>
/// <param name="Strand">Orientation of the site.</param>
/// <param name="Effect">The site's additive effect under the treatment (0 when it acts only through an interaction).</param>
/// <param name="Interaction">The summed effect of the interaction terms the site's motif takes part in for this sequence and treatment (shared with the partner site; added once per term to the response).</param>
public sealed record ActiveSite(string GeneId, string Treatment, string MotifId, int Start, int End, Strand Strand, float Effect, float Interaction);
