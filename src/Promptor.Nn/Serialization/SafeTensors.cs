using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Promptor.Tensors;

namespace Promptor.Nn.Serialization;

/// <summary>
/// Reads and writes the safetensors format (Hugging Face): an 8-byte little-endian unsigned
/// header length N, N bytes of UTF-8 JSON
/// <c>{"__metadata__": {str: str}, "name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, …}</c>
/// padded with spaces, then the data section, where each tensor occupies
/// <c>[begin, end)</c> as raw little-endian row-major values.
/// <para>
/// Writing (<see cref="Save"/>) produces float32 tensors sorted by name (ordinal), packed without
/// gaps, the metadata first, the header padded to a multiple of 8 bytes; the write is atomic
/// (<see cref="AtomicFile"/>). The same content always gives the same bytes.
/// </para>
/// <para>
/// Reading (<see cref="ReadHeader"/>, <see cref="Load"/>) validates the whole header before any
/// tensor is allocated, so a corrupt or hostile file costs at most its own size in memory:
/// the file holds the 8-byte prefix; N ≤ <see cref="MaxHeaderLength"/> and N ≤ file length − 8;
/// the header is UTF-8 JSON whose root is an object; names are unique; <c>__metadata__</c>, if
/// present, maps strings to strings; every other entry is an object with a known <c>dtype</c>
/// string, a <c>shape</c> array of integers in [0, 2³¹ − 1] and a <c>data_offsets</c> array of two
/// non-negative integers with begin ≤ end ≤ data length; the element count (overflow-checked, at
/// most <see cref="Array.MaxLength"/>) times the dtype size equals end − begin; and non-empty
/// ranges do not overlap. Unknown fields inside an entry are ignored. Unlike the reference Rust
/// reader, gaps between ranges and unused trailing bytes are accepted. Every violation throws
/// <see cref="SafeTensorsFormatException"/>.
/// </para>
/// </summary>
public static class SafeTensors
{
    /// <summary>Largest header accepted when reading, in bytes (100 MB, as the reference implementation).</summary>
    public const long MaxHeaderLength = 100_000_000;

    private const string MetadataKey = "__metadata__";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes <paramref name="tensors"/> as float32 with optional string <paramref name="metadata"/>
    /// to <paramref name="path"/>, atomically (an existing file is replaced only once the new one is
    /// complete on disk). Names must not be <c>"__metadata__"</c>.
    /// </summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] header = BuildHeader(tensors, metadata, out var ordered);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            foreach (var t in ordered)
            {
                WriteFloats(stream, t.Data);
            }
        });
    }

    private static byte[] BuildHeader(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata, out List<Tensor> ordered)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        ordered = new List<Tensor>(names.Count);
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            if (metadata is not null)
            {
                w.WriteStartObject(MetadataKey);
                foreach (var key in metadata.Keys.Order(StringComparer.Ordinal))
                {
                    w.WriteString(key, metadata[key] ?? throw new ArgumentException($"Metadata value of '{key}' is null.", nameof(metadata)));
                }
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var name in names)
            {
                if (name == MetadataKey)
                {
                    throw new ArgumentException($"'{MetadataKey}' is reserved and cannot name a tensor.", nameof(tensors));
                }
                var t = tensors[name] ?? throw new ArgumentException($"Tensor '{name}' is null.", nameof(tensors));
                ordered.Add(t);
                w.WriteStartObject(name);
                w.WriteString("dtype", "F32");
                w.WriteStartArray("shape");
                foreach (int d in t.Shape.Dims)
                {
                    w.WriteNumberValue(d);
                }
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                offset += 4L * t.Size;
                w.WriteNumberValue(offset);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static void WriteFloats(Stream stream, float[] data)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(data.AsSpan()));
            return;
        }
        byte[] chunk = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            for (int start = 0; start < data.Length;)
            {
                int n = Math.Min(data.Length - start, chunk.Length / 4);
                for (int i = 0; i < n; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(chunk.AsSpan(4 * i), data[start + i]);
                }
                stream.Write(chunk, 0, 4 * n);
                start += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>Reads and validates the header of <paramref name="path"/> without reading tensor data.</summary>
    /// <exception cref="SafeTensorsFormatException">The file is not valid safetensors (see the class remarks for what is checked).</exception>
    public static SafeTensorsHeader ReadHeader(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        return ReadHeaderFrom(stream, path);
    }

    /// <summary>
    /// Reads every tensor of <paramref name="path"/> as float32 (F32, F16, BF16, F64, integer and
    /// bool types are converted), with the metadata. The header is validated in full, and every
    /// dtype checked for readability, before any tensor is allocated.
    /// </summary>
    /// <exception cref="SafeTensorsFormatException">The file is invalid, or holds a dtype that cannot be read as float32 (8-bit floats).</exception>
    public static SafeTensorsFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var header = ReadHeaderFrom(stream, path);
        foreach (var e in header.Entries)
        {
            if (e.DType is SafeTensorsDType.F8E4M3 or SafeTensorsDType.F8E5M2)
            {
                throw new SafeTensorsFormatException(path, $"dtype {DTypeName(e.DType)} cannot be read as float32.", e.Name, "dtype");
            }
        }
        var loaded = new Dictionary<string, Tensor>(header.Entries.Count, StringComparer.Ordinal);
        foreach (var e in header.Entries.OrderBy(e => e.Begin))
        {
            var data = new float[e.ElementCount];
            try
            {
                stream.Position = header.DataOffset + e.Begin;
                ReadValues(stream, e.DType, data);
            }
            catch (EndOfStreamException ex)
            {
                throw new SafeTensorsFormatException(path, "the file ended before the tensor's data (was it truncated while being read?).", e.Name, "data_offsets", ex);
            }
            loaded[e.Name] = new Tensor(new Shape(e.Shape.ToArray()), data);
        }
        var tensors = new Dictionary<string, Tensor>(loaded.Count, StringComparer.Ordinal);
        var dtypes = new Dictionary<string, SafeTensorsDType>(loaded.Count, StringComparer.Ordinal);
        foreach (var e in header.Entries)
        {
            tensors[e.Name] = loaded[e.Name];
            dtypes[e.Name] = e.DType;
        }
        return new SafeTensorsFile(tensors, header.Metadata, dtypes);
    }

    private static SafeTensorsHeader ReadHeaderFrom(Stream stream, string path)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
        {
            throw new SafeTensorsFormatException(path, $"the file is {fileLength} bytes long, shorter than the 8-byte header length prefix.");
        }
        Span<byte> prefix = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderLength)
        {
            throw new SafeTensorsFormatException(path, $"the header length {headerLength} exceeds the limit of {MaxHeaderLength} bytes.");
        }
        if (headerLength > (ulong)(fileLength - 8))
        {
            throw new SafeTensorsFormatException(path, $"the header length {headerLength} is larger than the {fileLength - 8} bytes that follow the prefix.");
        }
        var bytes = new byte[headerLength];
        stream.ReadExactly(bytes);
        long dataOffset = 8 + (long)headerLength;
        return ParseHeader(bytes, path, dataOffset, fileLength - dataOffset);
    }

    private static SafeTensorsHeader ParseHeader(byte[] bytes, string path, long dataOffset, long dataLength)
    {
        if (!Utf8.IsValid(bytes))
        {
            throw new SafeTensorsFormatException(path, "the header is not valid UTF-8.");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw new SafeTensorsFormatException(path, $"the header is not valid JSON ({ex.Message})", inner: ex);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SafeTensorsFormatException(path, $"the header must be a JSON object, found {root.ValueKind}.");
            }
            var names = new HashSet<string>(StringComparer.Ordinal);
            var entries = new List<SafeTensorsEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                string name = property.Name;
                if (!names.Add(name))
                {
                    throw new SafeTensorsFormatException(path, "the name appears more than once in the header.", name);
                }
                if (name == MetadataKey)
                {
                    ParseMetadata(property.Value, path, metadata);
                }
                else
                {
                    entries.Add(ParseEntry(name, property.Value, path, dataLength));
                }
            }
            CheckOverlaps(entries, path);
            entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return new SafeTensorsHeader(entries, metadata, dataOffset, dataLength);
        }
    }

    private static void ParseMetadata(JsonElement value, string path, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SafeTensorsFormatException(path, $"'{MetadataKey}' must be an object of strings, found {value.ValueKind}.");
        }
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw new SafeTensorsFormatException(path, $"'{MetadataKey}' entry '{item.Name}' must be a string, found {item.Value.ValueKind}.");
            }
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw new SafeTensorsFormatException(path, $"'{MetadataKey}' has the key '{item.Name}' more than once.");
            }
        }
    }

    private static SafeTensorsEntry ParseEntry(string name, JsonElement value, string path, long dataLength)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SafeTensorsFormatException(path, $"the entry must be an object, found {value.ValueKind}.", name);
        }
        JsonElement? dtypeField = null, shapeField = null, offsetsField = null;
        foreach (var field in value.EnumerateObject())
        {
            ref JsonElement? slot = ref dtypeField;
            switch (field.Name)
            {
                case "dtype":
                    break;
                case "shape":
                    slot = ref shapeField;
                    break;
                case "data_offsets":
                    slot = ref offsetsField;
                    break;
                default:
                    continue; // unknown fields are ignored
            }
            if (slot is not null)
            {
                throw new SafeTensorsFormatException(path, "the field appears more than once.", name, field.Name);
            }
            slot = field.Value;
        }

        var dtypeElement = dtypeField ?? throw Missing("dtype");
        if (dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw new SafeTensorsFormatException(path, $"expected a string, found {dtypeElement.ValueKind}.", name, "dtype");
        }
        string dtypeText = dtypeElement.GetString()!;
        if (!TryParseDType(dtypeText, out var dtype))
        {
            throw new SafeTensorsFormatException(path, $"unknown dtype '{dtypeText}'.", name, "dtype");
        }

        var shapeElement = shapeField ?? throw Missing("shape");
        if (shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw new SafeTensorsFormatException(path, $"expected an array of integers, found {shapeElement.ValueKind}.", name, "shape");
        }
        var shape = new int[shapeElement.GetArrayLength()];
        int k = 0;
        bool anyZero = false;
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long dim))
            {
                throw new SafeTensorsFormatException(path, $"dimension {k} is not an integer ({d.GetRawText()}).", name, "shape");
            }
            if (dim < 0)
            {
                throw new SafeTensorsFormatException(path, $"dimension {k} is negative ({dim}).", name, "shape");
            }
            if (dim > int.MaxValue)
            {
                throw new SafeTensorsFormatException(path, $"dimension {k} ({dim}) exceeds {int.MaxValue}.", name, "shape");
            }
            anyZero |= dim == 0;
            shape[k++] = (int)dim;
        }
        long count = 1;
        if (anyZero)
        {
            count = 0;
        }
        else
        {
            foreach (int d in shape)
            {
                count *= d; // both factors ≤ 2³¹ − 1 and count is capped below, so this cannot overflow
                if (count > Array.MaxLength)
                {
                    throw new SafeTensorsFormatException(path, $"shape ({string.Join(", ", shape)}) holds more than {Array.MaxLength} elements.", name, "shape");
                }
            }
        }

        var offsetsElement = offsetsField ?? throw Missing("data_offsets");
        if (offsetsElement.ValueKind != JsonValueKind.Array || offsetsElement.GetArrayLength() != 2)
        {
            throw new SafeTensorsFormatException(path, $"expected an array [begin, end], found {Shorten(offsetsElement.GetRawText())}.", name, "data_offsets");
        }
        var begin = ReadOffset(offsetsElement[0], "begin");
        var end = ReadOffset(offsetsElement[1], "end");
        if (begin > end)
        {
            throw new SafeTensorsFormatException(path, $"begin {begin} is after end {end}.", name, "data_offsets");
        }
        if (end > (ulong)dataLength)
        {
            throw new SafeTensorsFormatException(path, $"range [{begin}, {end}) lies outside the {dataLength}-byte data section.", name, "data_offsets");
        }
        long byteLength = count * DTypeSize(dtype);
        if ((long)(end - begin) != byteLength)
        {
            throw new SafeTensorsFormatException(path,
                $"shape ({string.Join(", ", shape)}) of {DTypeName(dtype)} needs {byteLength} bytes but the range [{begin}, {end}) has {end - begin}.", name, "data_offsets");
        }
        return new SafeTensorsEntry(name, dtype, shape, (long)begin, (long)end);

        SafeTensorsFormatException Missing(string field) => new(path, "the field is missing.", name, field);

        ulong ReadOffset(JsonElement e, string which) =>
            e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out ulong v)
                ? v
                : throw new SafeTensorsFormatException(path, $"{which} is not a non-negative integer ({Shorten(e.GetRawText())}).", name, "data_offsets");
    }

    private static void CheckOverlaps(List<SafeTensorsEntry> entries, string path)
    {
        var ranges = entries.Where(e => e.End > e.Begin).OrderBy(e => e.Begin).ToList();
        for (int i = 1; i < ranges.Count; i++)
        {
            if (ranges[i].Begin < ranges[i - 1].End)
            {
                throw new SafeTensorsFormatException(path,
                    $"range [{ranges[i].Begin}, {ranges[i].End}) overlaps tensor '{ranges[i - 1].Name}' at [{ranges[i - 1].Begin}, {ranges[i - 1].End}).",
                    ranges[i].Name, "data_offsets");
            }
        }
    }

    private static void ReadValues(Stream stream, SafeTensorsDType dtype, float[] destination)
    {
        if (dtype == SafeTensorsDType.F32)
        {
            stream.ReadExactly(MemoryMarshal.AsBytes(destination.AsSpan()));
            if (!BitConverter.IsLittleEndian)
            {
                var bits = MemoryMarshal.Cast<float, int>(destination.AsSpan());
                BinaryPrimitives.ReverseEndianness(bits, bits);
            }
            return;
        }
        int size = DTypeSize(dtype);
        byte[] chunk = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int perChunk = chunk.Length / size;
            for (int start = 0; start < destination.Length;)
            {
                int n = Math.Min(perChunk, destination.Length - start);
                var src = chunk.AsSpan(0, n * size);
                stream.ReadExactly(src);
                Convert(dtype, src, destination.AsSpan(start, n));
                start += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static void Convert(SafeTensorsDType dtype, ReadOnlySpan<byte> src, Span<float> dst)
    {
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = dtype switch
            {
                SafeTensorsDType.Bool => src[i] != 0 ? 1f : 0f,
                SafeTensorsDType.U8 => src[i],
                SafeTensorsDType.I8 => (sbyte)src[i],
                SafeTensorsDType.I16 => BinaryPrimitives.ReadInt16LittleEndian(src[(2 * i)..]),
                SafeTensorsDType.U16 => BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..]),
                SafeTensorsDType.F16 => (float)BinaryPrimitives.ReadHalfLittleEndian(src[(2 * i)..]),
                SafeTensorsDType.BF16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..]) << 16),
                SafeTensorsDType.I32 => BinaryPrimitives.ReadInt32LittleEndian(src[(4 * i)..]),
                SafeTensorsDType.U32 => BinaryPrimitives.ReadUInt32LittleEndian(src[(4 * i)..]),
                SafeTensorsDType.F64 => (float)BinaryPrimitives.ReadDoubleLittleEndian(src[(8 * i)..]),
                SafeTensorsDType.I64 => BinaryPrimitives.ReadInt64LittleEndian(src[(8 * i)..]),
                SafeTensorsDType.U64 => BinaryPrimitives.ReadUInt64LittleEndian(src[(8 * i)..]),
                _ => throw new NotSupportedException($"dtype {dtype} cannot be converted."),
            };
        }
    }

    /// <summary>Bytes per element of <paramref name="dtype"/>.</summary>
    public static int DTypeSize(SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.Bool or SafeTensorsDType.U8 or SafeTensorsDType.I8 or SafeTensorsDType.F8E4M3 or SafeTensorsDType.F8E5M2 => 1,
        SafeTensorsDType.I16 or SafeTensorsDType.U16 or SafeTensorsDType.F16 or SafeTensorsDType.BF16 => 2,
        SafeTensorsDType.I32 or SafeTensorsDType.U32 or SafeTensorsDType.F32 => 4,
        SafeTensorsDType.I64 or SafeTensorsDType.U64 or SafeTensorsDType.F64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>The header spelling of <paramref name="dtype"/> (<c>"F32"</c>, <c>"BF16"</c>, <c>"F8_E4M3"</c>, …).</summary>
    public static string DTypeName(SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.Bool => "BOOL",
        SafeTensorsDType.F8E4M3 => "F8_E4M3",
        SafeTensorsDType.F8E5M2 => "F8_E5M2",
        _ => dtype.ToString(),
    };

    private static bool TryParseDType(string text, out SafeTensorsDType dtype)
    {
        foreach (var candidate in Enum.GetValues<SafeTensorsDType>())
        {
            if (DTypeName(candidate) == text)
            {
                dtype = candidate;
                return true;
            }
        }
        dtype = default;
        return false;
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : string.Concat(s.AsSpan(0, 40), "…");
}
