namespace Promptor.Genomics.Training;

/// <summary>
/// A checkpoint or run that does not fit what it is loaded into (another model kind, other options,
/// another major Promptor version, other data). The message is one line naming the file and the
/// difference, ready to print.
/// </summary>
public sealed class CheckpointMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CheckpointMismatchException(string path, string message, Exception? inner = null)
        : base(message, inner)
    {
        Path = path;
    }

    /// <summary>The file that did not fit.</summary>
    public string Path { get; }
}
