using Promptor.Genomics.Dna;

namespace Promptor.Genomics.Data;

/// <summary>Options of <see cref="YeastStressTask.Load"/>; the defaults give the DESIGN.md default task.</summary>
public sealed record YeastStressTaskOptions
{
    /// <summary>
    /// Promoter length policy; default 1000 bp, padding with N or trimming at the 5' (left) end so the
    /// base just before the start codon stays last (6 promoters at chromosome ends are shorter).
    /// </summary>
    public FixedLength Length { get; init; } = new(1000, LengthMode.PadOrTrim, SequenceAlignment.Right);

    /// <summary>The chromosome split; default test = IV, validation = XV.</summary>
    public ChromosomeSplitOptions Split { get; init; } = new();

    /// <summary>The target definition; default floor 20, genes with all values ≤ 50 dropped.</summary>
    public TimeCourseOptions TimeCourse { get; init; } = new();
}
