using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Promptor.Nn.Serialization;

namespace Promptor.Genomics.IO;

/// <summary>
/// Writes float32 arrays as NumPy <c>.npy</c> files, format version 1.0, so that Python reads them with
/// <c>numpy.load</c>: the magic <c>\x93NUMPY</c>, version bytes 1 0, a little-endian uint16 header
/// length, an ASCII header <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (…), }</c> padded with
/// spaces and ended by a newline so the data starts at a multiple of 64 bytes (as NumPy pads), then the
/// values as little-endian float32 in C order. The bytes equal those of <c>numpy.save</c> for the same array.
/// </summary>
public static class NpyWriter
{
    /// <summary>The 6-byte magic string that starts every .npy file.</summary>
    internal static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    private const int Alignment = 64;

    /// <summary>Writes <paramref name="data"/> with <paramref name="shape"/> to <paramref name="path"/> atomically.</summary>
    /// <exception cref="ArgumentException">The shape has a negative dimension or does not match the data length.</exception>
    public static void Write(string path, IReadOnlyList<int> shape, float[] data)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Check(shape, data);
        AtomicFile.Write(path, stream => Write(stream, shape, data));
    }

    /// <summary>Writes <paramref name="array"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        Write(path, array.Shape, array.Data);
    }

    /// <summary>Writes the .npy bytes of <paramref name="data"/> with <paramref name="shape"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IReadOnlyList<int> shape, float[] data)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Check(shape, data);
        stream.Write(Header(shape));
        var buffer = new byte[4 * Math.Min(data.Length, 16384)];
        for (int start = 0; start < data.Length; start += buffer.Length / 4)
        {
            int count = Math.Min(buffer.Length / 4, data.Length - start);
            for (int i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(4 * i), data[start + i]);
            }
            stream.Write(buffer, 0, 4 * count);
        }
    }

    /// <summary>The complete header (magic through the newline) for a float32 C-order array of <paramref name="shape"/>.</summary>
    public static byte[] Header(IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        string dims = shape.Count == 1
            ? shape[0].ToString(CultureInfo.InvariantCulture) + ","
            : string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        int preamble = Magic.Length + 2 + 2;
        int total = preamble + dict.Length + 1;
        int padded = (total + Alignment - 1) / Alignment * Alignment;
        int headerLength = padded - preamble;
        if (headerLength > ushort.MaxValue)
        {
            throw new ArgumentException($"A shape of {shape.Count} dimensions does not fit a version 1.0 header.", nameof(shape));
        }
        var bytes = new byte[padded];
        Magic.CopyTo(bytes);
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        Encoding.ASCII.GetBytes(dict, bytes.AsSpan(preamble));
        bytes.AsSpan(preamble + dict.Length, padded - preamble - dict.Length - 1).Fill((byte)' ');
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    private static void Check(IReadOnlyList<int> shape, float[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long size = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Dimensions must be ≥ 0, got ({string.Join(", ", shape)}).", nameof(shape));
            }
            size *= d;
        }
        if (size != data.LongLength)
        {
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) holds {size} values but {data.Length} were given.", nameof(data));
        }
    }
}
