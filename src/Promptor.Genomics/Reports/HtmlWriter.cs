using System.Text;
using System.Text.RegularExpressions;
using Promptor.Genomics.Reports.Svg;

namespace Promptor.Genomics.Reports;

/// <summary>
/// A small HTML5 builder: elements with escaped text and attribute values, and SVG drawings inlined
/// with their ids made unique in the page. Every text and attribute value passes through
/// <see cref="Escape"/>, so data cannot inject markup; a call that throws leaves the document unchanged.
/// </summary>
public sealed partial class HtmlWriter
{
    private static readonly HashSet<string> s_voidElements = new(StringComparer.Ordinal) { "meta", "br", "hr", "col", "wbr" };

    // Inline elements get no line break after them: inside <pre> it would be content.
    private static readonly HashSet<string> s_inlineElements = new(StringComparer.Ordinal) { "a", "span", "mark", "code", "b", "em", "strong", "abbr", "sub", "sup" };

    private readonly StringBuilder html = new();
    private readonly Stack<string> open = new();
    private int svgCount;

    /// <summary>Opens <paramref name="tag"/> with attributes (a null value leaves the attribute out); close it with <see cref="Close"/>.</summary>
    public HtmlWriter Open(string tag, params (string Name, string? Value)[] attributes)
    {
        StartTag(tag, attributes);
        if (!s_voidElements.Contains(tag))
        {
            open.Push(tag);
        }
        return this;
    }

    /// <summary>Closes the innermost open element, which must be <paramref name="tag"/>.</summary>
    /// <exception cref="InvalidOperationException">Another element is open, or none.</exception>
    public HtmlWriter Close(string tag)
    {
        if (open.Count == 0 || open.Peek() != tag)
        {
            throw new InvalidOperationException($"Closing <{tag}> but <{(open.Count == 0 ? "nothing" : open.Peek())}> is open.");
        }
        open.Pop();
        html.Append("</").Append(tag).Append('>');
        if (!s_inlineElements.Contains(tag))
        {
            html.Append('\n');
        }
        return this;
    }

    /// <summary>Writes <c>&lt;tag …&gt;text&lt;/tag&gt;</c> with <paramref name="text"/> escaped.</summary>
    public HtmlWriter Element(string tag, string text, params (string Name, string? Value)[] attributes)
    {
        ArgumentNullException.ThrowIfNull(text);
        StartTag(tag, attributes, newline: false);
        html.Append(Escape(text)).Append("</").Append(tag).Append('>');
        if (!s_inlineElements.Contains(tag))
        {
            html.Append('\n');
        }
        return this;
    }

    /// <summary>Writes escaped text.</summary>
    public HtmlWriter Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        html.Append(Escape(text));
        return this;
    }

    /// <summary>
    /// Inlines <paramref name="svg"/> as an <c>&lt;svg&gt;</c> element (no XML declaration), with the CSS
    /// class <paramref name="cssClass"/> and <c>role="img"</c>. Its ids and <c>url(#…)</c> references are
    /// prefixed with a counter so several drawings can share a page.
    /// </summary>
    public HtmlWriter Svg(SvgDocument svg, string cssClass)
    {
        ArgumentNullException.ThrowIfNull(svg);
        ArgumentException.ThrowIfNullOrEmpty(cssClass);
        string text = svg.ToString();
        int start = text.IndexOf("<svg", StringComparison.Ordinal);
        text = text[start..];
        string prefix = "svg" + (++svgCount).ToString(System.Globalization.CultureInfo.InvariantCulture) + "-";
        text = IdAttribute().Replace(text, m => $" id=\"{prefix}{m.Groups[1].Value}\"");
        text = UrlReference().Replace(text, m => $"url(#{prefix}{m.Groups[1].Value})");
        text = text.Replace("<svg ", $"<svg class=\"{Escape(cssClass)}\" role=\"img\" ", StringComparison.Ordinal);
        html.Append(text);
        return this;
    }

    /// <summary>The document so far.</summary>
    /// <exception cref="InvalidOperationException">An element is still open.</exception>
    public override string ToString()
    {
        if (open.Count != 0)
        {
            throw new InvalidOperationException($"<{open.Peek()}> is still open.");
        }
        return html.ToString();
    }

    /// <summary>Appends markup verbatim (the doctype); internal so callers cannot bypass escaping.</summary>
    internal HtmlWriter Raw(string markup)
    {
        html.Append(markup);
        return this;
    }

    /// <summary>
    /// Escapes <c>&amp; &lt; &gt; " '</c> for HTML text and attribute values, and drops control characters
    /// (other than tab and newline) and non-characters, which HTML does not allow.
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
                case '\'': sb.Append("&#39;"); break;
                case '\r': break;
                default:
                    if ((c >= 0x20 && c is not ('\u007F' or '\uFFFE' or '\uFFFF') && !(c >= '\u0080' && c <= '\u009F')) || c is '\t' or '\n')
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        return sb.ToString();
    }

    private void StartTag(string tag, (string Name, string? Value)[] attributes, bool newline = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        ArgumentNullException.ThrowIfNull(attributes);
        if (!tag.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"'{tag}' is not an HTML tag name.", nameof(tag));
        }
        foreach (var (name, _) in attributes)
        {
            if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                throw new ArgumentException($"'{name}' is not an HTML attribute name.", nameof(attributes));
            }
        }
        html.Append('<').Append(tag);
        foreach (var (name, value) in attributes)
        {
            if (value is not null)
            {
                html.Append(' ').Append(name).Append("=\"").Append(Escape(value)).Append('"');
            }
        }
        html.Append('>');
        if (newline && !s_voidElements.Contains(tag) && !s_inlineElements.Contains(tag) && tag is not ("td" or "th" or "pre" or "li" or "dt" or "dd" or "p" or "figcaption" or "caption"))
        {
            html.Append('\n');
        }
    }

    [GeneratedRegex(@" id=""([A-Za-z_][A-Za-z0-9_.\-]*)""")]
    private static partial Regex IdAttribute();

    [GeneratedRegex(@"url\(#([A-Za-z_][A-Za-z0-9_.\-]*)\)")]
    private static partial Regex UrlReference();
}
