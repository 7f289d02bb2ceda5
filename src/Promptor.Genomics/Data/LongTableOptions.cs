namespace Promptor.Genomics.Data;

/// <summary>Options for reading a long expression table (one row per gene, condition and value).</summary>
public sealed record LongTableOptions
{
    /// <summary>The field delimiter; default null: detected as for <see cref="WideTableOptions.Delimiter"/>.</summary>
    public char? Delimiter { get; init; }

    /// <summary>Header name of the gene-id column (case-insensitive); default <c>gene</c>.</summary>
    public string GeneColumn { get; init; } = "gene";

    /// <summary>Header name of the condition column (case-insensitive); default <c>condition</c>.</summary>
    public string ConditionColumn { get; init; } = "condition";

    /// <summary>Header name of the value column (case-insensitive); default <c>value</c>.</summary>
    public string ValueColumn { get; init; } = "value";
}
