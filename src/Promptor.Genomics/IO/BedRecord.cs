namespace Promptor.Genomics.IO;

/// <summary>
/// One BED feature. Coordinates are 0-based and half-open: the feature covers bases
/// <c>[Start, End)</c> of <see cref="Chrom"/>.
/// </summary>
/// <param name="Chrom">Chromosome name (column 1).</param>
/// <param name="Start">0-based start (column 2).</param>
/// <param name="End">Exclusive end (column 3); <c>End ≥ Start</c>.</param>
/// <param name="Name">Column 4, or null in BED3.</param>
/// <param name="Score">Column 5, or null in BED3/BED4 or when it is <c>.</c>.</param>
/// <param name="Strand">Column 6, or <see cref="Strand.None"/> when absent or <c>.</c>.</param>
/// <param name="LineNumber">1-based line of the record in its file (0 for records built in code).</param>
/// <param name="ExtraFields">Columns 7 onward, verbatim (empty for BED3–BED6).</param>
public sealed record BedRecord(string Chrom, int Start, int End, string? Name = null, double? Score = null, Strand Strand = Strand.None, int LineNumber = 0, IReadOnlyList<string>? ExtraFields = null)
{
    /// <summary>The feature length <c>End - Start</c>.</summary>
    public int Length => End - Start;

    /// <summary>
    /// The 5' end of the feature on its strand as a 0-based position of its first base: <see cref="Start"/>
    /// on <c>+</c> (and unstranded) features, <c>End - 1</c> on <c>-</c> features.
    /// </summary>
    public int FivePrimeBase => Strand == Strand.Minus ? End - 1 : Start;
}
