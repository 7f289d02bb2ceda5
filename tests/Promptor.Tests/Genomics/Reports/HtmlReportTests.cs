using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Promptor.Genomics.IO;
using Promptor.Genomics.Reports;
using Promptor.Genomics.Reports.Svg;

namespace Promptor.Tests.Genomics.Reports;

public class HtmlReportTests
{
    private static readonly DateTimeOffset s_fixedTime = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>Parses <paramref name="html"/> and fails on any HTML5 parse error.</summary>
    internal static IHtmlDocument ParseStrict(string html)
    {
        var errors = new List<string>();
        var parser = new HtmlParser();
        var lines = html.Split('\n');
        parser.Error += (_, e) => errors.Add(e is AngleSharp.Html.Dom.Events.HtmlErrorEvent h
            ? $"{h.Position.Line}:{h.Position.Column}: {h.Message} in \"{lines[Math.Clamp(h.Position.Line - 1, 0, lines.Length - 1)]}\""
            : "parse error");
        var document = parser.ParseDocument(html);
        Assert.True(errors.Count == 0, "HTML5 parse errors:\n" + string.Join("\n", errors));
        return document;
    }

    /// <summary>The structural checks shared with the browser test, on a report of the full fixture.</summary>
    internal static void AssertFullFixtureStructure(IDocument document)
    {
        var sections = document.QuerySelectorAll("main > section.report-section");
        Assert.Equal(HtmlReport.Sections.Select(s => s.Id), sections.Select(s => s.Id));
        Assert.All(sections, s => Assert.NotNull(s.QuerySelector("h2")));
        Assert.Empty(document.QuerySelectorAll("p.missing"));

        // The table of contents links every section, and every in-page link has a target.
        var toc = document.QuerySelectorAll("nav.toc a").Select(a => a.GetAttribute("href")).ToArray();
        Assert.Equal(HtmlReport.Sections.Select(s => "#" + s.Id), toc);
        foreach (var link in document.QuerySelectorAll("a[href]"))
        {
            Assert.NotNull(document.GetElementById(link.GetAttribute("href")![1..]));
        }

        var metrics = document.QuerySelector("#test-metrics table.metrics-table")!;
        Assert.Equal(3, metrics.QuerySelectorAll("tbody tr").Length);
        Assert.Equal("mean", metrics.QuerySelector("tfoot th")!.TextContent);
        Assert.Equal(["treatment", "genes (n)", "Pearson r", "Spearman ρ", "R²"], metrics.QuerySelectorAll("thead th").Select(t => t.TextContent));
        Assert.NotNull(metrics.QuerySelector("caption"));

        var ladder = document.QuerySelector("#ladder table.ladder-table")!;
        Assert.Equal(4, ladder.QuerySelectorAll("tbody tr").Length);
        Assert.Equal("cross-attention", ladder.QuerySelector("tbody tr.best th")!.TextContent);

        Assert.Equal(2, document.QuerySelectorAll("#training svg.training-curve").Length);
        Assert.Equal(3, document.QuerySelectorAll("#meta-profiles figure svg.meta-profile-plot").Length);

        // One table per treatment with motifs, one logo per top-motif line, one glyph stack per motif position.
        Assert.Equal(["Heat 15'", "Peroxide 20'"], document.QuerySelectorAll("#motifs h3").Select(h => h.TextContent));
        var logos = document.QuerySelectorAll("#motifs table.motif-table tbody tr td.logo svg.sequence-logo");
        Assert.Equal(3, logos.Length);
        Assert.Equal([5, 9, 7], logos.Select(l => l.QuerySelectorAll("g.logo-stack").Length));
        Assert.Contains("MSN2 (Msn2p)", document.QuerySelector("#motifs")!.TextContent, StringComparison.Ordinal);

        var genes = document.QuerySelectorAll("#example-genes figure.example-gene");
        Assert.Equal(2, genes.Length);
        foreach (var gene in genes)
        {
            Assert.Single(gene.QuerySelectorAll("svg.attention-map"));
            var sequence = gene.QuerySelector("pre.sequence")!;
            Assert.NotEmpty(sequence.QuerySelectorAll("mark"));
            Assert.NotNull(gene.QuerySelector("figcaption"));
        }
        Assert.Equal(ReportFiles.All.Count, document.QuerySelectorAll("#sources tbody tr.found").Length);

        AssertSelfContained(document);
    }

    /// <summary>No scripts, no external resources: every link is in-page, nothing is loaded from anywhere.</summary>
    internal static void AssertSelfContained(IDocument document)
    {
        Assert.Empty(document.QuerySelectorAll("script, link, img, iframe, object, embed, audio, video, source, base"));
        Assert.DoesNotContain(document.All, e => e.HasAttribute("src") || e.HasAttribute("srcset"));
        foreach (var element in document.All)
        {
            foreach (var attribute in element.Attributes)
            {
                if (attribute.Name is "href" or "xlink:href")
                {
                    Assert.StartsWith("#", attribute.Value, StringComparison.Ordinal);
                }
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"event handler {attribute.Name}");
            }
        }
        string css = string.Concat(document.QuerySelectorAll("style").Select(s => s.TextContent));
        Assert.DoesNotContain("@import", css, StringComparison.Ordinal);
        Assert.DoesNotContain("url(", css, StringComparison.Ordinal);
        Assert.DoesNotContain("@font-face", css, StringComparison.Ordinal);
        Assert.DoesNotContain("&", css, StringComparison.Ordinal); // <style> is raw text: an escaped quote would break the rules
        Assert.Contains("@media print", css, StringComparison.Ordinal);
        var ids = document.All.Where(e => e.Id is { Length: > 0 }).Select(e => e.Id!).ToArray();
        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void AFullRunFolderGivesEverySectionWithItsTablesAndFigures()
    {
        using var dir = new TempDirectory();
        ReportFixture.WriteAll(dir.Path);
        string html = HtmlReport.Build(ReportRun.Load(dir.Path), new HtmlReportOptions { GeneratedUtc = s_fixedTime });

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        var document = ParseStrict(html);
        Assert.Equal("en", document.DocumentElement.GetAttribute("lang"));
        Assert.Equal("utf-8", document.QuerySelector("meta[charset]")!.GetAttribute("charset"));
        AssertFullFixtureStructure(document);
        Assert.Contains("genes: 1,234 (split)", document.QuerySelectorAll("#run li").Select(l => l.TextContent));
        Assert.Contains("100 / 80 / 10 / 10", document.QuerySelector("#run table")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("CondPromoter", document.QuerySelector("#run table")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("treatment_count = 3", document.QuerySelector("#run p.options code")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameInputsGiveTheSameBytes()
    {
        using var dir = new TempDirectory();
        ReportFixture.WriteAll(dir.Path);
        var options = new HtmlReportOptions { GeneratedUtc = s_fixedTime };
        Assert.Equal(HtmlReport.Build(ReportRun.Load(dir.Path), options), HtmlReport.Build(ReportRun.Load(dir.Path), options));
    }

    [Fact]
    public void TextFromTheFilesIsEscapedNotInterpreted()
    {
        using var dir = new TempDirectory();
        ReportFixture.WriteAll(dir.Path);
        string html = HtmlReport.Build(ReportRun.Load(dir.Path));

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        var document = ParseStrict(html);
        Assert.Empty(document.QuerySelectorAll("script"));
        var rows = document.QuerySelectorAll("#test-metrics tbody th").Select(t => t.TextContent).ToArray();
        Assert.Equal(ReportFixture.Treatments, rows);
        // The same name drawn inside SVG (a meta-profile title) is escaped too.
        Assert.Contains(document.QuerySelectorAll("#meta-profiles figcaption"), f => f.TextContent.StartsWith(ReportFixture.Hostile, StringComparison.Ordinal));
    }

    [Fact]
    public void AFolderWithOnlyTestMetricsSaysWhatIsMissingInEachOtherSection()
    {
        using var dir = new TempDirectory();
        ReportFixture.WriteTestMetrics(dir.Path);
        var document = ParseStrict(HtmlReport.Build(ReportRun.Load(dir.Path)));

        Assert.Equal(HtmlReport.Sections.Count, document.QuerySelectorAll("main > section").Length);
        var missing = document.QuerySelectorAll("p.missing").Select(p => p.Closest("section")!.Id ?? "").ToArray();
        Assert.Equal(["run", "training", "ladder", "meta-profiles", "motifs", "example-genes"], missing);
        Assert.Contains(ReportFiles.Ladder, document.QuerySelector("#ladder p.missing")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(3, document.QuerySelectorAll("#test-metrics tbody tr").Length);
        Assert.Single(document.QuerySelectorAll("#sources tbody tr.found"));
        AssertSelfContained(document);
    }

    [Fact]
    public void TopMotifsWithoutTheirMemeFileAreListedWithoutLogos()
    {
        using var dir = new TempDirectory();
        ReportFixture.WriteMotifs(dir.Path);
        File.Delete(Path.Combine(dir.Path, ReportFiles.Motifs));
        var document = ParseStrict(HtmlReport.Build(ReportRun.Load(dir.Path)));

        Assert.Equal(3, document.QuerySelectorAll("#motifs table.motif-table tbody tr").Length);
        Assert.Empty(document.QuerySelectorAll("svg.sequence-logo"));
        Assert.Contains(ReportFiles.Motifs, document.QuerySelector("#motifs p.missing")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyOrMissingFolderIsRefused()
    {
        using var dir = new TempDirectory();
        var empty = Assert.Throws<DataFormatException>(() => ReportRun.Load(dir.Path));
        Assert.Contains("holds none of the report's files", empty.Message, StringComparison.Ordinal);
        Assert.Throws<DirectoryNotFoundException>(() => ReportRun.Load(Path.Combine(dir.Path, "nowhere")));
    }

    public static TheoryData<string, string, string, int, string> MalformedInputs => new()
    {
        // file, its content, expected fragment of the message, line, field
        { ReportFiles.Metrics, "epoch\ttrain_loss\tval_loss\n1\t0.5\t0.6\n2\t0.4\tabc\n", "non-numeric value 'abc' in column 'val_loss'", 3, "val_loss" },
        { ReportFiles.Metrics, "epoch\ttrain_loss\n1\t0.5\t9\n", "expected 2 fields like the header, found 3", 2, "row" },
        { ReportFiles.TestMetrics, "treatment\tn\tpearson\nHeat\t10\t0.2\nHeat\t12\t0.3\n", "treatment 'Heat' appears twice", 3, "treatment" },
        { ReportFiles.TestMetrics, "treatment\tn\tspearman\nHeat\t10\t0.2\n", "no Pearson r column 'pearson'", 1, "pearson" },
        { ReportFiles.Ladder, "rung\tparams\tmean_pearson\ncross-attention\tmany\t0.2\n", "non-numeric value 'many' in column 'params'", 2, "params" },
        { ReportFiles.MetaProfile, "treatment\tposition\tmean_attention\nHeat\t0\t0.1\nHeat\t0\t0.2\n", "position 0 of treatment 'Heat' appears twice", 3, "position" },
        { ReportFiles.MetaProfile, "treatment\tposition\tmean_attention\nHeat\t0\tNA\n", "missing value in column 'mean_attention'", 2, "mean_attention" },
        { ReportFiles.ExampleGenes, "gene\ttreatment\tp0\tp2\nYDL001W\tHeat\t0.5\t0.5\n", "column 4 is 'p2', expected 'p1'", 1, "p2" },
        { ReportFiles.ExampleGenes, "gene\ttreatment\tp0\tp1\nYDL001W\tHeat\t0.5\tinf\n", "non-finite value 'inf' in column 'p1'", 2, "p1" },
        { ReportFiles.TopMotifs, "treatment\trank\tmotif_id\tconsensus\tseqlets\tbest_match_id\tbest_match_name\tp\tq\nHeat\t0\tm1\tAGGGG\t3\tNA\tNA\tNA\tNA\n", "'0' in column 'rank' is not a whole number ≥ 1", 2, "rank" },
        { ReportFiles.TopMotifs, "treatment\trank\tmotif_id\tconsensus\tseqlets\tbest_match_id\tbest_match_name\tp\tq\nHeat\t1\tm1\tAGGGG\t3\tX\tX\t0.01\t1.5\n", "'1.5' in column 'q' is not a probability in [0, 1]", 2, "q" },
        { ReportFiles.RunManifest, "{\n  \"format_version\": 1,\n  \"seed\": \"seven\"\n}\n", "not a valid run manifest at '$.seed'", 3, "$.seed" },
    };

    [Theory]
    [MemberData(nameof(MalformedInputs))]
    public void AMalformedFileIsReportedWithFileLineAndField(string file, string content, string message, int line, string field)
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);

        var ex = Assert.Throws<DataFormatException>(() => ReportRun.Load(dir.Path));
        Assert.Equal(path, ex.FileName);
        Assert.Equal(line, ex.LineNumber);
        Assert.Equal(field, ex.Field);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void ATopMotifMissingFromTheMemeFileIsReportedAtItsLine()
    {
        using var dir = new TempDirectory();
        ReportFixture.WriteMotifs(dir.Path);
        File.AppendAllText(Path.Combine(dir.Path, ReportFiles.TopMotifs), "Peroxide 20'\t2\tunknown_7\tACGT\t5\tNA\tNA\tNA\tNA\n");

        var ex = Assert.Throws<DataFormatException>(() => ReportRun.Load(dir.Path));
        Assert.Equal(5, ex.LineNumber);
        Assert.Equal("motif_id", ex.Field);
        Assert.Contains("motif 'unknown_7' is not in", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExampleGeneWithoutItsSequenceOrOfTheWrongLengthIsRefused()
    {
        using var dir = new TempDirectory();
        ReportFixture.WriteAttention(dir.Path);
        string fasta = Path.Combine(dir.Path, ReportFiles.ExampleSequences);
        File.WriteAllText(fasta, ">YDL001W\nACGT\n>YDR002C\n" + new string('A', ReportFixture.Length) + "\n");
        var wrongLength = Assert.Throws<DataFormatException>(() => ReportRun.Load(dir.Path));
        Assert.Equal(fasta, wrongLength.FileName);
        Assert.Contains("record 'YDL001W' has 4 bases", wrongLength.Message, StringComparison.Ordinal);

        File.WriteAllText(fasta, ">YDR002C\n" + new string('A', ReportFixture.Length) + "\n");
        var absent = Assert.Throws<DataFormatException>(() => ReportRun.Load(dir.Path));
        Assert.Equal(2, absent.LineNumber);
        Assert.Contains("gene 'YDL001W' has no sequence", absent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteLeavesAnEarlierReportUntouchedWhenAnInputIsMalformed()
    {
        using var dir = new TempDirectory();
        ReportFixture.WriteAll(dir.Path);
        string report = HtmlReport.Write(dir.Path);
        Assert.Equal(Path.Combine(dir.Path, ReportFiles.DefaultReport), report);
        byte[] before = File.ReadAllBytes(report);

        File.AppendAllText(Path.Combine(dir.Path, ReportFiles.Ladder), "broken\tx\ty\n");
        Assert.Throws<DataFormatException>(() => HtmlReport.Write(dir.Path));
        Assert.Equal(before, File.ReadAllBytes(report));
        Assert.Single(Directory.GetFiles(dir.Path, "*.html*"));
    }

    [Fact]
    public void SequenceMarksCoverTheRequestedFractionOfHighestAttentionPositions()
    {
        using var dir = new TempDirectory();
        ReportFixture.WriteAttention(dir.Path);
        var run = ReportRun.Load(dir.Path);
        var document = ParseStrict(HtmlReport.Build(run, new HtmlReportOptions { MarkedFraction = 0.075 }));

        // 7.5% of 40 bp = 3 positions: the first gene's bump peaks at 0-based position 12 (line "1 …").
        var marks = document.QuerySelectorAll("pre.sequence")[0].QuerySelectorAll("mark");
        Assert.Equal(run.ExampleGenes![0].Sequence![11..14], Assert.Single(marks).TextContent);
        Assert.StartsWith(" 1 ", document.QuerySelectorAll("pre.sequence")[0].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SvgIdsAreMadeUniqueWhenSeveralDrawingsShareThePage()
    {
        var writer = new HtmlWriter();
        var heatmap = new Heatmap(new double[,] { { 0.2, 0.8 } });
        writer.Svg(heatmap.Render(), "map").Svg(heatmap.Render(), "map");
        var document = new HtmlParser().ParseDocument("<!DOCTYPE html><html><body>" + writer + "</body></html>");

        var gradients = document.QuerySelectorAll("linearGradient").Select(g => g.Id).ToArray();
        Assert.Equal(2, gradients.Distinct().Count());
        var fills = document.QuerySelectorAll("g.colorbar rect").Select(r => r.GetAttribute("fill")).ToArray();
        Assert.Equal(gradients.Select(g => $"url(#{g})"), fills);
        Assert.All(document.QuerySelectorAll("svg"), svg => Assert.Equal("map", svg.GetAttribute("class")));
        Assert.DoesNotContain("<?xml", writer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void EscapeLeavesNoMarkupAndDropsControlCharacters()
    {
        Assert.Equal("&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; co&lt;/a&gt;", HtmlWriter.Escape("<a href=\"x\">Tom's & co</a>"));
        Assert.Equal("ab\tc\n", HtmlWriter.Escape("a\u0001b\tc\r\n\u0085"));
    }

    [Fact]
    public void AttentionMapBinsAreMeansOverTheirPositions()
    {
        var gene = new ReportExampleGene("G", ["a", "b"], [[1, 2, 3, 4, 5], [0, 0, 0, 0, 10]], null);
        var binned = new ReportAttentionMap(gene) { BinSize = 2 }.Binned();
        Assert.Equal(new double[,] { { 1.5, 3.5, 5 }, { 0, 0, 10 } }, binned);
        Assert.Equal(1, new ReportAttentionMap(gene).EffectiveBinSize);
        Assert.Equal(8, new ReportAttentionMap(new ReportExampleGene("L", ["a"], [new double[1000]], null)).EffectiveBinSize);
    }
}
