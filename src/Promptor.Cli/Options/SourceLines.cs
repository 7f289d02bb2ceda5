using Promptor.Genomics.IO;

namespace Promptor.Cli.Options;

/// <summary>Finds where a record or gene is in a text file, so that errors found after parsing can still name the line.</summary>
public static class SourceLines
{
    /// <summary>The 1-based line of the header <c>&gt;id</c> in a FASTA file (plain or gzip), or 0 when not found.</summary>
    public static int HeaderLine(string path, string id)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(id);
        using var reader = DataFile.OpenText(path);
        int number = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            if (line.StartsWith('>') && HeaderId(line) == id)
            {
                return number;
            }
        }
        return 0;
    }

    /// <summary>The 1-based line of the first row of a delimited table (plain or gzip) with a field equal to <paramref name="value"/>, or 0.</summary>
    public static int LineOfField(string path, string value)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(value);
        using var reader = DataFile.OpenText(path);
        int number = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            if (number > 1 && line.Split('\t', ',').Any(f => f.Trim().Trim('"') == value))
            {
                return number;
            }
        }
        return 0;
    }

    /// <summary>The name of the first column in the header of a delimited table (plain or gzip).</summary>
    public static string FirstColumn(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = DataFile.OpenText(path);
        string? line;
        while ((line = reader.ReadLine()) is not null && string.IsNullOrWhiteSpace(line))
        {
        }
        if (line is null)
        {
            return "gene";
        }
        char delimiter = DelimitedText.DelimiterFromPath(path) ?? DelimitedText.DelimiterFromHeader(line);
        return (DelimitedText.Split(line, delimiter)?.FirstOrDefault() ?? "gene").Trim();
    }

    private static string HeaderId(string line)
    {
        var rest = line.AsSpan(1).TrimStart();
        int end = rest.IndexOfAny(' ', '\t');
        return (end < 0 ? rest : rest[..end]).ToString();
    }
}
