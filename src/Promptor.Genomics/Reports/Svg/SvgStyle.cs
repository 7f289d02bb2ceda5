namespace Promptor.Genomics.Reports.Svg;

/// <summary>
/// Paint of a shape in an <see cref="SvgDocument"/>. Colours are CSS colour strings
/// (<c>"#0072b2"</c>, <c>"none"</c>, <c>"url(#gradient)"</c>). Defaults: no fill, no stroke,
/// stroke width 1, opaque, no dashes, no class.
/// </summary>
public sealed record SvgStyle
{
    /// <summary>Fill colour; default <c>"none"</c>.</summary>
    public string Fill { get; init; } = "none";

    /// <summary>Stroke colour, or null for no stroke (default).</summary>
    public string? Stroke { get; init; }

    /// <summary>Stroke width in pixels (default 1).</summary>
    public double StrokeWidth { get; init; } = 1;

    /// <summary>SVG <c>stroke-dasharray</c> such as <c>"6 3"</c>, or null for a solid line (default).</summary>
    public string? Dash { get; init; }

    /// <summary>Opacity in [0, 1] (default 1).</summary>
    public double Opacity { get; init; } = 1;

    /// <summary>CSS class of the element, or null (default).</summary>
    public string? CssClass { get; init; }

    /// <summary>A stroked line of <paramref name="color"/> and <paramref name="width"/>, no fill.</summary>
    public static SvgStyle Stroked(string color, double width = 1) => new() { Stroke = color, StrokeWidth = width };

    /// <summary>A shape filled with <paramref name="color"/>, no stroke.</summary>
    public static SvgStyle Filled(string color) => new() { Fill = color };
}
