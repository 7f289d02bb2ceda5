using System.Text;

namespace Promptor.Genomics.IO;

/// <summary>
/// Splitting of delimited text lines (TSV, CSV) and delimiter detection. Fields may be enclosed in
/// double quotes (a doubled quote inside stands for one), as spreadsheets write them; the quotes are
/// removed. Surrounding spaces of unquoted fields are kept.
/// </summary>
public static class DelimitedText
{
    /// <summary>
    /// The delimiter implied by a file name: <c>,</c> for <c>.csv</c>, tab for <c>.tsv</c>, <c>.tab</c>
    /// and <c>.txt</c> (a trailing <c>.gz</c> is ignored); null when the extension says nothing.
    /// </summary>
    public static char? DelimiterFromPath(string path)
    {
        string ext = Path.GetExtension(DataFile.StripCompressionExtension(path)).ToLowerInvariant();
        return ext switch
        {
            ".csv" => ',',
            ".tsv" or ".tab" or ".txt" => '\t',
            _ => null,
        };
    }

    /// <summary>Tab when <paramref name="headerLine"/> contains a tab, otherwise comma.</summary>
    public static char DelimiterFromHeader(string headerLine) => headerLine.Contains('\t') ? '\t' : ',';

    /// <summary>Splits one line into fields at <paramref name="delimiter"/>, honouring double quotes.</summary>
    /// <returns>Null when a quoted field is not closed on this line.</returns>
    public static List<string>? Split(string line, char delimiter)
    {
        var fields = new List<string>();
        if (!line.Contains('"'))
        {
            fields.AddRange(line.Split(delimiter));
            return fields;
        }
        var current = new StringBuilder();
        int i = 0;
        while (true)
        {
            current.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                bool closed = false;
                while (i < line.Length)
                {
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            current.Append('"');
                            i += 2;
                            continue;
                        }
                        closed = true;
                        i++;
                        break;
                    }
                    current.Append(line[i++]);
                }
                if (!closed)
                {
                    return null;
                }
                // Text between the closing quote and the delimiter is kept verbatim.
                while (i < line.Length && line[i] != delimiter)
                {
                    current.Append(line[i++]);
                }
            }
            else
            {
                while (i < line.Length && line[i] != delimiter)
                {
                    current.Append(line[i++]);
                }
            }
            fields.Add(current.ToString());
            if (i >= line.Length)
            {
                return fields;
            }
            i++; // skip the delimiter
        }
    }
}
