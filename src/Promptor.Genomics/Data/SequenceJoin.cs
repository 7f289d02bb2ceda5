using Promptor.Genomics.IO;

namespace Promptor.Genomics.Data;

/// <summary>Joins an expression table with sequences by gene id (exact, case-sensitive match).</summary>
public static class SequenceJoin
{
    /// <summary>
    /// Keeps the table genes that have a sequence, in table order, and reports the unmatched ids of both sides.
    /// </summary>
    /// <exception cref="ArgumentException">Two sequences share an id.</exception>
    public static JoinedData Join(ExpressionTable table, IReadOnlyList<FastaRecord> sequences)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(sequences);
        var byId = new Dictionary<string, FastaRecord>(sequences.Count, StringComparer.Ordinal);
        foreach (var s in sequences)
        {
            if (!byId.TryAdd(s.Id, s))
            {
                throw new ArgumentException($"Duplicate sequence id '{s.Id}'.", nameof(sequences));
            }
        }
        var rows = new List<int>();
        var matched = new List<FastaRecord>();
        var tableOnly = new List<string>();
        for (int g = 0; g < table.GeneCount; g++)
        {
            if (byId.TryGetValue(table.GeneIds[g], out var record))
            {
                rows.Add(g);
                matched.Add(record);
            }
            else
            {
                tableOnly.Add(table.GeneIds[g]);
            }
        }
        var sequenceOnly = sequences.Where(s => !table.ContainsGene(s.Id)).Select(s => s.Id).ToArray();
        return new JoinedData(table.SelectGenes(rows), matched, new JoinReport(rows.Count, tableOnly, sequenceOnly));
    }
}
