using Promptor.Genomics.Reports.Svg;

namespace Promptor.Tests.Genomics.Reports.Svg;

public class PlotTests
{
    private static readonly System.Xml.Linq.XNamespace Ns = SvgTestUtil.Ns;

    [Fact]
    public void LinePlotDrawsOnePolylinePerLineAndACirclePerPoint()
    {
        double[] x = [0, 1, 2, 3];
        var plot = new LinePlot { Title = "T & t", XLabel = "x", YLabel = "y" }
            .AddLine("a", x, [0, 1, 4, 9])
            .AddPoints("b", x, [1, 2, 3, 4])
            .AddLine("c", x, [-1, -2, -3, -4], dashed: true);
        var root = SvgTestUtil.Parse(plot.Render());
        var lines = SvgTestUtil.WithClass(root, "polyline", "line").ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal(4, lines[0].Attribute("points")!.Value.Split(' ').Length);
        Assert.Equal("6 4", (string?)lines[1].Attribute("stroke-dasharray"));
        Assert.Equal(4, SvgTestUtil.WithClass(root, "g", "points").Single().Elements(Ns + "circle").Count());
        var legend = SvgTestUtil.WithClass(root, "g", "legend").Single();
        Assert.Equal(["a", "b", "c"], legend.Elements(Ns + "text").Select(t => t.Value));
        Assert.Contains(root.Descendants(Ns + "text"), t => t.Value == "T & t");
        // Distinct palette colours per series.
        Assert.NotEqual(lines[0].Attribute("stroke")!.Value, lines[1].Attribute("stroke")!.Value);
    }

    [Fact]
    public void LinePlotAxesSpanTheDataWithNiceTicks()
    {
        var root = SvgTestUtil.Parse(new LinePlot().AddLine("a", [0.3, 4.7], [-1.2, 3.1]).Render());
        var x = SvgTestUtil.WithClass(root, "g", "x-axis").Single().Elements(Ns + "text").Select(t => t.Value).ToList();
        var y = SvgTestUtil.WithClass(root, "g", "y-axis").Single().Elements(Ns + "text").Select(t => t.Value).ToList();
        Assert.Equal(["0", "1", "2", "3", "4", "5"], x);
        Assert.Equal(["-2", "-1", "0", "1", "2", "3", "4"], y);
    }

    [Fact]
    public void LinePlotRejectsBadSeries()
    {
        var plot = new LinePlot();
        Assert.Throws<ArgumentException>(() => plot.AddLine("a", [0, 1], [0]));
        Assert.Throws<ArgumentException>(() => plot.AddLine("a", [], []));
        Assert.Throws<ArgumentException>(() => plot.AddPoints("a", [0], [double.NaN]));
        Assert.Throws<InvalidOperationException>(() => plot.Render());
    }

    [Fact]
    public void HeatmapDrawsOneCellPerValueWithMappedColoursAndAColourBar()
    {
        var values = new double[,] { { 0, 1, 2 }, { 3, 4, 5 } };
        var root = SvgTestUtil.Parse(new Heatmap(values) { Title = "w", ColorBarLabel = "weight" }.Render());
        var cells = SvgTestUtil.WithClass(root, "g", "cells").Single().Elements(Ns + "rect").ToList();
        Assert.Equal(6, cells.Count);
        Assert.Equal(ColorMap.Viridis.Hex(0), cells[0].Attribute("fill")!.Value);
        Assert.Equal(ColorMap.Viridis.Hex(1), cells[5].Attribute("fill")!.Value);
        Assert.Equal(ColorMap.Viridis.Hex(0.4), cells[2].Attribute("fill")!.Value);
        // Row 1 lies below row 0; column 1 right of column 0.
        Assert.True(double.Parse(cells[3].Attribute("y")!.Value, System.Globalization.CultureInfo.InvariantCulture)
            > double.Parse(cells[0].Attribute("y")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(double.Parse(cells[1].Attribute("x")!.Value, System.Globalization.CultureInfo.InvariantCulture)
            > double.Parse(cells[0].Attribute("x")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        var bar = SvgTestUtil.WithClass(root, "g", "colorbar").Single().Elements(Ns + "rect").Single();
        Assert.Equal("url(#colorbar-gradient)", bar.Attribute("fill")!.Value);
        Assert.Contains(root.Descendants(Ns + "text"), t => t.Value == "weight");
        Assert.Equal(17, root.Descendants(Ns + "linearGradient").Single().Elements(Ns + "stop").Count());
    }

    [Fact]
    public void HeatmapRejectsEmptyOrNonFiniteValues()
    {
        Assert.Throws<ArgumentException>(() => new Heatmap(new double[0, 3]));
        Assert.Throws<ArgumentException>(() => new Heatmap(new double[,] { { 1, double.NaN } }));
        // A constant matrix still renders (mid colour).
        var root = SvgTestUtil.Parse(new Heatmap(new double[,] { { 2, 2 } }).Render());
        Assert.All(SvgTestUtil.WithClass(root, "g", "cells").Single().Elements(Ns + "rect"),
            r => Assert.Equal(ColorMap.Viridis.Hex(0.5), r.Attribute("fill")!.Value));
    }

    [Fact]
    public void ViridisMatchesMatplotlibAtItsEndsAndMiddle()
    {
        Assert.Equal("#440154", ColorMap.Viridis.Hex(0));
        Assert.Equal("#21918c", ColorMap.Viridis.Hex(128 / 255.0));
        Assert.Equal("#fde725", ColorMap.Viridis.Hex(1));
        Assert.Equal(ColorMap.Viridis.Hex(0), ColorMap.Viridis.Hex(-3));
        Assert.Equal(ColorMap.Viridis.Hex(1), ColorMap.Viridis.Hex(7));
        Assert.Equal(ColorMap.Viridis.Hex(0), ColorMap.Viridis.Hex(double.NaN));
        // Lightness rises monotonically (the map is ordered).
        double previous = -1;
        for (int i = 0; i <= 20; i++)
        {
            var (r, g, b) = ColorMap.Viridis.Rgb(i / 20.0);
            double luma = 0.2126 * r + 0.7152 * g + 0.0722 * b;
            Assert.True(luma > previous, $"luma at {i / 20.0} = {luma}");
            previous = luma;
        }
    }

    [Theory]
    [InlineData(0, 5, 6, new[] { 0.0, 1, 2, 3, 4, 5 }, "0")]
    [InlineData(0.3, 4.7, 6, new[] { 0.0, 1, 2, 3, 4, 5 }, "0")]
    [InlineData(0, 0.5, 6, new[] { 0.0, 0.1, 0.2, 0.3, 0.4, 0.5 }, "0.0")]
    [InlineData(0, 1, 5, new[] { 0.0, 0.25, 0.5, 0.75, 1 }, "0.00")]
    [InlineData(-3, 12, 4, new[] { -5.0, 0, 5, 10, 15 }, "-5")]
    [InlineData(2, 2, 6, new[] { 1.8, 1.9, 2, 2.1, 2.2 }, "1.8")]
    public void TicksAreNiceAndCoverTheRange(double min, double max, int target, double[] expected, string firstLabel)
    {
        var (values, step) = Ticks.Nice(min, max, target);
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(expected[i], values[i], 9);
        }
        Assert.Equal(firstLabel, Ticks.Format(values[0], step));
        Assert.Equal("0", Ticks.Format(-1e-12, 1));
        Assert.Throws<ArgumentException>(() => Ticks.Nice(1, 0));
    }
}
