using Promptor.Genomics.IO;

namespace Promptor.Genomics.Motifs;

/// <summary>
/// Reads a motif file of any supported format, recognised by its first non-blank line: <c>MEME version</c>
/// → MEME, <c>&gt;</c> → JASPAR, anything else → TRANSFAC.
/// </summary>
public static class MotifFiles
{
    /// <summary>The format of the file at <paramref name="path"/>, from its first non-blank, non-comment line.</summary>
    /// <exception cref="DataFormatException">The file is empty.</exception>
    public static MotifFormat DetectFormat(string path)
    {
        using var reader = DataFile.OpenText(path);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            string t = line.Trim();
            if (t.Length == 0 || t[0] == '#')
            {
                continue;
            }
            return t.StartsWith("MEME version", StringComparison.Ordinal) ? MotifFormat.Meme
                : t[0] == '>' ? MotifFormat.Jaspar
                : MotifFormat.Transfac;
        }
        throw new DataFormatException(path, 0, "motif file is empty", "motifs");
    }

    /// <summary>Reads every motif of the file at <paramref name="path"/>, whatever its format.</summary>
    /// <param name="path">A MEME, JASPAR or TRANSFAC file (plain or gzip).</param>
    /// <param name="pseudocount">Added to each count of JASPAR and TRANSFAC matrices; default 0.</param>
    /// <exception cref="DataFormatException">Empty or malformed file (the message names file, line and field).</exception>
    public static IReadOnlyList<Motif> Read(string path, float pseudocount = 0f) => DetectFormat(path) switch
    {
        MotifFormat.Meme => MemeReader.Read(path).Motifs,
        MotifFormat.Jaspar => JasparReader.Read(path, pseudocount),
        _ => TransfacReader.Read(path, pseudocount),
    };
}
