namespace Promptor.Genomics.Data;

/// <summary>What a join of an expression table with sequences matched.</summary>
/// <param name="Matched">Genes present in both (the rows kept).</param>
/// <param name="TableOnly">Table genes without a sequence, in table order.</param>
/// <param name="SequenceOnly">Sequence ids without a table row, in sequence order.</param>
public sealed record JoinReport(int Matched, IReadOnlyList<string> TableOnly, IReadOnlyList<string> SequenceOnly)
{
    /// <summary>Number of table genes that found no sequence.</summary>
    public int UnmatchedTableGenes => TableOnly.Count;

    /// <summary>Number of sequences that found no table row.</summary>
    public int UnmatchedSequences => SequenceOnly.Count;

    /// <summary>One line, e.g. <c>joined 4,000 genes; 191 table genes without a sequence (YAL004W, …); 870 sequences without expression</c>.</summary>
    public override string ToString()
    {
        static string Examples(IReadOnlyList<string> ids) =>
            ids.Count == 0 ? "" : $" ({string.Join(", ", ids.Take(3))}{(ids.Count > 3 ? ", …" : "")})";
        return $"joined {Matched:N0} genes; {TableOnly.Count:N0} table genes without a sequence{Examples(TableOnly)}; "
            + $"{SequenceOnly.Count:N0} sequences without expression{Examples(SequenceOnly)}";
    }
}
