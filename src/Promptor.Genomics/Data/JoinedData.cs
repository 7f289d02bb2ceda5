using Promptor.Genomics.IO;

namespace Promptor.Genomics.Data;

/// <summary>An expression table and its sequences, row for row (<c>Sequences[i].Id == Table.GeneIds[i]</c>).</summary>
/// <param name="Table">The matched rows of the table, in table order.</param>
/// <param name="Sequences">The sequence of each row.</param>
/// <param name="Report">Matched and unmatched counts.</param>
public sealed record JoinedData(ExpressionTable Table, IReadOnlyList<FastaRecord> Sequences, JoinReport Report);
