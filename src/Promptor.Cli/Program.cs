using System.CommandLine;

namespace Promptor.Cli;

/// <summary>Entry point of the <c>promptor</c> command.</summary>
public static class Program
{
    /// <summary>Builds the root command; each workflow step adds a sub-command here.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand(
            "Promptor: attention models that read promoters and tell which parts act under which treatment.");
        return root;
    }

    /// <summary>Runs the command line and returns the process exit code.</summary>
    public static int Main(string[] args) => BuildRootCommand().Parse(args).Invoke();
}
