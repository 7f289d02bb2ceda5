using Promptor.Genomics.IO;

namespace Promptor.Genomics.Simulation;

/// <summary>A motif instance planted in a simulated sequence.</summary>
/// <param name="GeneId">The sequence's id.</param>
/// <param name="MotifId">The motif planted.</param>
/// <param name="Start">0-based start in the sequence.</param>
/// <param name="End">Exclusive end (<c>Start + motif width</c>).</param>
/// <param name="Strand"><see cref="Strand.Plus"/> when the motif reads 5'→3' on the sequence, <see cref="Strand.Minus"/> when its reverse complement was planted.</param>
/// <param name="Sequence">The planted letters as they read in the sequence (<c>sequence[Start..End]</c>).</param>
public sealed record PlantedSite(string GeneId, string MotifId, int Start, int End, Strand Strand, string Sequence);
