namespace Promptor.Genomics.IO;

/// <summary>
/// Malformed input in a data file. The message is one line naming the file, the line number and
/// the offending field, in the compiler style <c>file:line: message</c>, e.g.
/// <c>promoters.fa:12: illegal character 'X' in sequence of record 'YAL001C'</c>.
/// Every Promptor reader reports bad input with this exception.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="fileName"/> at 1-based <paramref name="lineNumber"/>.</summary>
    /// <param name="fileName">The file as the caller named it (a path or a label such as "stdin").</param>
    /// <param name="lineNumber">1-based line number; 0 when the problem concerns the whole file.</param>
    /// <param name="detail">What is wrong; it should name the field (column, record, key) involved.</param>
    /// <param name="field">The field involved (column name, record id, key), when there is one.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public DataFormatException(string fileName, int lineNumber, string detail, string? field = null, Exception? innerException = null)
        : base(Format(fileName, lineNumber, detail), innerException)
    {
        FileName = fileName;
        LineNumber = lineNumber;
        Detail = detail;
        Field = field;
    }

    /// <summary>The file as the caller named it.</summary>
    public string FileName { get; }

    /// <summary>1-based line number, or 0 when the problem concerns the whole file.</summary>
    public int LineNumber { get; }

    /// <summary>The field involved (column name, record id, key), or null.</summary>
    public string? Field { get; }

    /// <summary>The message without the <c>file:line:</c> prefix.</summary>
    public string Detail { get; }

    private static string Format(string fileName, int lineNumber, string detail)
    {
        string where = lineNumber > 0 ? $"{fileName}:{lineNumber}" : fileName;
        return $"{where}: {detail.ReplaceLineEndings(" ")}";
    }
}
