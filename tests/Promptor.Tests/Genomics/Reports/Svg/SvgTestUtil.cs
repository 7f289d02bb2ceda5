using System.Xml.Linq;
using Promptor.Genomics.Reports.Svg;

namespace Promptor.Tests.Genomics.Reports.Svg;

internal static class SvgTestUtil
{
    public static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    /// <summary>Parses the document (throws on malformed XML) and returns its root.</summary>
    public static XElement Parse(SvgDocument svg) => Parse(svg.ToString());

    public static XElement Parse(string text)
    {
        var root = XDocument.Parse(text).Root!;
        Assert.Equal(Ns + "svg", root.Name);
        return root;
    }

    public static IEnumerable<XElement> WithClass(XElement root, string name, string cssClass) =>
        root.Descendants(Ns + name).Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(cssClass) == true);
}
