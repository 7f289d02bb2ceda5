using Promptor.Genomics.IO;
using Promptor.Genomics.Training;
using Promptor.Nn.Serialization;

namespace Promptor.Cli;

/// <summary>
/// The one place commands turn bad input into a one-line message and exit code 2: data-format
/// errors (which name file, line and field), unreadable or malformed files, checkpoints of another
/// model, and invalid options. Anything else is a bug and propagates.
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
        catch (Exception ex) when (ex is DataFormatException or SafeTensorsFormatException or CheckpointMismatchException
            or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            error.WriteLine("promptor: " + OneLine(ex.Message));
            return BadInput;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
