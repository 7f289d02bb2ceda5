using System.Xml.Linq;
using Promptor.Genomics.Interpretation;
using Promptor.Genomics.Reports.Svg;

namespace Promptor.Tests.Genomics.Interpretation;

public class AttentionExportTests
{
    [Fact]
    public void GeneTsvListsHeadsThenTheMeanPerTreatment()
    {
        var maps = AttentionMaps.Compute(AttentionTestModels.Model(), AttentionTestModels.Genes(2), AttentionTestModels.Treatments);

        var lines = AttentionExport.GeneTsv(maps, 1).TrimEnd('\n').Split('\n');

        Assert.Equal(1 + 3 * 3, lines.Length);
        Assert.Equal(2 + 60, lines[0].Split('\t').Length);
        Assert.Equal(["heat\t0", "heat\t1", "heat\tmean", "peroxide\t0"], lines.Skip(1).Take(4).Select(l => string.Join('\t', l.Split('\t')[..2])));
        var mean = lines[3].Split('\t')[2..].Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(maps.Map(1, 0).ToArray().Select(v => (double)v), mean, new Tolerance(1e-6));
    }

    [Fact]
    public void MetaProfileIsTheMeanOverGenes()
    {
        var maps = AttentionMaps.Compute(AttentionTestModels.Model(), AttentionTestModels.Genes(3), AttentionTestModels.Treatments, keepHeads: false);
        var profile = new AttentionMetaProfile(maps.Treatments, maps.Length);

        profile.Add(maps, [0, 2]);

        Assert.Equal(2, profile.GeneCount);
        var expected = maps.Map(0, 1).ToArray().Zip(maps.Map(2, 1).ToArray(), (a, b) => (a + b) / 2.0).ToArray();
        Assert.Equal(expected, profile.Mean(1), new Tolerance(1e-6));
        var tsv = profile.ToTsv().TrimEnd('\n').Split('\n');
        Assert.Equal("treatment\tposition\tmean_attention", tsv[0]);
        Assert.Equal(1 + 3 * 60, tsv.Length);
        Assert.StartsWith("peroxide\t0\t", tsv[61]);
    }

    [Fact]
    public void SvgHasOneRowPerTreatmentAndTheSequenceBeneath()
    {
        var genes = AttentionTestModels.Genes(1);
        var maps = AttentionMaps.Compute(AttentionTestModels.Model(), genes, AttentionTestModels.Treatments);

        var svg = XDocument.Parse(AttentionExport.GeneSvg(maps, 0, genes[0].Sequence).ToString());

        XNamespace ns = "http://www.w3.org/2000/svg";
        var groups = svg.Descendants(ns + "g").ToList();
        var cells = groups.Single(g => (string?)g.Attribute("class") == "cells").Elements(ns + "rect").Count();
        Assert.Equal(3 * 60, cells);
        var bases = groups.Single(g => (string?)g.Attribute("class") == "sequence").Elements().ToList();
        Assert.Equal(60, bases.Count);
        Assert.Equal(AttentionTestModels.Treatments, groups.Single(g => (string?)g.Attribute("class") == "row-labels").Elements(ns + "text").Select(t => t.Value));
        // 1 kb at the default width is drawn in 2 bp bins (500 columns).
        var wide = new SequenceHeatmap(new double[1, 1000], ["t"], new string('A', 1000)).Render().ToString();
        Assert.Equal(500, XDocument.Parse(wide).Descendants(ns + "g").Single(g => (string?)g.Attribute("class") == "cells").Elements().Count());
    }

    [Theory]
    [InlineData("YAL001C", "YAL001C")]
    [InlineData("chr1:100-200(+)", "chr1_100-200___")]
    [InlineData("..", "_..")]
    public void FileStemsAreSafe(string id, string stem) => Assert.Equal(stem, AttentionExport.FileStem(id));

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }
}
