namespace Promptor.Genomics.Simulation;

/// <summary>
/// What a treatment responds to: an additive effect per planted site of each active motif, and
/// pairwise interaction terms added once when a sequence carries sites of both motifs.
/// </summary>
/// <param name="Name">The treatment name.</param>
/// <param name="MotifEffects">Motif id → effect of each planted site of that motif (motifs not listed are inactive).</param>
/// <param name="Interactions">Pairwise terms; default none.</param>
public sealed record TreatmentSpec(string Name, IReadOnlyDictionary<string, float> MotifEffects, IReadOnlyList<MotifInteraction>? Interactions = null)
{
    /// <summary>The interaction terms (never null).</summary>
    public IReadOnlyList<MotifInteraction> InteractionTerms => Interactions ?? [];

    /// <summary>The effect of one site of <paramref name="motifId"/> under this treatment (0 when inactive).</summary>
    public float EffectOf(string motifId) => MotifEffects.TryGetValue(motifId, out float e) ? e : 0f;
}
