using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Promptor.Genomics.IO;

/// <summary>
/// Reads NumPy <c>.npy</c> files holding little-endian float32 (<c>&lt;f4</c>) arrays in C order, format
/// versions 1.0, 2.0 and 3.0 (as <c>numpy.save</c> writes them). Other element types, Fortran order and
/// truncated files are refused with a one-line <see cref="DataFormatException"/> naming the file and field.
/// </summary>
public static partial class NpyReader
{
    /// <summary>Reads the array in <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The file is not a float32 C-order .npy file.</exception>
    public static NpyArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads an array from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static NpyArray Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        var preamble = new byte[8];
        if (stream.ReadAtLeast(preamble, 8, throwOnEndOfStream: false) < 8 || !preamble.AsSpan(0, 6).SequenceEqual(NpyWriter.Magic))
        {
            throw Error(sourceName, "not a NumPy .npy file (the magic string \\x93NUMPY is missing)", "magic");
        }
        int major = preamble[6];
        int headerLength;
        if (major == 1)
        {
            var b = new byte[2];
            ReadExactly(stream, b, sourceName, "header length");
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(b);
        }
        else if (major is 2 or 3)
        {
            var b = new byte[4];
            ReadExactly(stream, b, sourceName, "header length");
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(b);
            headerLength = length > 1 << 24 ? throw Error(sourceName, $"header length {length} is implausible", "header length") : (int)length;
        }
        else
        {
            throw Error(sourceName, $"format version {major}.{preamble[7]} is not supported (1.0, 2.0 or 3.0 expected)", "version");
        }
        var headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, sourceName, "header");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var shape = ParseHeader(header, sourceName);

        long size = 1;
        foreach (int d in shape)
        {
            size = checked(size * d);
        }
        if (size > Array.MaxLength)
        {
            throw Error(sourceName, $"{size} values are too many for one array", "shape");
        }
        var data = new float[size];
        var buffer = new byte[4 * Math.Min(size, 16384)];
        for (long start = 0; start < size; start += buffer.Length / 4)
        {
            int count = (int)Math.Min(buffer.Length / 4, size - start);
            ReadExactly(stream, buffer.AsSpan(0, 4 * count), sourceName, "data");
            for (int i = 0; i < count; i++)
            {
                data[start + i] = BinaryPrimitives.ReadSingleLittleEndian(buffer.AsSpan(4 * i));
            }
        }
        return new NpyArray(shape, data);
    }

    private static int[] ParseHeader(string header, string sourceName)
    {
        var descr = DescrPattern().Match(header);
        if (!descr.Success)
        {
            throw Error(sourceName, "the header has no 'descr'", "descr");
        }
        if (descr.Groups[1].Value != "<f4")
        {
            throw Error(sourceName, $"element type '{descr.Groups[1].Value}' is not supported; expected little-endian float32 '<f4'", "descr");
        }
        var order = FortranPattern().Match(header);
        if (!order.Success)
        {
            throw Error(sourceName, "the header has no 'fortran_order'", "fortran_order");
        }
        if (order.Groups[1].Value == "True")
        {
            throw Error(sourceName, "Fortran-order arrays are not supported; save with C order (numpy.ascontiguousarray)", "fortran_order");
        }
        var shape = ShapePattern().Match(header);
        if (!shape.Success)
        {
            throw Error(sourceName, "the header has no 'shape' tuple", "shape");
        }
        var dims = new List<int>();
        foreach (var part in shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out int d))
            {
                throw Error(sourceName, $"shape entry '{part}' is not a non-negative integer", "shape");
            }
            dims.Add(d);
        }
        return [.. dims];
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string sourceName, string field)
    {
        if (stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length)
        {
            throw Error(sourceName, $"the file ends inside the {field}", field);
        }
    }

    private static DataFormatException Error(string sourceName, string detail, string field) => new(sourceName, 0, detail, field);

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
