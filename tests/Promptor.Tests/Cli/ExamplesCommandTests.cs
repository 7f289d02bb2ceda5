using System.CommandLine;
using Promptor.Cli;
using Promptor.Tests.Genomics.Reports.Svg;
using Promptor.Tests.Nn;

namespace Promptor.Tests.Cli;

public class ExamplesCommandTests
{
    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = Program.BuildRootCommand().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void NadarayaWatsonPrintsTheThreeMsesAndWritesBothFigures()
    {
        string dir = NnTestUtil.NewTempDirectory();
        try
        {
            string outDir = Path.Combine(dir, "nw");
            var (exit, output, error) = Run("examples", "nadaraya-watson", "--out", outDir, "--seed", "3");
            Assert.True(exit == 0, error);
            Assert.Equal("", error);
            Assert.Contains("seed 3", output);
            Assert.Contains("average pooling", output);
            Assert.Contains("non-parametric (w = 1)", output);
            Assert.Contains("parametric (w =", output);
            SvgTestUtil.Parse(File.ReadAllText(Path.Combine(outDir, "fit.svg")));
            SvgTestUtil.Parse(File.ReadAllText(Path.Combine(outDir, "attention.svg")));
            Assert.Equal(2, Directory.GetFiles(outDir).Length);
        }
        finally
        {
            NnTestUtil.DeleteDirectory(dir);
        }
    }

    [Fact]
    public void OutUnderAnExistingFileFailsWithOneLine()
    {
        string dir = NnTestUtil.NewTempDirectory();
        try
        {
            string file = Path.Combine(dir, "file.txt");
            File.WriteAllText(file, "in the way");
            var (exit, _, error) = Run("examples", "nadaraya-watson", "--out", Path.Combine(file, "sub"));
            Assert.NotEqual(0, exit);
            Assert.Single(error.TrimEnd().Split('\n'));
            Assert.StartsWith("promptor examples nadaraya-watson: cannot write figures to", error);
            Assert.Equal("in the way", File.ReadAllText(file));
        }
        finally
        {
            NnTestUtil.DeleteDirectory(dir);
        }
    }

    [Fact]
    public void BadSeedIsAParseError()
    {
        var (exit, _, error) = Run("examples", "nadaraya-watson", "--seed", "minus-one");
        Assert.NotEqual(0, exit);
        Assert.Contains("minus-one", error);
    }

    [Fact]
    public void HelpListsTheExample()
    {
        var (exit, output, _) = Run("examples", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("nadaraya-watson", output);
    }
}
