namespace Promptor.Genomics.IO;

/// <summary>The result of <see cref="PromoterExtractor.Extract"/>.</summary>
/// <param name="Promoters">One record per feature whose window is not empty, in input order, written
/// 5'→3' on the feature's strand. Description: <c>loc=chrom:start1-end(strand) len=N</c> with the
/// 1-based inclusive genomic interval.</param>
/// <param name="Warnings">One line per clipped or skipped window or unstranded feature, each naming the BED line.</param>
public sealed record PromoterExtraction(IReadOnlyList<FastaRecord> Promoters, IReadOnlyList<string> Warnings);
