namespace Promptor.Cli;

/// <summary>
/// A problem with the user's input that a command reports as one line (<c>promptor: message</c>) with
/// exit code 2, e.g. an output folder that already holds files. Throw it from a command's body; the
/// wrapper of <see cref="CommandErrors"/> prints it.
/// </summary>
public sealed class CommandException : Exception
{
    /// <summary>Creates the exception; <paramref name="message"/> should name the file, line or flag involved.</summary>
    public CommandException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the error that caused it.</summary>
    public CommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
