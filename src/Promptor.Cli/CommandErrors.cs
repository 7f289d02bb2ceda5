using System.CommandLine;
using Promptor.Genomics.IO;

namespace Promptor.Cli;

/// <summary>
/// The error handling every command shares. Bad input — a <see cref="CommandException"/>, a
/// <see cref="DataFormatException"/> (which names file, line and field), a missing or unreadable file
/// (<see cref="IOException"/>, <see cref="UnauthorizedAccessException"/>, corrupt gzip
/// <see cref="InvalidDataException"/>) or options rejected by the library (<see cref="ArgumentException"/>) —
/// becomes one line <c>promptor: message</c> on the error writer and exit code <see cref="BadInput"/>.
/// Anything else is a bug and propagates to System.CommandLine's default handler.
/// </summary>
public static class CommandErrors
{
    /// <summary>The exit code of bad input.</summary>
    public const int BadInput = 2;

    /// <summary>
    /// Sets <paramref name="command"/>'s action to <paramref name="body"/> wrapped in the shared error
    /// handling. The body gets the parse result and the invocation's output and error writers.
    /// </summary>
    public static void SetAction(Command command, Func<ParseResult, TextWriter, TextWriter, int> body)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(body);
        command.SetAction(parseResult => Run(parseResult, body));
    }

    /// <summary>Runs <paramref name="body"/>, turning bad input into a one-line message and exit code 2.</summary>
    public static int Run(ParseResult parseResult, Func<ParseResult, TextWriter, TextWriter, int> body)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(body);
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        try
        {
            return body(parseResult, output, error);
        }
        catch (Exception e) when (IsBadInput(e))
        {
            error.WriteLine($"promptor: {OneLine(e.Message)}");
            return BadInput;
        }
    }

    /// <summary>Prints a warning line <c>promptor: warning: message</c>.</summary>
    public static void Warn(TextWriter error, string message)
    {
        ArgumentNullException.ThrowIfNull(error);
        error.WriteLine($"promptor: warning: {OneLine(message)}");
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

    private static bool IsBadInput(Exception e) =>
        e is CommandException or DataFormatException or IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException;

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
