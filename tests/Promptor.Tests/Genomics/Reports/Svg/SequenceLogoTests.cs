using System.Globalization;
using System.Xml.Linq;
using Promptor.Genomics.Motifs;
using Promptor.Genomics.Reports.Svg;

namespace Promptor.Tests.Genomics.Reports.Svg;

public class SequenceLogoTests
{
    private static readonly XNamespace Ns = SvgTestUtil.Ns;
    private static readonly double[] s_uniform = [0.25, 0.25, 0.25, 0.25];

    [Theory]
    [InlineData(0.25f, 0.25f, 0.25f, 0.25f, 0.0)]
    [InlineData(1f, 0f, 0f, 0f, 2.0)]
    [InlineData(0.5f, 0.5f, 0f, 0f, 1.0)]
    [InlineData(0.5f, 0.25f, 0.25f, 0f, 0.5)] // H = 1.5 bits
    public void InformationOfAColumnIsTwoBitsMinusItsEntropy(float a, float c, float g, float t, double expected)
    {
        Assert.Equal(expected, SequenceLogo.InformationContent([a, c, g, t], s_uniform), 12);
    }

    [Fact]
    public void AgainstASkewedBackgroundTheInformationIsTheRelativeEntropy()
    {
        double[] background = [0.4, 0.1, 0.1, 0.4];
        // A pure C column: log2(1 / 0.1); the background itself: 0.
        Assert.Equal(Math.Log2(10), SequenceLogo.InformationContent([0, 1, 0, 0], background), 12);
        Assert.Equal(0, SequenceLogo.InformationContent([0.4f, 0.1f, 0.1f, 0.4f], background), 6);
    }

    [Fact]
    public void LetterHeightsShareTheColumnInformationByProbability()
    {
        var motif = new Motif("m", [0.7f, 0.1f, 0.1f, 0.1f, 0.25f, 0.25f, 0.25f, 0.25f]);
        var heights = SequenceLogo.LetterHeights(motif);
        double ic = SequenceLogo.InformationContent([0.7f, 0.1f, 0.1f, 0.1f], s_uniform);
        Assert.Equal(0.7 * ic, heights[0, 0], 6);
        Assert.Equal(0.1 * ic, heights[0, 3], 6);
        Assert.Equal(ic, Enumerable.Range(0, 4).Sum(b => heights[0, b]), 6);
        Assert.All(Enumerable.Range(0, 4), b => Assert.Equal(0, heights[1, b], 6));
    }

    [Fact]
    public void EachPositionIsAStackWithTheMostProbableLetterOnTop()
    {
        // Position 1: G dominant; position 2: uniform (empty stack); position 3: pure T.
        var motif = new Motif("m", [0.1f, 0.1f, 0.7f, 0.1f, 0.25f, 0.25f, 0.25f, 0.25f, 0, 0, 0, 1]);
        var root = SvgTestUtil.Parse(new SequenceLogo(motif).Render());
        var stacks = SvgTestUtil.WithClass(root, "g", "logo-stack").ToList();
        Assert.Equal(3, stacks.Count);

        var first = stacks[0].Elements(Ns + "g").ToList();
        Assert.Equal(4, first.Count);
        // Drawn bottom-up in ascending height, so the last glyph is the tallest, the top one.
        Assert.Equal("glyph glyph-G", (string?)first[^1].Attribute("class"));
        Assert.Empty(stacks[1].Elements());
        var pureT = Assert.Single(stacks[2].Elements(Ns + "g"));
        Assert.Equal("glyph glyph-T", (string?)pureT.Attribute("class"));
        Assert.All(pureT.Elements(Ns + "polyline"), p => Assert.Equal(SequenceLogo.LetterColors['T'], (string?)p.Attribute("fill")));

        // A 2-bit letter spans the whole axis from 0 to 2 bits.
        var (top, bottom) = YRange(pureT);
        var axis = SvgTestUtil.WithClass(root, "g", "y-axis").Single().Elements(Ns + "line")
            .Where(l => (string?)l.Attribute("x1") != (string?)l.Attribute("x2")).ToList(); // the tick marks
        var tickYs = axis.Select(l => double.Parse((string)l.Attribute("y1")!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(tickYs.Max(), bottom, 1);
        Assert.Equal(tickYs.Min(), top, 1);
    }

    [Fact]
    public void StackHeightIsProportionalToInformation()
    {
        var motif = new Motif("m", [1, 0, 0, 0, 0.5f, 0.5f, 0, 0]);
        var stacks = SvgTestUtil.WithClass(SvgTestUtil.Parse(new SequenceLogo(motif).Render()), "g", "logo-stack").ToList();
        var (top0, bottom0) = YRange(stacks[0]);
        var (top1, bottom1) = YRange(stacks[1]);
        Assert.Equal(bottom0, bottom1, 1);
        Assert.Equal(2.0, (bottom0 - top0) / (bottom1 - top1), 1);
    }

    [Fact]
    public void GlyphsStayInsideTheirColumnAndTheTitleIsEscaped()
    {
        var motif = Motif.FromConsensus("m", "ACGT");
        var logo = new SequenceLogo(motif) { Title = "A<B & C", ColumnWidth = 20 };
        var root = SvgTestUtil.Parse(logo.Render());
        Assert.Contains(root.Descendants(Ns + "text"), t => t.Value == "A<B & C");
        var stacks = SvgTestUtil.WithClass(root, "g", "logo-stack").ToList();
        for (int w = 0; w < stacks.Count; w++)
        {
            var xs = stacks[w].Descendants(Ns + "polyline").SelectMany(p => Points(p)).Select(p => p.X).ToList();
            Assert.InRange(xs.Min(), 46 + 20 * w, 46 + 20 * (w + 1));
            Assert.InRange(xs.Max(), 46 + 20 * w, 46 + 20 * (w + 1));
        }
        Assert.Equal(["1", "2", "3", "4"], SvgTestUtil.WithClass(root, "g", "x-axis").Single().Elements(Ns + "text").Select(t => t.Value));
    }

    [Fact]
    public void ABackgroundMustHoldFourPositiveFrequencies()
    {
        var motif = Motif.FromConsensus("m", "AC");
        Assert.Throws<ArgumentException>(() => new SequenceLogo(motif, [0.5f, 0.5f, 0f, 0f]));
        Assert.Throws<ArgumentException>(() => new SequenceLogo(motif, [1f, 1f, 1f]));
    }

    private static (double Top, double Bottom) YRange(XElement group)
    {
        var ys = group.Descendants(Ns + "polyline").SelectMany(Points).Select(p => p.Y).ToList();
        return (ys.Min(), ys.Max());
    }

    private static IEnumerable<(double X, double Y)> Points(XElement polyline) =>
        ((string)polyline.Attribute("points")!).Split(' ').Select(p =>
        {
            var xy = p.Split(',');
            return (double.Parse(xy[0], CultureInfo.InvariantCulture), double.Parse(xy[1], CultureInfo.InvariantCulture));
        });
}
