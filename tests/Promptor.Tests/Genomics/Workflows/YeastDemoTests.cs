using System.CommandLine;
using Promptor.Cli;
using Promptor.Genomics.Models;
using Promptor.Genomics.Reports;
using Promptor.Genomics.Workflows;

namespace Promptor.Tests.Genomics.Workflows;

public class YeastDemoTests
{
    /// <summary>A model small enough that one step and the evaluation of 1,233 genes take seconds.</summary>
    private static CondPromoterOptions TinyModel => new()
    {
        TreatmentCount = 34,
        Convolutions = [new(8, 9, 1, 10), new(8, 5, 1, 10)],
        ModelDim = 8,
        SelfAttentionBlocks = 0,
        SelfAttentionHeads = 2,
        CrossAttentionHeads = 2,
        HeadHidden = 8,
    };

    [Fact]
    public void RunsEndToEndOnTheBundledDataAndWritesItsReports()
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Path, "run");
        var result = YeastDemo.Run(new DemoOptions
        {
            DataDirectory = BundledData.Directory,
            OutputDirectory = output,
            Epochs = 1,
            MaxBatchesPerEpoch = 2,
            Model = TinyModel,
        });
        Assert.Equal(724, result.Test.Indices.Length);
        Assert.Equal(34, result.Test.Metrics.Rows.Count);
        Assert.All(result.Test.Metrics.Rows, r => Assert.InRange(r.Pearson, -1, 1));
        foreach (var file in new[] { YeastDemo.TestPredictionsFile, YeastDemo.TestMetricsFile, YeastDemo.SummaryFile, "run.json", "best.safetensors" })
        {
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        }
        var predictions = File.ReadAllLines(Path.Combine(output, YeastDemo.TestPredictionsFile));
        Assert.Equal(725, predictions.Length);
        Assert.StartsWith("YD", predictions[1], StringComparison.Ordinal);

        // Interpretation for the report: a meta-profile row per treatment × base, example genes
        // from the test chromosome, motifs only for the searched treatments, and the report itself.
        var profile = File.ReadAllLines(Path.Combine(output, ReportFiles.MetaProfile));
        Assert.Equal(1 + 34 * 1000, profile.Length);
        var examples = File.ReadAllLines(Path.Combine(output, ReportFiles.ExampleGenes));
        Assert.All(examples.Skip(1), row => Assert.StartsWith("YD", row, StringComparison.Ordinal));
        var motifRows = File.ReadAllLines(Path.Combine(output, ReportFiles.TopMotifs)).Skip(1).Select(r => r.Split('\t')[0]);
        Assert.All(motifRows, treatment => Assert.Contains(treatment, YeastDemo.MotifTreatments));
        Assert.True(File.Exists(Path.Combine(output, ReportFiles.Motifs)));
        Assert.True(File.Exists(Path.Combine(output, ReportFiles.DefaultReport)));
    }

    [Fact]
    public void ARunAlreadyInTheOutputFolderIsRefusedWithExitCode2AndLeftIntact()
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Path, "run");
        YeastDemo.Run(new DemoOptions { DataDirectory = BundledData.Directory, OutputDirectory = output, Epochs = 1, MaxBatchesPerEpoch = 1, Model = TinyModel });
        string manifest = Path.Combine(output, "run.json");
        byte[] before = File.ReadAllBytes(manifest);

        var error = new StringWriter();
        int exit = Program.BuildRootCommand()
            .Parse(["demo", "--out", output, "--data", BundledData.Directory, "--epochs", "1"])
            .Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error });
        Assert.Equal(2, exit);
        Assert.StartsWith("promptor: ", error.ToString(), StringComparison.Ordinal);
        Assert.Single(error.ToString().TrimEnd().Split('\n'));
        Assert.Equal(before, File.ReadAllBytes(manifest));
    }
}
