namespace Promptor.Genomics.Reports;

/// <summary>A table read from a TSV file: its header and its rows of cells as written (trimmed), all rows as wide as the header.</summary>
/// <param name="Header">Column names.</param>
/// <param name="Rows">Rows of cells.</param>
/// <param name="Footer">A summary row (e.g. the <c>mean</c> line of <c>test_metrics.tsv</c>), or null.</param>
public sealed record ReportTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlyList<string>? Footer = null);
