namespace Promptor.Genomics.Reports.Svg;

/// <summary>
/// Appearance of text in an <see cref="SvgDocument"/>. Defaults: 12 px, anchored at the start,
/// colour <c>#222</c>, not bold, baseline on the point, no rotation, no class.
/// </summary>
public sealed record SvgTextStyle
{
    /// <summary>Font size in pixels (default 12).</summary>
    public double FontSize { get; init; } = 12;

    /// <summary>Horizontal alignment (default <see cref="SvgTextAnchor.Start"/>).</summary>
    public SvgTextAnchor Anchor { get; init; } = SvgTextAnchor.Start;

    /// <summary>Text colour (default <c>#222</c>).</summary>
    public string Fill { get; init; } = "#222";

    /// <summary>Bold weight (default false).</summary>
    public bool Bold { get; init; }

    /// <summary>Centre the text vertically on the point instead of sitting on it (default false).</summary>
    public bool MiddleBaseline { get; init; }

    /// <summary>Rotation in degrees about the anchor point, clockwise (default 0; −90 for a y-axis label).</summary>
    public double Rotation { get; init; }

    /// <summary>CSS class of the element, or null (default).</summary>
    public string? CssClass { get; init; }
}
