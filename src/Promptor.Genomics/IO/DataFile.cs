using System.IO.Compression;
using System.Text;

namespace Promptor.Genomics.IO;

/// <summary>
/// Opening data files for reading and writing them atomically. Gzip input (including multi-member
/// gzip such as bgzip/BGZF, which <see cref="GZipStream"/> reads as one stream) is recognised by its
/// magic bytes, whatever the extension; output is gzip-compressed when the path ends in <c>.gz</c>.
/// </summary>
public static class DataFile
{
    /// <summary>True when <paramref name="path"/> ends in <c>.gz</c> or <c>.bgz</c> (case-insensitive).</summary>
    public static bool IsGzipPath(string path) =>
        path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".bgz", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The file name without a trailing <c>.gz</c>/<c>.bgz</c>, for extension-based format detection
    /// (<c>table.tsv.gz</c> → <c>table.tsv</c>).
    /// </summary>
    public static string StripCompressionExtension(string path)
    {
        foreach (var ext in (ReadOnlySpan<string>)[".gz", ".bgz"])
        {
            if (path.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
            {
                return path[..^ext.Length];
            }
        }
        return path;
    }

    /// <summary>
    /// Opens a file for reading as UTF-8 text (a byte-order mark is skipped), decompressing it when it
    /// starts with the gzip magic bytes. All line endings (<c>\n</c>, <c>\r\n</c>, <c>\r</c>) are accepted.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static StreamReader OpenText(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            Stream stream = read == 2 && magic[0] == 0x1f && magic[1] == 0x8b
                ? new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16)
                : file;
            return new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes a text file atomically: the content goes to a temporary file in the same directory,
    /// which is flushed to disk and then moved over <paramref name="path"/>. A crash or an exception in
    /// <paramref name="write"/> leaves any existing file untouched (and no temporary file behind).
    /// Compressed with gzip when the path ends in <c>.gz</c>. Line endings are <c>\n</c>.
    /// </summary>
    public static void WriteTextAtomic(string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        WriteAtomic(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            write(writer);
        });
    }

    /// <summary>
    /// Writes a binary file atomically (temporary file in the same directory, flush to disk, rename
    /// over <paramref name="path"/>), gzip-compressed when the path ends in <c>.gz</c>.
    /// </summary>
    public static void WriteAtomic(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                if (IsGzipPath(full))
                {
                    using (var gzip = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true))
                    {
                        write(gzip);
                    }
                }
                else
                {
                    write(file);
                }
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
                // best effort: the original error matters more
            }
            throw;
        }
    }
}
