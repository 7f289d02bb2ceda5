using System.Globalization;
using System.Text;
using Promptor.Nn.Serialization;

namespace Promptor.Genomics.Reports.Svg;

/// <summary>
/// A small builder for standalone SVG 1.1 files: rectangles, lines, polylines, circles, text,
/// groups and linear gradients, in drawing order. Coordinates are pixels with the origin at the
/// top left and y pointing down. Text and attribute values are XML-escaped, numbers are written
/// with the invariant culture and at most two decimals, and non-finite coordinates are rejected,
/// so the output is always well-formed; a call that throws leaves the document unchanged. Higher-level plots (<see cref="LinePlot"/>,
/// <see cref="Heatmap"/>) draw onto it.
/// </summary>
public sealed class SvgDocument
{
    private readonly StringBuilder body = new();
    private readonly StringBuilder defs = new();
    private readonly HashSet<string> ids = new(StringComparer.Ordinal);
    private int openGroups;

    /// <summary>Creates an empty drawing of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    /// <param name="width">Width in pixels (&gt; 0).</param>
    /// <param name="height">Height in pixels (&gt; 0).</param>
    /// <param name="title">Optional document title (the SVG <c>&lt;title&gt;</c>, shown as a tooltip and read by screen readers).</param>
    public SvgDocument(double width, double height, string? title = null)
    {
        if (!(width > 0) || !(height > 0) || !double.IsFinite(width) || !double.IsFinite(height))
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"SVG size must be positive and finite, got {width} × {height}.");
        }
        Width = width;
        Height = height;
        Title = title;
    }

    /// <summary>Width in pixels.</summary>
    public double Width { get; }

    /// <summary>Height in pixels.</summary>
    public double Height { get; }

    /// <summary>The document title, or null.</summary>
    public string? Title { get; }

    /// <summary>Draws a rectangle with its top-left corner at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public SvgDocument Rect(double x, double y, double width, double height, SvgStyle style)
    {
        Check(x, y, width, height);
        CheckStyle(style);
        if (width < 0 || height < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Rectangle size must be non-negative, got {width} × {height}.");
        }
        body.Append("<rect x=\"").Append(N(x)).Append("\" y=\"").Append(N(y))
            .Append("\" width=\"").Append(N(width)).Append("\" height=\"").Append(N(height)).Append('"');
        AppendStyle(style);
        body.Append("/>\n");
        return this;
    }

    /// <summary>Draws a straight line from (<paramref name="x1"/>, <paramref name="y1"/>) to (<paramref name="x2"/>, <paramref name="y2"/>).</summary>
    public SvgDocument Line(double x1, double y1, double x2, double y2, SvgStyle style)
    {
        Check(x1, y1, x2, y2);
        CheckStyle(style);
        body.Append("<line x1=\"").Append(N(x1)).Append("\" y1=\"").Append(N(y1))
            .Append("\" x2=\"").Append(N(x2)).Append("\" y2=\"").Append(N(y2)).Append('"');
        AppendStyle(style);
        body.Append("/>\n");
        return this;
    }

    /// <summary>Draws an open polyline through <paramref name="points"/> (at least one point).</summary>
    public SvgDocument Polyline(IEnumerable<(double X, double Y)> points, SvgStyle style)
    {
        ArgumentNullException.ThrowIfNull(points);
        CheckStyle(style);
        var text = new StringBuilder();
        foreach (var (x, y) in points)
        {
            Check(x, y);
            if (text.Length > 0)
            {
                text.Append(' ');
            }
            text.Append(N(x)).Append(',').Append(N(y));
        }
        if (text.Length == 0)
        {
            throw new ArgumentException("A polyline needs at least one point.", nameof(points));
        }
        body.Append("<polyline points=\"").Append(text).Append('"');
        AppendStyle(style);
        body.Append("/>\n");
        return this;
    }

    /// <summary>Draws a circle of radius <paramref name="radius"/> (≥ 0) centred on (<paramref name="cx"/>, <paramref name="cy"/>).</summary>
    public SvgDocument Circle(double cx, double cy, double radius, SvgStyle style)
    {
        Check(cx, cy, radius);
        CheckStyle(style);
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        body.Append("<circle cx=\"").Append(N(cx)).Append("\" cy=\"").Append(N(cy)).Append("\" r=\"").Append(N(radius)).Append('"');
        AppendStyle(style);
        body.Append("/>\n");
        return this;
    }

    /// <summary>Writes <paramref name="text"/> (escaped) at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public SvgDocument Text(double x, double y, string text, SvgTextStyle? style = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        Check(x, y);
        style ??= new SvgTextStyle();
        Check(style.FontSize, style.Rotation);
        ArgumentNullException.ThrowIfNull(style.Fill, nameof(style));
        body.Append("<text x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" font-size=\"").Append(N(style.FontSize)).Append('"');
        if (style.Anchor != SvgTextAnchor.Start)
        {
            body.Append(" text-anchor=\"").Append(style.Anchor == SvgTextAnchor.Middle ? "middle" : "end").Append('"');
        }
        if (style.MiddleBaseline)
        {
            body.Append(" dominant-baseline=\"middle\"");
        }
        body.Append(" fill=\"").Append(Escape(style.Fill)).Append('"');
        if (style.Bold)
        {
            body.Append(" font-weight=\"bold\"");
        }
        if (style.Rotation != 0)
        {
            body.Append(" transform=\"rotate(").Append(N(style.Rotation)).Append(' ').Append(N(x)).Append(' ').Append(N(y)).Append(")\"");
        }
        AppendClass(style.CssClass);
        body.Append('>').Append(Escape(text)).Append("</text>\n");
        return this;
    }

    /// <summary>
    /// Defines a linear gradient that shapes can use as <c>Fill = "url(#id)"</c>. Offsets are in [0, 1]
    /// and ascending; a vertical gradient runs from the top (offset 0) to the bottom (offset 1).
    /// </summary>
    /// <exception cref="ArgumentException">The id is empty, not a valid XML name or already used, or fewer than two stops are given.</exception>
    public SvgDocument LinearGradient(string id, IReadOnlyList<(double Offset, string Color)> stops, bool vertical = false)
    {
        ArgumentNullException.ThrowIfNull(stops);
        if (stops.Count < 2)
        {
            throw new ArgumentException("A gradient needs at least two stops.", nameof(stops));
        }
        double previous = 0;
        foreach (var (offset, color) in stops)
        {
            ArgumentNullException.ThrowIfNull(color, nameof(stops));
            if (!(offset >= previous && offset <= 1))
            {
                throw new ArgumentException("Gradient offsets must ascend within [0, 1].", nameof(stops));
            }
            previous = offset;
        }
        ClaimId(id);
        defs.Append("<linearGradient id=\"").Append(id).Append("\" x1=\"0\" y1=\"0\" x2=\"")
            .Append(vertical ? "0" : "1").Append("\" y2=\"").Append(vertical ? "1" : "0").Append("\">\n");
        foreach (var (offset, color) in stops)
        {
            defs.Append("<stop offset=\"").Append(N(offset)).Append("\" stop-color=\"").Append(Escape(color)).Append("\"/>\n");
        }
        defs.Append("</linearGradient>\n");
        return this;
    }

    /// <summary>Opens a group (<c>&lt;g&gt;</c>); close it with <see cref="EndGroup"/>.</summary>
    /// <param name="cssClass">Optional CSS class.</param>
    /// <param name="id">Optional unique id (a valid XML name).</param>
    /// <param name="attributes">Optional extra presentation attributes (names must be XML names; values are escaped), e.g. <c>("shape-rendering", "crispEdges")</c>.</param>
    public SvgDocument BeginGroup(string? cssClass = null, string? id = null, params (string Name, string Value)[] attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        foreach (var (name, value) in attributes)
        {
            if (name is null || !IsName(name) || value is null)
            {
                throw new ArgumentException($"'{name}' is not a valid attribute name, or its value is null.", nameof(attributes));
            }
        }
        if (id is not null)
        {
            ClaimId(id);
        }
        body.Append("<g");
        if (id is not null)
        {
            body.Append(" id=\"").Append(id).Append('"');
        }
        AppendClass(cssClass);
        foreach (var (name, value) in attributes)
        {
            body.Append(' ').Append(name).Append("=\"").Append(Escape(value)).Append('"');
        }
        body.Append(">\n");
        openGroups++;
        return this;
    }

    /// <summary>Closes the innermost open group.</summary>
    /// <exception cref="InvalidOperationException">No group is open.</exception>
    public SvgDocument EndGroup()
    {
        if (openGroups == 0)
        {
            throw new InvalidOperationException("EndGroup without a matching BeginGroup.");
        }
        openGroups--;
        body.Append("</g>\n");
        return this;
    }

    /// <summary>The complete SVG file as text.</summary>
    /// <exception cref="InvalidOperationException">A group is still open.</exception>
    public override string ToString()
    {
        if (openGroups != 0)
        {
            throw new InvalidOperationException($"{openGroups} group(s) still open; call EndGroup first.");
        }
        var sb = new StringBuilder(body.Length + defs.Length + 256);
        sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .Append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").Append(N(Width))
            .Append("\" height=\"").Append(N(Height)).Append("\" viewBox=\"0 0 ").Append(N(Width)).Append(' ').Append(N(Height))
            .Append("\" font-family=\"Helvetica, Arial, sans-serif\">\n");
        if (Title is not null)
        {
            sb.Append("<title>").Append(Escape(Title)).Append("</title>\n");
        }
        if (defs.Length > 0)
        {
            sb.Append("<defs>\n").Append(defs).Append("</defs>\n");
        }
        sb.Append(body).Append("</svg>\n");
        return sb.ToString();
    }

    /// <summary>Writes the file to <paramref name="path"/> as UTF-8, atomically (<see cref="AtomicFile"/>).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToString());

    /// <summary>
    /// Escapes <c>&amp; &lt; &gt; " '</c> for XML text and attribute values, and drops characters XML 1.0
    /// cannot hold (control characters other than tab, newline and carriage return).
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&apos;"); break;
                default:
                    if (c >= 0x20 || c is '\t' or '\n' or '\r')
                    {
                        if (c is not ('\uFFFE' or '\uFFFF'))
                        {
                            sb.Append(c);
                        }
                    }
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>A number as SVG text: invariant culture, at most two decimals, no negative zero.</summary>
    internal static string N(double value)
    {
        double rounded = Math.Round(value, 2);
        return (rounded == 0 ? 0 : rounded).ToString("0.##", CultureInfo.InvariantCulture);
    }

    private void AppendStyle(SvgStyle style)
    {
        body.Append(" fill=\"").Append(Escape(style.Fill)).Append('"');
        if (style.Stroke is not null)
        {
            body.Append(" stroke=\"").Append(Escape(style.Stroke)).Append("\" stroke-width=\"").Append(N(style.StrokeWidth)).Append('"');
        }
        if (style.Dash is not null)
        {
            body.Append(" stroke-dasharray=\"").Append(Escape(style.Dash)).Append('"');
        }
        if (style.Opacity < 1)
        {
            body.Append(" opacity=\"").Append(N(Math.Max(0, style.Opacity))).Append('"');
        }
        AppendClass(style.CssClass);
    }

    private static void CheckStyle(SvgStyle style)
    {
        ArgumentNullException.ThrowIfNull(style);
        Check(style.StrokeWidth, style.Opacity);
        ArgumentNullException.ThrowIfNull(style.Fill, nameof(style));
    }

    private void AppendClass(string? cssClass)
    {
        if (cssClass is not null)
        {
            body.Append(" class=\"").Append(Escape(cssClass)).Append('"');
        }
    }

    private void ClaimId(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (!IsName(id))
        {
            throw new ArgumentException($"'{id}' is not a valid XML id.", nameof(id));
        }
        if (!ids.Add(id))
        {
            throw new ArgumentException($"The id '{id}' is already used in this document.", nameof(id));
        }
    }

    /// <summary>A conservative XML name: an ASCII letter or '_' followed by letters, digits, '-', '_' or '.'.</summary>
    private static bool IsName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static void Check(params ReadOnlySpan<double> values)
    {
        foreach (double v in values)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException($"SVG coordinates and sizes must be finite, got {v}.");
            }
        }
    }
}
