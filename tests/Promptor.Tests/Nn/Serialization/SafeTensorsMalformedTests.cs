using System.Text;
using Promptor.Nn.Serialization;
using static Promptor.Tests.Nn.Serialization.SafeTensorsTests;

namespace Promptor.Tests.Nn.Serialization;

/// <summary>Every malformed file must fail with <see cref="SafeTensorsFormatException"/> — no other exception type, no large allocation.</summary>
public sealed class SafeTensorsMalformedTests : IDisposable
{
    private readonly string dir = NnTestUtil.NewTempDirectory();

    public void Dispose() => NnTestUtil.DeleteDirectory(dir);

    private static string Entry(string name, string dtype, string shape, string offsets) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":{offsets}}}";

    private static readonly byte[] Eight = Floats(1, 2);

    private static byte[] Valid() => Build("{" + Entry("a", "F32", "[2]", "[0,8]") + "}", Eight);

    /// <summary>Each case: the file bytes, and a fragment the message must contain.</summary>
    public static TheoryData<string> Cases() =>
    [
        "empty file", "seven bytes", "truncated data", "header length beyond file", "header length 2^60",
        "header length max", "header length just over the cap", "invalid json", "truncated json",
        "root not object", "invalid utf8", "unknown dtype", "dtype not string", "shape size mismatch",
        "offsets beyond data", "begin after end", "overlapping ranges", "negative dim", "fractional dim",
        "dim beyond int", "element count overflow", "huge shape with lying offsets", "duplicate tensor",
        "duplicate field", "missing dtype", "missing shape", "missing offsets", "offsets wrong arity",
        "negative offset", "offsets not array", "shape not array", "entry not object",
        "metadata not object", "metadata value not string", "empty header",
    ];

    private static (byte[] Bytes, string Message) Make(string name) => name switch
    {
        "empty file" => ([], "shorter than the 8-byte"),
        "seven bytes" => (new byte[7], "shorter than the 8-byte"),
        "truncated data" => (Valid()[..^3], "outside the 5-byte data section"),
        "header length beyond file" => (Build("{}", [], declaredLength: 1000), "larger than the"),
        "header length 2^60" => (Build("{}", [], declaredLength: 1UL << 60), "exceeds the limit"),
        "header length max" => (Build("{}", [], declaredLength: ulong.MaxValue), "exceeds the limit"),
        "header length just over the cap" => (Build("{}", [], declaredLength: SafeTensors.MaxHeaderLength + 1), "exceeds the limit"),
        "invalid json" => (Build("{\"a\": ,}", []), "not valid JSON"),
        "truncated json" => (Build("{\"a\":{\"dtype\":\"F32\"", []), "not valid JSON"),
        "root not object" => (Build("[1, 2]", []), "must be a JSON object"),
        "invalid utf8" => (BuildRaw([.. "{\""u8, 0xFF, 0xFE, .. "\":{}}"u8], []), "UTF-8"),
        "unknown dtype" => (Build("{" + Entry("a", "F17", "[2]", "[0,8]") + "}", Eight), "unknown dtype 'F17'"),
        "dtype not string" => (Build("{\"a\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", Eight), "field 'dtype'"),
        "shape size mismatch" => (Build("{" + Entry("a", "F32", "[3]", "[0,8]") + "}", Eight), "needs 12 bytes"),
        "offsets beyond data" => (Build("{" + Entry("a", "F32", "[2]", "[8,16]") + "}", Eight), "outside the 8-byte data section"),
        "begin after end" => (Build("{" + Entry("a", "F32", "[0]", "[8,0]") + "}", Eight), "is after end"),
        "overlapping ranges" => (Build("{" + Entry("a", "F32", "[2]", "[0,8]") + "," + Entry("b", "F32", "[1]", "[4,8]") + "}", Eight), "overlaps tensor"),
        "negative dim" => (Build("{" + Entry("a", "F32", "[-2]", "[0,8]") + "}", Eight), "negative"),
        "fractional dim" => (Build("{" + Entry("a", "F32", "[2.5]", "[0,8]") + "}", Eight), "not an integer"),
        "dim beyond int" => (Build("{" + Entry("a", "F32", "[4294967296]", "[0,8]") + "}", Eight), "exceeds"),
        "element count overflow" => (Build("{" + Entry("a", "F32", "[2147483647,2147483647,2147483647,2147483647]", "[0,8]") + "}", Eight), "more than"),
        "huge shape with lying offsets" => (Build("{" + Entry("a", "F32", "[50000,40000]", "[0,8000000000]") + "}", Eight), "outside the 8-byte data section"),
        "duplicate tensor" => (Build("{" + Entry("a", "F32", "[1]", "[0,4]") + "," + Entry("a", "F32", "[1]", "[4,8]") + "}", Eight), "more than once"),
        "duplicate field" => (Build("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", Eight), "more than once"),
        "missing dtype" => (Build("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", Eight), "field 'dtype': the field is missing"),
        "missing shape" => (Build("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", Eight), "field 'shape': the field is missing"),
        "missing offsets" => (Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", Eight), "field 'data_offsets': the field is missing"),
        "offsets wrong arity" => (Build("{" + Entry("a", "F32", "[2]", "[0,8,8]") + "}", Eight), "[begin, end]"),
        "negative offset" => (Build("{" + Entry("a", "F32", "[0]", "[-4,0]") + "}", Eight), "not a non-negative integer"),
        "offsets not array" => (Build("{" + Entry("a", "F32", "[2]", "\"0-8\"") + "}", Eight), "[begin, end]"),
        "shape not array" => (Build("{" + Entry("a", "F32", "2", "[0,8]") + "}", Eight), "expected an array of integers"),
        "entry not object" => (Build("{\"a\":[1]}", Eight), "must be an object"),
        "metadata not object" => (Build("{\"__metadata__\":\"x\"}", []), "__metadata__"),
        "metadata value not string" => (Build("{\"__metadata__\":{\"k\":1}}", []), "must be a string"),
        "empty header" => (Build("", Eight), "not valid JSON"),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MalformedFileThrowsFormatException(string name)
    {
        var (bytes, message) = Make(name);
        string path = Path.Combine(dir, "bad.safetensors");
        File.WriteAllBytes(path, bytes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.FilePath);
        Assert.True(allocated < 1 << 20, $"{name}: reading allocated {allocated} bytes");
        Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.ReadHeader(path));
    }

    [Fact]
    public void MessagesNameTheTensorAndField()
    {
        string path = Path.Combine(dir, "named.safetensors");
        File.WriteAllBytes(path, Build("{" + Entry("ok", "F32", "[1]", "[0,4]") + "," + Entry("blocks.0.fc.weight", "F32", "[3]", "[4,8]") + "}", Eight));
        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(path));
        Assert.Equal("blocks.0.fc.weight", ex.TensorName);
        Assert.Equal("data_offsets", ex.Field);
        Assert.Contains("tensor 'blocks.0.fc.weight', field 'data_offsets'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EightBitFloatsAreRecognisedButNotLoadable()
    {
        string path = Path.Combine(dir, "f8.safetensors");
        File.WriteAllBytes(path, Build("{" + Entry("q", "F8_E4M3", "[2]", "[0,2]") + "}", [1, 2]));
        Assert.Equal(SafeTensorsDType.F8E4M3, SafeTensors.ReadHeader(path).Entries[0].DType);
        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(path));
        Assert.Contains("F8_E4M3 cannot be read as float32", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownEntryFieldsAreIgnored()
    {
        string path = Path.Combine(dir, "extra.safetensors");
        File.WriteAllBytes(path, Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"note\":[1,{}]}}", Eight));
        Assert.Equal([1f, 2f], SafeTensors.Load(path).Tensors["a"].ToArray());
    }

    [Fact]
    public void HeaderTextIsExactlyWhatTheLengthSays()
    {
        // A header length one short cuts the closing brace: invalid JSON, not a silent misread.
        var bytes = Valid();
        string header = Encoding.UTF8.GetString(bytes, 8, bytes.Length - 16);
        var shorter = Build(header, Eight, declaredLength: (ulong)header.Length - 1);
        string path = Path.Combine(dir, "short.safetensors");
        File.WriteAllBytes(path, shorter);
        Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(path));
    }
}
