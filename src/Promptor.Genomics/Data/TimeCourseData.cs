namespace Promptor.Genomics.Data;

/// <summary>The result of <see cref="TimeCourseImporter"/>.</summary>
public sealed class TimeCourseData
{
    internal TimeCourseData(IReadOnlyList<TimeCourseSample> samples, ExpressionTable raw, ExpressionTable targets, IReadOnlyDictionary<string, string> geneNames, int genesInFile, IReadOnlyList<string> droppedGenes)
    {
        Samples = samples;
        Raw = raw;
        Targets = targets;
        GeneNames = geneNames;
        GenesInFile = genesInFile;
        DroppedGenes = droppedGenes;
    }

    /// <summary>All samples in file order (references included).</summary>
    public IReadOnlyList<TimeCourseSample> Samples { get; }

    /// <summary>The courses in file order (e.g. Heat, Acid, Alkali, msn2/4 acid, Peroxide, NaCl, Sorbitol).</summary>
    public IReadOnlyList<string> Courses => Samples.Select(s => s.Course).Distinct().ToArray();

    /// <summary>The treatments: the non-reference samples in file order (the columns of <see cref="Targets"/>).</summary>
    public IReadOnlyList<TimeCourseSample> Treatments => Samples.Where(s => !s.IsReference).ToArray();

    /// <summary>Raw intensities of the kept genes, genes × all samples; missing cells masked.</summary>
    public ExpressionTable Raw { get; }

    /// <summary>
    /// The targets, kept genes × treatments: <c>log2(max(x_t, floor) / max(mean of the course's 0' samples, floor))</c>.
    /// Masked where <c>x_t</c> is missing or the course has no observed reference for the gene.
    /// </summary>
    public ExpressionTable Targets { get; }

    /// <summary>Gene id → common name (from a <c>Gene</c> column; empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> GeneNames { get; }

    /// <summary>Number of gene rows in the file.</summary>
    public int GenesInFile { get; }

    /// <summary>Genes dropped because every observed value was ≤ <see cref="TimeCourseOptions.MinimumExpression"/>.</summary>
    public IReadOnlyList<string> DroppedGenes { get; }
}
