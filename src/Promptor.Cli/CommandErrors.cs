using System.CommandLine;
using Promptor.Genomics.IO;
using Promptor.Genomics.Training;
using Promptor.Nn.Serialization;

namespace Promptor.Cli;

/// <summary>
/// The one place commands turn bad input into a one-line message and exit code 2: data-format
/// errors (which name file, line and field), unreadable, missing or malformed files (including corrupt
/// gzip), checkpoints of another model, invalid options, and <see cref="CommandException"/>s thrown by
/// the commands themselves (e.g. an output that already exists). Anything else is a bug and propagates.
/// </summary>
public static class CommandErrors
{
    /// <summary>Exit code for bad input or an output that would overwrite a run.</summary>
    public const int BadInput = 2;

    /// <summary>Runs <paramref name="action"/>, printing <c>promptor: message</c> to <paramref name="error"/> on bad input.</summary>
    public static int Run(TextWriter error, Func<int> action)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is CommandException or DataFormatException or SafeTensorsFormatException or CheckpointMismatchException
            or IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            error.WriteLine("promptor: " + OneLine(ex.Message));
            return BadInput;
        }
    }

    /// <summary>
    /// Sets <paramref name="command"/>'s action to <paramref name="body"/> run through <see cref="Run"/>.
    /// The body gets the parse result and the invocation's output and error writers.
    /// </summary>
    public static void SetAction(Command command, Func<ParseResult, TextWriter, TextWriter, int> body)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(body);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            return Run(error, () => body(parse, output, error));
        });
    }

    /// <summary>Prints a warning line <c>promptor: warning: message</c>.</summary>
    public static void Warn(TextWriter error, string message)
    {
        ArgumentNullException.ThrowIfNull(error);
        error.WriteLine("promptor: warning: " + OneLine(message));
    }

    /// <summary>
    /// Fails unless <paramref name="path"/> may be written: it must not exist, or <paramref name="force"/>
    /// must be set. Nothing is written here.
    /// </summary>
    /// <exception cref="CommandException">The file exists and <paramref name="force"/> is false, or the path is a folder.</exception>
    public static void CheckOutputFile(string path, bool force)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            throw new CommandException($"{path} is a folder; give a file name");
        }
        if (File.Exists(path) && !force)
        {
            throw new CommandException($"{path} already exists; pass --force to overwrite it");
        }
    }

    /// <summary>
    /// Fails unless <paramref name="path"/> may receive output: it must not exist, be empty, or
    /// <paramref name="force"/> must be set.
    /// </summary>
    /// <exception cref="CommandException">The folder holds files and <paramref name="force"/> is false, or the path is a file.</exception>
    public static void CheckOutputFolder(string path, bool force)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
        {
            throw new CommandException($"{path} is a file, not a folder");
        }
        if (Directory.Exists(path) && !force && Directory.EnumerateFileSystemEntries(path).Any())
        {
            throw new CommandException($"{path} already exists and is not empty; pass --force to overwrite");
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
