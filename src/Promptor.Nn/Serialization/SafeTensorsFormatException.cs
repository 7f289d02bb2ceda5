namespace Promptor.Nn.Serialization;

/// <summary>
/// A file is not a valid (or not a readable) safetensors file. The message names the file and,
/// where it applies, the tensor and header field at fault. An <see cref="IOException"/>, so code
/// that handles I/O failures of a checkpoint handles this too.
/// </summary>
public sealed class SafeTensorsFormatException : IOException
{
    /// <summary>Creates the exception; <paramref name="message"/> describes the problem.</summary>
    public SafeTensorsFormatException(string filePath, string message, string? tensorName = null, string? field = null, Exception? inner = null)
        : base(Compose(filePath, message, tensorName, field), inner)
    {
        FilePath = filePath;
        TensorName = tensorName;
        Field = field;
    }

    /// <summary>The file being read.</summary>
    public string FilePath { get; }

    /// <summary>The tensor whose entry is at fault, if any.</summary>
    public string? TensorName { get; }

    /// <summary>The header field at fault (<c>dtype</c>, <c>shape</c>, <c>data_offsets</c>, …), if any.</summary>
    public string? Field { get; }

    private static string Compose(string filePath, string message, string? tensorName, string? field)
    {
        string where = tensorName is null ? "" : field is null ? $" tensor '{tensorName}':" : $" tensor '{tensorName}', field '{field}':";
        return $"Invalid safetensors file '{filePath}':{where} {message}";
    }
}
