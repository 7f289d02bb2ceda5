namespace Promptor.Genomics.Reports.Svg;

/// <summary>Horizontal alignment of text relative to its anchor point (SVG <c>text-anchor</c>).</summary>
public enum SvgTextAnchor
{
    /// <summary>The text starts at the point.</summary>
    Start,

    /// <summary>The text is centred on the point.</summary>
    Middle,

    /// <summary>The text ends at the point.</summary>
    End,
}
