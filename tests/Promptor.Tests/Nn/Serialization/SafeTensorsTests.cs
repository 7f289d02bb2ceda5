using System.Buffers.Binary;
using System.Text;
using Promptor.Nn.Serialization;
using Promptor.Tensors;

namespace Promptor.Tests.Nn.Serialization;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string dir = NnTestUtil.NewTempDirectory();

    public void Dispose() => NnTestUtil.DeleteDirectory(dir);

    private string PathOf(string name) => Path.Combine(dir, name);

    /// <summary>A file laid out by hand: prefix (declared header length), header text, data.</summary>
    internal static byte[] Build(string header, byte[] data, ulong? declaredLength = null) =>
        BuildRaw(Encoding.UTF8.GetBytes(header), data, declaredLength);

    /// <summary>As <see cref="Build"/> with the header given as raw bytes.</summary>
    internal static byte[] BuildRaw(byte[] headerBytes, byte[] data, ulong? declaredLength = null)
    {
        var bytes = new byte[8 + headerBytes.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength ?? (ulong)headerBytes.Length);
        headerBytes.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + headerBytes.Length);
        return bytes;
    }

    internal static byte[] Floats(params float[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        }
        return bytes;
    }

    [Fact]
    public void RoundTripKeepsValuesShapesAndMetadata()
    {
        var tensors = new Dictionary<string, Tensor>
        {
            ["weight"] = Tensor.FromArray([1, -2.5f, 3e-8f, float.MaxValue, float.NegativeInfinity, float.NaN], 2, 3),
            ["bias"] = Tensor.FromArray([0.25f, -0f]),
            ["scalar"] = Tensor.Scalar(7.5f),
            ["empty"] = Tensor.Zeros(0, 4),
            ["blocks.0.fc.weight"] = Tensor.Arange(0, 24).Reshape(2, 3, 4),
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["options"] = "{\"d\": 64, \"name\": \"é✓\\n\"}" };
        string path = PathOf("model.safetensors");
        SafeTensors.Save(path, tensors, metadata);

        var file = SafeTensors.Load(path);
        Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), file.Tensors.Keys);
        foreach (var (name, t) in tensors)
        {
            Assert.Equal(t.Shape, file.Tensors[name].Shape);
            Assert.Equal(t.ToArray(), file.Tensors[name].ToArray());
            Assert.Equal(SafeTensorsDType.F32, file.DTypes[name]);
        }
        Assert.Equal(0, file.Tensors["scalar"].Rank);
        Assert.Equal(7.5f, file.Tensors["scalar"].Item());
        Assert.Equal(0, file.Tensors["empty"].Size);
        Assert.Equal(metadata, file.Metadata);
    }

    [Fact]
    public void LayoutFollowsTheSpec()
    {
        string path = PathOf("layout.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["b"] = Tensor.FromArray([1, 2]), ["a"] = Tensor.FromArray([3f]) });
        var bytes = File.ReadAllBytes(path);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, n % 8);
        Assert.Equal((long)(8 + n + 12), bytes.Length);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.StartsWith("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", header);
        Assert.Equal(header.TrimEnd(' '), header.TrimEnd(' ').Trim());
        Assert.Equal(Floats(3, 1, 2), bytes[(8 + (int)n)..]);

        var h = SafeTensors.ReadHeader(path);
        Assert.Equal(["a", "b"], h.Entries.Select(e => e.Name));
        Assert.Equal(8 + (long)n, h.DataOffset);
        Assert.Equal(12, h.DataLength);
        Assert.Empty(h.Metadata);
    }

    [Fact]
    public void SavingIsDeterministic()
    {
        var tensors = new Dictionary<string, Tensor> { ["x"] = Tensor.Arange(0, 10), ["y"] = Tensor.Ones(2, 2) };
        var meta = new Dictionary<string, string> { ["z"] = "1", ["a"] = "2" };
        SafeTensors.Save(PathOf("1"), tensors, meta);
        SafeTensors.Save(PathOf("2"), tensors.Reverse().ToDictionary(), meta.Reverse().ToDictionary());
        Assert.Equal(File.ReadAllBytes(PathOf("1")), File.ReadAllBytes(PathOf("2")));
    }

    [Fact]
    public void SaveRejectsTheReservedName()
    {
        Assert.Throws<ArgumentException>(() => SafeTensors.Save(PathOf("bad"), new Dictionary<string, Tensor> { ["__metadata__"] = Tensor.Ones(1) }));
        Assert.False(File.Exists(PathOf("bad")));
    }

    [Fact]
    public void ReadsAFileWrittenByPyTorchsSafetensors()
    {
        // What safetensors.torch.save_file({"weight": w (2, 3), "bias": b (2,)}, path) writes:
        // compact JSON, metadata first, tensors sorted by name and packed, header padded with
        // spaces to a multiple of 8, little-endian float32 data.
        string json = "{\"__metadata__\":{\"format\":\"pt\"},\"bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[8,32]}}";
        json += new string(' ', (8 - json.Length % 8) % 8);
        Assert.Equal(0, json.Length % 8);
        var bytes = new List<byte>();
        bytes.AddRange(BitConverter.IsLittleEndian ? BitConverter.GetBytes((ulong)json.Length) : BitConverter.GetBytes((ulong)json.Length).Reverse());
        bytes.AddRange(Encoding.ASCII.GetBytes(json));
        bytes.AddRange([0x00, 0x00, 0x80, 0x3F]); // bias[0] = 1.0f
        bytes.AddRange([0x00, 0x00, 0x00, 0xC0]); // bias[1] = -2.0f
        bytes.AddRange(Floats(0.5f, 1.5f, -3.25f, 1e-3f, 100f, -0f));
        string path = PathOf("torch.safetensors");
        File.WriteAllBytes(path, bytes.ToArray());

        var file = SafeTensors.Load(path);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal([1f, -2f], file.Tensors["bias"].ToArray());
        Assert.Equal([2, 3], file.Tensors["weight"].Shape.ToArray());
        Assert.Equal([0.5f, 1.5f, -3.25f, 1e-3f, 100f, -0f], file.Tensors["weight"].ToArray());

        // And our writer produces exactly these bytes for the same content.
        SafeTensors.Save(PathOf("ours.safetensors"), file.Tensors, file.Metadata);
        Assert.Equal(bytes.ToArray(), File.ReadAllBytes(PathOf("ours.safetensors")));
    }

    [Fact]
    public void ReadsOtherDTypesAsFloat32()
    {
        var data = new List<byte>();
        data.AddRange([0x00, 0x3C, 0x00, 0xC0]); // F16 1.0, -2.0
        data.AddRange([0x80, 0x3F, 0x40, 0xC0]); // BF16 1.0, -3.0
        data.AddRange(BitConverter.GetBytes(0.1).AsEnumerable()); // F64 0.1
        data.AddRange(BitConverter.GetBytes(-7L)); // I64 -7
        data.AddRange([1, 0]); // BOOL true, false
        data.AddRange([200, 0xFF]); // U8 200, I8 -1 stored in the next tensor
        string json = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
            + "\"bf\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[4,8]},"
            + "\"d\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[8,16]},"
            + "\"n\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[16,24]},"
            + "\"m\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[24,26]},"
            + "\"u\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[26,27]},"
            + "\"i\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[27,28]}}";
        string path = PathOf("dtypes.safetensors");
        File.WriteAllBytes(path, Build(json, data.ToArray()));
        var file = SafeTensors.Load(path);
        Assert.Equal([1f, -2f], file.Tensors["h"].ToArray());
        Assert.Equal([1f, -3f], file.Tensors["bf"].ToArray());
        Assert.Equal(0.1f, file.Tensors["d"].Item());
        Assert.Equal(-7f, file.Tensors["n"].Item());
        Assert.Equal([1f, 0f], file.Tensors["m"].ToArray());
        Assert.Equal(200f, file.Tensors["u"].Item());
        Assert.Equal(-1f, file.Tensors["i"].Item());
        Assert.Equal(SafeTensorsDType.BF16, file.DTypes["bf"]);
    }

    [Fact]
    public void GapsBetweenRangesAndTrailingBytesAreAccepted()
    {
        string json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[2,2]}}";
        string path = PathOf("gaps.safetensors");
        File.WriteAllBytes(path, Build(json, [.. Floats(9f, 5f), 1, 2, 3]));
        var file = SafeTensors.Load(path);
        Assert.Equal(5f, file.Tensors["a"].Item());
        Assert.Equal(0, file.Tensors["e"].Size);
    }
}
