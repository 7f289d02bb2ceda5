namespace Promptor.Genomics.Motifs;

/// <summary>The content of a MEME minimal-format motif file.</summary>
/// <param name="Motifs">The motifs in file order.</param>
/// <param name="Background">Background frequencies of A, C, G, T (uniform when the file gives none).</param>
public sealed record MemeFile(IReadOnlyList<Motif> Motifs, IReadOnlyList<float> Background);
