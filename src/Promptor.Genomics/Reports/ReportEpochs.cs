namespace Promptor.Genomics.Reports;

/// <summary>The per-epoch metrics of a run (<c>metrics.tsv</c>) as numeric columns by name; NaN where a value is <c>NA</c>.</summary>
/// <param name="Columns">Column names in file order (the first is <c>epoch</c>).</param>
/// <param name="Values">One array per column, one value per epoch.</param>
public sealed record ReportEpochs(IReadOnlyList<string> Columns, IReadOnlyDictionary<string, double[]> Values)
{
    /// <summary>Number of epochs (rows).</summary>
    public int Count => Values.Count == 0 ? 0 : Values.First().Value.Length;
}
