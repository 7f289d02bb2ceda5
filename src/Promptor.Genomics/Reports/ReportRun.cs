using Promptor.Genomics.Training;

namespace Promptor.Genomics.Reports;

/// <summary>
/// What a run folder holds for the report (see <see cref="ReportFiles"/>): each part is null when its
/// file is absent. <see cref="Load"/> reads and checks every file that exists.
/// </summary>
public sealed record ReportRun
{
    /// <summary>The run folder.</summary>
    public required string Directory { get; init; }

    /// <summary>The run manifest (<c>run.json</c>), or null.</summary>
    public RunManifest? Manifest { get; init; }

    /// <summary>The bullet lines of <c>summary.md</c> (without the leading "- "), or null.</summary>
    public IReadOnlyList<string>? SummaryLines { get; init; }

    /// <summary>The per-epoch metrics (<c>metrics.tsv</c>), or null.</summary>
    public ReportEpochs? Epochs { get; init; }

    /// <summary>The per-treatment test metrics (<c>test_metrics.tsv</c>) with the <c>mean</c> line as footer, or null.</summary>
    public ReportTable? TestMetrics { get; init; }

    /// <summary>The ladder comparison (<c>ladder.tsv</c>), or null.</summary>
    public ReportTable? Ladder { get; init; }

    /// <summary>The attention meta-profiles, one per treatment in file order, or null.</summary>
    public IReadOnlyList<ReportMetaProfile>? MetaProfiles { get; init; }

    /// <summary>The example genes' attention maps, in file order, or null.</summary>
    public IReadOnlyList<ReportExampleGene>? ExampleGenes { get; init; }

    /// <summary>The top motifs per treatment, in file order, or null.</summary>
    public IReadOnlyList<ReportTopMotif>? TopMotifs { get; init; }

    /// <summary>Background frequencies of A, C, G, T from <c>motifs.meme</c> (uniform when absent).</summary>
    public IReadOnlyList<float> MotifBackground { get; init; } = [0.25f, 0.25f, 0.25f, 0.25f];

    /// <summary>The input files found, relative to <see cref="Directory"/> (subset of <see cref="ReportFiles.All"/>).</summary>
    public IReadOnlyList<string> FilesFound { get; init; } = [];

    /// <summary>Reads every report input that exists in <paramref name="directory"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="IO.DataFormatException">A file is malformed (the message names file, line and field), or the folder holds none of the inputs.</exception>
    public static ReportRun Load(string directory) => ReportReader.Load(directory);
}
