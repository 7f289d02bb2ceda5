using Promptor.Genomics.Motifs;
using Promptor.Tests.Genomics;
using static Promptor.Tests.Cli.CliRunner;

namespace Promptor.Tests.Cli;

public class CompareMotifsCommandTests
{
    private static string SwissRegulon => BundledData.PathOf("motifs/SwissRegulon_s_cer.meme");

    private static string WriteQuery(TempDirectory temp)
    {
        string path = temp.File("query.meme");
        MemeWriter.Write(path, [BuiltInMotifs.Stre, BuiltInMotifs.Reb1]);
        return path;
    }

    [Fact]
    public void WritesRankedMatchesPerQuery()
    {
        using var temp = new TempDirectory();
        string output = temp.File("matches.tsv");

        var (exit, stdout, error) = Run("compare-motifs", "--query", WriteQuery(temp), "--target", SwissRegulon, "--out", output, "--max-q", "0.05");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("compared 2 queries with 158 database motifs (Pearson)", stdout);
        var lines = File.ReadAllLines(output);
        Assert.Equal("query_id\ttarget_id\ttarget_name\toffset\tstrand\toverlap\tscore\tp\tE\tq", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split('\t')).ToArray();
        Assert.Equal(["MSN2", "MSN4"], rows.Where(r => r[0] == "STRE").Take(2).Select(r => r[1]).Order());
        Assert.Contains(rows.Where(r => r[0] == "REB1").Take(2), r => r[1] == "REB1");
        Assert.All(rows, r => Assert.True(double.Parse(r[9], System.Globalization.CultureInfo.InvariantCulture) <= 0.05));
    }

    [Fact]
    public void ReadsJasparAndTransfacTargets()
    {
        using var temp = new TempDirectory();
        string query = WriteQuery(temp);
        string transfac = BundledData.PathOf("motifs/JASPAR2024_CORE_fungi_non-redundant_pfms_transfac.txt");
        string jaspar = temp.Write("db.jaspar", ">MA1 Msn2like\nA [0 10 0 0 0 0]\nC [0 0 0 0 0 0]\nG [0 0 10 10 10 10]\nT [10 0 0 0 0 0]\n");

        var (exit, stdout, _) = Run("compare-motifs", "--query", query, "--target", transfac, "--metric", "euclidean");
        var (jasparExit, jasparOut, _) = Run("compare-motifs", "--query", query, "--target", jaspar, "--max-q", "1");

        Assert.Equal(0, exit);
        var stre = Lines(stdout).Skip(1).Select(l => l.Split('\t')).First(r => r[0] == "STRE");
        Assert.StartsWith("msn", stre[2], StringComparison.OrdinalIgnoreCase); // MSN2, MSN4 or an orthologue (msn-1 of Neurospora)
        Assert.Equal(0, jasparExit);
        Assert.Contains(Lines(jasparOut), l => l.StartsWith("STRE\tMA1\tMsn2like\t", StringComparison.Ordinal));
    }

    [Fact]
    public void ProbabilitiesNotSummingToOneGiveOneLineAndExitCode2()
    {
        using var temp = new TempDirectory();
        string bad = temp.Write("bad.meme", "MEME version 4\n\nMOTIF X\nletter-probability matrix: alength= 4 w= 1\n0.5 0.5 0.5 0.5\n");
        string output = temp.File("matches.tsv");

        var (exit, stdout, error) = Run("compare-motifs", "--query", bad, "--target", SwissRegulon, "--out", output);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"promptor: {bad}:5: motif 'X' row 1: probabilities sum to 2, not 1", Assert.Single(Lines(error)));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void EmptyMotifFilesGiveOneLineAndExitCode2()
    {
        using var temp = new TempDirectory();
        string empty = temp.Write("empty.meme", "");

        var (exit, _, error) = Run("compare-motifs", "--query", WriteQuery(temp), "--target", empty);

        Assert.Equal(2, exit);
        Assert.Equal($"promptor: {empty}: motif file is empty", Assert.Single(Lines(error)));
    }

    [Fact]
    public void UnknownMetricAndExistingOutputAreRefused()
    {
        using var temp = new TempDirectory();
        string query = WriteQuery(temp);
        string output = temp.Write("matches.tsv", "keep me");

        var metric = Run("compare-motifs", "--query", query, "--target", SwissRegulon, "--metric", "cosine");
        var existing = Run("compare-motifs", "--query", query, "--target", SwissRegulon, "--out", output);

        Assert.Equal(2, metric.Exit);
        Assert.Equal("promptor: --metric must be pearson, euclidean or sandelin, got 'cosine'", Assert.Single(Lines(metric.Error)));
        Assert.Equal(2, existing.Exit);
        Assert.Contains("--force", Assert.Single(Lines(existing.Error)));
        Assert.Equal("keep me", File.ReadAllText(output));
    }
}
