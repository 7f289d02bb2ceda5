using Promptor.Genomics.Reports;
using Promptor.Tests.Genomics;
using Promptor.Tests.Genomics.Reports;
using static Promptor.Tests.Cli.CliRunner;

namespace Promptor.Tests.Cli;

public class ReportCommandTests
{
    [Fact]
    public void WritesTheReportIntoTheRunFolderByDefault()
    {
        using var dir = new TempDirectory();
        ReportFixture.WriteAll(dir.Path);

        var (exit, output, error) = Run("report", "--run", dir.Path);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        string report = Path.Combine(dir.Path, ReportFiles.DefaultReport);
        Assert.Equal($"Wrote {Path.GetFullPath(report)} ({ReportFiles.All.Count} of {ReportFiles.All.Count} input files found)", Assert.Single(Lines(output)));
        HtmlReportTests.AssertFullFixtureStructure(HtmlReportTests.ParseStrict(File.ReadAllText(report)));
    }

    [Fact]
    public void NamesTheAbsentFilesAndWritesWhereOutPoints()
    {
        using var dir = new TempDirectory();
        ReportFixture.WriteTestMetrics(dir.Path);
        string report = Path.Combine(dir.Path, "elsewhere", "r.html");

        var (exit, output, _) = Run("report", "--run", dir.Path, "--out", report);

        Assert.Equal(0, exit);
        Assert.True(File.Exists(report));
        Assert.Contains("1 of 10 input files found; absent: run.json, summary.md, metrics.tsv, ladder.tsv", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExistingReportIsKeptUnlessForced()
    {
        using var dir = new TempDirectory();
        ReportFixture.WriteAll(dir.Path);
        string report = dir.Write(ReportFiles.DefaultReport, "earlier");

        var (exit, _, error) = Run("report", "--run", dir.Path);
        Assert.Equal(2, exit);
        Assert.Equal($"promptor: {report} already exists; pass --force to overwrite it", Assert.Single(Lines(error)));
        Assert.Equal("earlier", File.ReadAllText(report));

        var (forced, _, _) = Run("report", "--run", dir.Path, "--force");
        Assert.Equal(0, forced);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(report), StringComparison.Ordinal);
    }

    [Fact]
    public void AMalformedInputGivesOneLineNamingFileLineAndFieldAndWritesNothing()
    {
        using var dir = new TempDirectory();
        ReportFixture.WriteAll(dir.Path);
        string ladder = Path.Combine(dir.Path, ReportFiles.Ladder);
        File.AppendAllText(ladder, "film\t?\t0.1\t0.1\t0.1\t0.1\t0.1\t1\n");

        var (exit, output, error) = Run("report", "--run", dir.Path);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal($"promptor: {ladder}:6: non-numeric value '?' in column 'params'", Assert.Single(Lines(error)));
        Assert.False(File.Exists(Path.Combine(dir.Path, ReportFiles.DefaultReport)));
    }

    [Fact]
    public void AMissingRunFolderOrFlagIsAnError()
    {
        using var dir = new TempDirectory();
        string nowhere = Path.Combine(dir.Path, "nowhere");
        var (exit, _, error) = Run("report", "--run", nowhere);
        Assert.Equal(2, exit);
        Assert.Equal($"promptor: {nowhere}: no such run folder", Assert.Single(Lines(error)));

        var (noFlag, _, _) = Run("report");
        Assert.NotEqual(0, noFlag);
    }
}
