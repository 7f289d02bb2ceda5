using System.Xml.Linq;
using Promptor.Genomics.Reports.Svg;
using Promptor.Tests.Nn;

namespace Promptor.Tests.Genomics.Reports.Svg;

public class SvgDocumentTests
{
    private static readonly XNamespace Ns = SvgTestUtil.Ns;

    [Fact]
    public void WritesEveryElementAsWellFormedSvg()
    {
        var svg = new SvgDocument(200, 100, "demo")
            .Rect(1, 2, 30, 40, SvgStyle.Filled("#ff0000"))
            .Line(0, 0, 10.256, 20, SvgStyle.Stroked("#000", 2) with { Dash = "4 2" })
            .Polyline([(0, 0), (5, 5), (10, 0)], SvgStyle.Stroked("blue") with { CssClass = "series line" })
            .Circle(50, 50, 3, new SvgStyle { Fill = "green", Opacity = 0.5 })
            .BeginGroup("labels", "g1", ("shape-rendering", "crispEdges"))
            .Text(10, 20, "hello", new SvgTextStyle { Anchor = SvgTextAnchor.Middle, Rotation = -90, Bold = true })
            .EndGroup()
            .LinearGradient("grad", [(0, "#000"), (1, "#fff")], vertical: true);
        var root = SvgTestUtil.Parse(svg);
        Assert.Equal("200", (string?)root.Attribute("width"));
        Assert.Equal("0 0 200 100", (string?)root.Attribute("viewBox"));
        Assert.Equal("demo", root.Element(Ns + "title")!.Value);
        Assert.Single(root.Descendants(Ns + "rect"));
        var line = root.Descendants(Ns + "line").Single();
        Assert.Equal("10.26", (string?)line.Attribute("x2")); // two decimals
        Assert.Equal("4 2", (string?)line.Attribute("stroke-dasharray"));
        Assert.Equal("0,0 5,5 10,0", (string?)root.Descendants(Ns + "polyline").Single().Attribute("points"));
        Assert.Equal("0.5", (string?)root.Descendants(Ns + "circle").Single().Attribute("opacity"));
        var text = root.Descendants(Ns + "text").Single();
        Assert.Equal("hello", text.Value);
        Assert.Equal("middle", (string?)text.Attribute("text-anchor"));
        Assert.Equal("rotate(-90 10 20)", (string?)text.Attribute("transform"));
        Assert.Equal("crispEdges", (string?)root.Descendants(Ns + "g").Single().Attribute("shape-rendering"));
        Assert.Equal(2, root.Element(Ns + "defs")!.Descendants(Ns + "stop").Count());
    }

    [Fact]
    public void EscapesTextAndAttributes()
    {
        const string Nasty = "a < b & c > \"d\" 'e' \u0001</text><script>";
        var svg = new SvgDocument(10, 10, Nasty).Text(1, 1, Nasty, new SvgTextStyle { CssClass = "x\"y" });
        var root = SvgTestUtil.Parse(svg);
        string expected = Nasty.Replace("\u0001", "", StringComparison.Ordinal);
        Assert.Equal(expected, root.Descendants(Ns + "text").Single().Value);
        Assert.Equal(expected, root.Element(Ns + "title")!.Value);
        Assert.Empty(root.Descendants(Ns + "script"));
        Assert.Equal("a &lt; b &amp; c &gt; &quot;d&quot; &apos;e&apos;", SvgDocument.Escape("a < b & c > \"d\" 'e'"));
    }

    [Fact]
    public void NumbersHaveAtMostTwoDecimalsAndNoNegativeZero()
    {
        var root = SvgTestUtil.Parse(new SvgDocument(10.5, 10).Circle(1.256, -0.001, 2, SvgStyle.Filled("red")));
        Assert.Equal("10.5", (string?)root.Attribute("width"));
        var circle = root.Descendants(Ns + "circle").Single();
        Assert.Equal("1.26", (string?)circle.Attribute("cx"));
        Assert.Equal("0", (string?)circle.Attribute("cy"));
        Assert.Equal("2", (string?)circle.Attribute("r"));
    }

    [Fact]
    public void RejectsInvalidInput()
    {
        var svg = new SvgDocument(10, 10);
        Assert.Throws<ArgumentException>(() => svg.Line(0, double.NaN, 1, 1, SvgStyle.Stroked("#000")));
        Assert.Throws<ArgumentException>(() => svg.Polyline([], SvgStyle.Stroked("#000")));
        Assert.Throws<ArgumentException>(() => svg.Polyline([(0, double.PositiveInfinity)], SvgStyle.Stroked("#000")));
        Assert.Throws<ArgumentOutOfRangeException>(() => svg.Rect(0, 0, -1, 1, SvgStyle.Filled("#000")));
        Assert.Throws<ArgumentException>(() => svg.LinearGradient("bad id", [(0, "#000"), (1, "#fff")]));
        Assert.Throws<ArgumentException>(() => svg.LinearGradient("g", [(0, "#000")]));
        Assert.Throws<ArgumentException>(() => svg.LinearGradient("g", [(0.5, "#000"), (0.2, "#fff")]));
        Assert.Throws<ArgumentException>(() => svg.BeginGroup("c", "g2", ("bad name", "v")));
        svg.LinearGradient("g", [(0, "#000"), (1, "#fff")]); // the failed calls claimed nothing
        Assert.Throws<ArgumentException>(() => svg.LinearGradient("g", [(0, "#000"), (1, "#fff")]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SvgDocument(0, 10));
        Assert.Throws<InvalidOperationException>(() => new SvgDocument(10, 10).EndGroup());
        Assert.Throws<InvalidOperationException>(() => new SvgDocument(10, 10).BeginGroup().ToString());
        // Failed calls left the document well-formed, with one gradient and no group.
        var root = SvgTestUtil.Parse(svg.BeginGroup(id: "g2").EndGroup());
        Assert.Single(root.Descendants(Ns + "linearGradient"));
        Assert.Equal(3, root.Descendants(Ns + "stop").Count() + root.Descendants(Ns + "g").Count());
    }

    [Fact]
    public void SaveWritesTheFileAtomically()
    {
        string dir = NnTestUtil.NewTempDirectory();
        try
        {
            string path = Path.Combine(dir, "plot.svg");
            var svg = new SvgDocument(10, 10).Rect(0, 0, 10, 10, SvgStyle.Filled("#fff"));
            svg.Save(path);
            Assert.Equal(svg.ToString(), File.ReadAllText(path));
            Assert.Equal(["plot.svg"], Directory.GetFiles(dir).Select(Path.GetFileName));
        }
        finally
        {
            NnTestUtil.DeleteDirectory(dir);
        }
    }
}
