using Promptor.Genomics.Models;
using Promptor.Genomics.Reports;
using Promptor.Genomics.Workflows;

namespace Promptor.Tests.Genomics.Reports;

public class ReportOfDemoRunTests
{
    [Fact]
    public void TheDemoWritesAReportOfItsRunFromTheFilesTheTrainerWrote()
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Path, "run");
        YeastDemo.Run(new DemoOptions
        {
            DataDirectory = BundledData.Directory,
            OutputDirectory = output,
            Epochs = 1,
            MaxBatchesPerEpoch = 1,
            Model = new CondPromoterOptions
            {
                TreatmentCount = 34,
                Convolutions = [new(8, 9, 1, 10), new(8, 5, 1, 10)],
                ModelDim = 8,
                SelfAttentionBlocks = 0,
                SelfAttentionHeads = 2,
                CrossAttentionHeads = 2,
                HeadHidden = 8,
            },
        });

        var document = HtmlReportTests.ParseStrict(File.ReadAllText(Path.Combine(output, ReportFiles.DefaultReport)));
        Assert.Equal("Treatments (34)", document.QuerySelectorAll("#run h3").Select(h => h.TextContent).Single(t => t.StartsWith("Treatments", StringComparison.Ordinal)));
        Assert.Contains("CondPromoter", document.QuerySelector("#run table")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(document.QuerySelector("#run p.options code"));
        Assert.Equal(34, document.QuerySelectorAll("#test-metrics tbody tr").Length);
        Assert.Equal(2, document.QuerySelectorAll("#training svg.training-curve").Length);
        // The demo writes no ladder, attention or motif files: those sections say so.
        Assert.Equal(["ladder", "meta-profiles", "motifs", "example-genes"],
            document.QuerySelectorAll("p.missing").Select(p => p.Closest("section")!.Id ?? ""));
        HtmlReportTests.AssertSelfContained(document);
    }
}
