namespace Promptor.Cli.Options;

/// <summary>The layout of an expression table.</summary>
public enum TableFormat
{
    /// <summary>One row per gene, one column per treatment.</summary>
    Wide,

    /// <summary>One row per measurement: gene, treatment (condition) and value columns.</summary>
    Long,
}
