using System.CommandLine;
using Promptor.Cli;

namespace Promptor.Tests.Cli;

/// <summary>Runs <c>promptor</c> in-process with captured output and error.</summary>
internal static class CliRunner
{
    public static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = Program.BuildRootCommand().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>The lines of <paramref name="text"/>, without empty ones.</summary>
    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
