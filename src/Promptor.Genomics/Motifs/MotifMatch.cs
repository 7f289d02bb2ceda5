using Promptor.Genomics.IO;

namespace Promptor.Genomics.Motifs;

/// <summary>The best alignment of a query motif with one database motif, and its significance.</summary>
/// <param name="QueryId">The query motif's id.</param>
/// <param name="TargetId">The database motif's id.</param>
/// <param name="TargetName">The database motif's name (may be empty).</param>
/// <param name="Offset">
/// Alignment offset: column <c>j</c> of the target (on <paramref name="Strand"/>) is aligned with column
/// <c>j + Offset</c> of the query. Negative when the target starts before the query.
/// </param>
/// <param name="Strand"><see cref="Strand.Plus"/> for the target as given, <see cref="Strand.Minus"/> for its reverse complement.</param>
/// <param name="Overlap">Number of aligned columns.</param>
/// <param name="Score">Sum of the column similarities over the aligned columns (unscaled).</param>
/// <param name="PValue">Probability that a target of random database columns aligns at least this well at some offset and strand.</param>
/// <param name="EValue"><paramref name="PValue"/> times the number of database motifs.</param>
/// <param name="QValue">Benjamini–Hochberg q-value over the query's matches against the whole database, scaled by π0 (<see cref="MotifComparisonOptions.NullFraction"/>).</param>
public sealed record MotifMatch(
    string QueryId,
    string TargetId,
    string TargetName,
    int Offset,
    Strand Strand,
    int Overlap,
    double Score,
    double PValue,
    double EValue,
    double QValue);
