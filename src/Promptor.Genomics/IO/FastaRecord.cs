namespace Promptor.Genomics.IO;

/// <summary>One FASTA record.</summary>
/// <param name="Id">The identifier: the first word of the header line (after <c>&gt;</c>).</param>
/// <param name="Description">The rest of the header line after the identifier (may be empty).</param>
/// <param name="Sequence">The sequence, all lines joined (uppercase unless read with <c>KeepCase</c>).</param>
public sealed record FastaRecord(string Id, string Description, string Sequence)
{
    /// <summary>The sequence length.</summary>
    public int Length => Sequence.Length;
}
