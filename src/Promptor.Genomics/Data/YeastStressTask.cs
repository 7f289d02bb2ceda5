using Promptor.Genomics.IO;

namespace Promptor.Genomics.Data;

/// <summary>
/// The default real task of DESIGN.md, built from the files bundled in the project's <c>data/</c>
/// folder: Causton et al. 2001 stress time courses joined with 1 kb promoters (upstream of the
/// start codon) by systematic ORF name. Treatments: the 34 non-reference samples. Target:
/// <c>log2(max(x_t, 20) / max(mean of the course's 0' samples, 20))</c>, genes whose 45 values are
/// all ≤ 50 dropped, missing values masked. Split by chromosome: test = IV (<c>YD…</c>), validation =
/// XV (<c>YO…</c>), train = the rest.
/// </summary>
public sealed class YeastStressTask
{
    /// <summary>The expression file, relative to the data directory.</summary>
    public const string ExpressionFile = "yeast-causton2001-stress/causton-raw.txt.gz";

    /// <summary>The promoter FASTA, relative to the data directory.</summary>
    public const string PromoterFile = "yeast-promoters-r64/yeast_promoters_1000bp_upstream_ATG.fa.gz";

    private YeastStressTask(PromoterDataset dataset, SplitAssignment split, JoinReport join, TimeCourseData timeCourse, IReadOnlyList<FastaRecord> promoters)
    {
        Dataset = dataset;
        Split = split;
        Join = join;
        TimeCourse = timeCourse;
        Promoters = promoters;
    }

    /// <summary>All joined genes: sequences <c>(N, 1000, 4)</c>, targets and mask <c>(N, 34)</c>.</summary>
    public PromoterDataset Dataset { get; }

    /// <summary>The chromosome split of <see cref="Dataset"/>'s rows.</summary>
    public SplitAssignment Split { get; }

    /// <summary>How the expression genes (after the low-expression filter) matched the promoters.</summary>
    public JoinReport Join { get; }

    /// <summary>The imported time courses (samples, raw values, targets before the join).</summary>
    public TimeCourseData TimeCourse { get; }

    /// <summary>The promoter record of each dataset row (same order; ids are systematic ORF names).</summary>
    public IReadOnlyList<FastaRecord> Promoters { get; }

    /// <summary>The 34 treatment names, e.g. <c>Heat 15'</c>, <c>Peroxide 20'</c>, <c>msn2/4 acid 20'</c>.</summary>
    public IReadOnlyList<string> Treatments => Dataset.Treatments;

    /// <summary>Builds the task from <paramref name="dataDirectory"/> (the project's <c>data/</c> folder).</summary>
    /// <exception cref="FileNotFoundException">A bundled file is missing.</exception>
    /// <exception cref="DataFormatException">A bundled file is malformed.</exception>
    public static YeastStressTask Load(string dataDirectory, YeastStressTaskOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        options ??= new YeastStressTaskOptions();
        string expressionPath = Path.Combine(dataDirectory, ExpressionFile);
        string promoterPath = Path.Combine(dataDirectory, PromoterFile);
        foreach (var path in new[] { expressionPath, promoterPath })
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Bundled data file not found: {path}", path);
            }
        }
        var timeCourse = TimeCourseImporter.Import(expressionPath, options.TimeCourse);
        var promoters = FastaReader.Read(promoterPath);
        var joined = SequenceJoin.Join(timeCourse.Targets, promoters);
        var dataset = PromoterDataset.Create(joined.Sequences.Select(s => s.Sequence).ToArray(), joined.Table, options.Length);
        var split = Splits.ByChromosome(dataset.GeneIds, options.Split);
        return new YeastStressTask(dataset, split, joined.Report, timeCourse, joined.Sequences);
    }

    /// <summary>
    /// Finds the project's data directory: the first <c>data</c> folder holding the bundled expression
    /// file, searching <paramref name="startDirectory"/> (default: the current directory, then the
    /// application's base directory) and its parents. Null when there is none.
    /// </summary>
    public static string? FindDataDirectory(string? startDirectory = null)
    {
        var starts = startDirectory is not null
            ? new[] { startDirectory }
            : new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory };
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "data");
                if (File.Exists(Path.Combine(candidate, ExpressionFile)))
                {
                    return candidate;
                }
            }
        }
        return null;
    }
}
