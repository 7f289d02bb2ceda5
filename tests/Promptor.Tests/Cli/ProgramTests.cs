using System.CommandLine;
using Promptor.Cli;

namespace Promptor.Tests.Cli;

public class ProgramTests
{
    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = Program.BuildRootCommand().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void VersionPrintsTheAssemblyVersion()
    {
        var (exit, output, _) = Run("--version");
        Assert.Equal(0, exit);
        Assert.StartsWith("0.1.0", output.Trim());
    }

    [Fact]
    public void HelpDescribesTheTool()
    {
        var (exit, output, _) = Run("--help");
        Assert.Equal(0, exit);
        Assert.Contains("promoter", output);
    }

    [Fact]
    public void UnknownCommandFailsWithNonZeroExit()
    {
        var (exit, _, error) = Run("no-such-command");
        Assert.NotEqual(0, exit);
        Assert.Contains("no-such-command", error);
    }
}
