namespace Promptor.Genomics.Reports;

/// <summary>
/// The files of a run folder that <see cref="HtmlReport"/> reads, relative to the folder. Each section
/// of the report is shown only when its file exists, and says so when it does not.
/// </summary>
public static class ReportFiles
{
    /// <summary><c>run.json</c>: options, seed, data digests, versions, gene counts (see <see cref="Training.RunManifest"/>).</summary>
    public const string RunManifest = "run.json";

    /// <summary><c>summary.md</c>: the demo's Markdown summary; its bullet lines are shown with the data summary.</summary>
    public const string Summary = "summary.md";

    /// <summary><c>metrics.tsv</c>: one line per epoch (<see cref="Training.MetricsFile"/>), drawn as training curves.</summary>
    public const string Metrics = "metrics.tsv";

    /// <summary><c>test_metrics.tsv</c>: per-treatment test metrics (<see cref="Training.TreatmentMetrics.ToTsv"/>), with a final <c>mean</c> line.</summary>
    public const string TestMetrics = "test_metrics.tsv";

    /// <summary>
    /// <c>ladder.tsv</c>: the conditioning-ladder comparison, one line per rung. Columns: <c>rung</c> (required,
    /// text), <c>mean_pearson</c> (required), and optionally <c>params</c>, <c>mean_spearman</c>,
    /// <c>train_seconds</c> (numbers or <c>NA</c>) and any other columns (per-treatment Pearson r, notes),
    /// shown as written.
    /// </summary>
    public const string Ladder = "ladder.tsv";

    /// <summary><c>attention/meta_profile.tsv</c>: columns <c>treatment, position, mean_attention</c> (head-averaged, bp resolution, averaged over genes).</summary>
    public const string MetaProfile = "attention/meta_profile.tsv";

    /// <summary><c>attention/example_genes.tsv</c>: columns <c>gene, treatment, p0 … p{L−1}</c>, the attention of each gene under each treatment.</summary>
    public const string ExampleGenes = "attention/example_genes.tsv";

    /// <summary><c>attention/example_genes.fa</c>: the sequences of the example genes (length L each).</summary>
    public const string ExampleSequences = "attention/example_genes.fa";

    /// <summary>
    /// <c>motifs/top_motifs.tsv</c>: columns <c>treatment, rank, motif_id, consensus, seqlets, best_match_id,
    /// best_match_name, p, q</c>; an unmatched motif has empty or <c>NA</c> match fields.
    /// </summary>
    public const string TopMotifs = "motifs/top_motifs.tsv";

    /// <summary><c>motifs/motifs.meme</c>: the discovered motifs (MEME format), drawn as sequence logos.</summary>
    public const string Motifs = "motifs/motifs.meme";

    /// <summary>The report's default file name in the run folder, <c>report.html</c>.</summary>
    public const string DefaultReport = "report.html";

    /// <summary>Every input file, in the order the report uses them.</summary>
    public static IReadOnlyList<string> All { get; } =
        [RunManifest, Summary, Metrics, TestMetrics, Ladder, MetaProfile, ExampleGenes, ExampleSequences, TopMotifs, Motifs];
}
