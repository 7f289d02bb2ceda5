using System.Text;

namespace Promptor.Nn.Serialization;

/// <summary>
/// All-or-nothing file writes: the content goes to a temporary file in the target's directory,
/// is flushed to disk, and only then renamed over the target. A crash or an exception at any point
/// leaves either the previous file or the complete new one — never a torn file — and no temporary
/// file after an exception. (The rename itself is atomic; making the rename durable across a power
/// loss would also need a sync of the directory, which .NET does not expose.)
/// Use it for every output file: checkpoints, run.json, metrics, reports.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="write"/>, atomically. The callback gets
    /// a writable, seekable stream; it must not dispose it. If the callback throws, the exception
    /// propagates, the temporary file is deleted and an existing file at <paramref name="path"/> is
    /// left untouched.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        string fileName = Path.GetFileName(full);
        if (fileName.Length == 0)
        {
            throw new ArgumentException($"'{path}' names a directory, not a file.", nameof(path));
        }
        // Hidden, unique and short enough for a 255-byte name limit.
        string stem = fileName.Length > 100 ? fileName[..100] : fileName;
        string temp = Path.Combine(directory, $".{stem}.{Guid.NewGuid():N}.tmp");
        bool moved = false;
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
            moved = true;
        }
        finally
        {
            if (!moved)
            {
                TryDelete(temp);
            }
        }
    }

    /// <summary>Writes <paramref name="contents"/> as UTF-8 (no byte-order mark), atomically.</summary>
    public static void WriteAllText(string path, string contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        WriteAllBytes(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(contents));
    }

    /// <summary>Writes <paramref name="bytes"/>, atomically.</summary>
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Write(path, s => s.Write(bytes));
    }

    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (IOException)
        {
            // Best effort: the original exception matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
