using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Promptor.Cli;

/// <summary>Entry point of the <c>promptor</c> command.</summary>
public static class Program
{
    /// <summary>The informational version of Promptor (e.g. <c>0.1.0+commit</c>).</summary>
    public static string Version { get; } =
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(Program).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Builds the root command; each workflow step adds a sub-command here.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand(
            "Promptor: attention models that read promoters and tell which parts act under which treatment.");
        // The built-in --version reads the entry assembly, which is the test host under tests.
        foreach (var option in root.Options.OfType<VersionOption>())
        {
            option.Action = new PrintVersionAction();
        }
        root.Subcommands.Add(Commands.DemoCommand.Create());
        root.Subcommands.Add(Commands.ExamplesCommand.Create());
        root.Subcommands.Add(Commands.SimulateCommand.Create());
        root.Subcommands.Add(Commands.PrepareCommand.Create());
        root.Subcommands.Add(Commands.BaselineCommand.Create());
        root.Subcommands.Add(Commands.MotifsCommand.Create());
        root.Subcommands.Add(Commands.CompareMotifsCommand.Create());
        root.Subcommands.Add(Commands.LmCommand.Create());
        root.Subcommands.Add(Commands.GenerateCommand.Create());
        root.Subcommands.Add(Commands.Seq2SeqCommand.Create());
        root.Subcommands.Add(Commands.TrainCommand.Create());
        root.Subcommands.Add(Commands.EvaluateCommand.Create());
        root.Subcommands.Add(Commands.PredictCommand.Create());
        root.Subcommands.Add(Commands.LadderCommand.Create());
        root.Subcommands.Add(Commands.AttendCommand.Create());
        root.Subcommands.Add(Commands.ExplainCommand.Create());
        root.Subcommands.Add(Commands.PruneCommand.Create());
        root.Subcommands.Add(Commands.ReportCommand.Create());
        return root;
    }

    /// <summary>Runs the command line and returns the process exit code.</summary>
    public static int Main(string[] args) => BuildRootCommand().Parse(args).Invoke();

    private sealed class PrintVersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Version);
            return 0;
        }
    }
}
