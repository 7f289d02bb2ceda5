namespace Promptor.Genomics.Simulation;

/// <summary>A pairwise term: <paramref name="Effect"/> is added once to a sequence holding at least one site of each motif.</summary>
/// <param name="MotifA">First motif id.</param>
/// <param name="MotifB">Second motif id (different from the first).</param>
/// <param name="Effect">The added response.</param>
public sealed record MotifInteraction(string MotifA, string MotifB, float Effect);
