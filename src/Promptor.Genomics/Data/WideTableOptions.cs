namespace Promptor.Genomics.Data;

/// <summary>Options for reading a wide expression table (one row per gene, one column per condition).</summary>
public sealed record WideTableOptions
{
    /// <summary>The field delimiter; default null: from the extension (<c>.csv</c> → comma, <c>.tsv</c>/<c>.txt</c> → tab), else tab if the header has one, else comma.</summary>
    public char? Delimiter { get; init; }

    /// <summary>The header name of the gene-id column; default null: the first column.</summary>
    public string? GeneColumn { get; init; }

    /// <summary>Columns to skip besides the gene column (annotation such as a common-name column); default none.</summary>
    public IReadOnlyCollection<string> IgnoredColumns { get; init; } = [];
}
