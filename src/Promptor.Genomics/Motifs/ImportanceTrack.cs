namespace Promptor.Genomics.Motifs;

/// <summary>One per-base importance track: a gene's values under one treatment.</summary>
/// <param name="Gene">The gene (sequence) id.</param>
/// <param name="Treatment">The treatment name.</param>
/// <param name="Values">One value per base, 5'→3'.</param>
/// <param name="LineNumber">The 1-based line of the track in its file (0 when not read from a file).</param>
public sealed record ImportanceTrack(string Gene, string Treatment, float[] Values, int LineNumber = 0);
