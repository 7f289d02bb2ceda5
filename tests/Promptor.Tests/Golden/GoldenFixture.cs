using System.Collections.Concurrent;
using System.Text.Json;

namespace Promptor.Tests.Golden;

/// <summary>
/// One golden-vector file produced by tools/reference/make_golden.py
/// (Fixtures/golden/&lt;group&gt;.json, copied next to the test assembly).
/// </summary>
public sealed class GoldenFixture
{
    private static readonly ConcurrentDictionary<string, GoldenFixture> s_cache = new(StringComparer.Ordinal);

    private GoldenFixture(string group, string torchVersion, IReadOnlyList<GoldenCase> cases)
    {
        Group = group;
        TorchVersion = torchVersion;
        Cases = cases;
    }

    public string Group { get; }

    public string TorchVersion { get; }

    public IReadOnlyList<GoldenCase> Cases { get; }

    /// <summary>Directory holding the fixture files in the test output.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "golden");

    /// <summary>Loads (and caches) Fixtures/golden/&lt;group&gt;.json.</summary>
    public static GoldenFixture Load(string group) => s_cache.GetOrAdd(group, Parse);

    /// <summary>The case <paramref name="name"/> of <paramref name="group"/>.</summary>
    public static GoldenCase Case(string group, string name) => Load(group).Case(name);

    public GoldenCase Case(string name)
    {
        foreach (var c in Cases)
        {
            if (c.Name == name)
                return c;
        }

        throw new KeyNotFoundException($"Golden fixture '{Group}' has no case '{name}'.");
    }

    private static GoldenFixture Parse(string group)
    {
        string path = Path.Combine(Directory, group + ".json");
        if (!File.Exists(path))
            throw new KeyNotFoundException($"Golden fixture group '{group}' not found (expected {path}).");

        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        string fileGroup = root.GetProperty("group").GetString() ?? group;
        if (fileGroup != group)
            throw new InvalidDataException($"Golden fixture {path} declares group '{fileGroup}', expected '{group}'.");

        string torch = root.GetProperty("torch").GetString() ?? "";
        var cases = new List<GoldenCase>();
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            string name = c.GetProperty("name").GetString()
                ?? throw new InvalidDataException($"Golden fixture '{group}' has a case without a name.");
            var parameters = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var p in c.GetProperty("params").EnumerateObject())
                parameters[p.Name] = p.Value.Clone();

            var tensors = new Dictionary<string, (int[] Shape, float[] Data)>(StringComparer.Ordinal);
            foreach (var t in c.GetProperty("tensors").EnumerateObject())
            {
                int[] shape = t.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                var dataElement = t.Value.GetProperty("data");
                var data = new float[dataElement.GetArrayLength()];
                int i = 0;
                foreach (var v in dataElement.EnumerateArray())
                    data[i++] = v.GetSingle();
                tensors[t.Name] = (shape, data);
            }

            cases.Add(new GoldenCase(group, name, parameters, tensors));
        }

        return new GoldenFixture(group, torch, cases);
    }
}

/// <summary>One case of a golden fixture: named params and float32 tensors.</summary>
public sealed class GoldenCase
{
    private readonly Dictionary<string, JsonElement> _params;
    private readonly Dictionary<string, (int[] Shape, float[] Data)> _tensors;

    internal GoldenCase(
        string group,
        string name,
        Dictionary<string, JsonElement> parameters,
        Dictionary<string, (int[] Shape, float[] Data)> tensors)
    {
        Group = group;
        Name = name;
        _params = parameters;
        _tensors = tensors;
    }

    public string Group { get; }

    public string Name { get; }

    public IEnumerable<string> TensorNames => _tensors.Keys;

    public IEnumerable<string> ParamNames => _params.Keys;

    public bool Has(string tensor) => _tensors.ContainsKey(tensor);

    public bool HasParam(string p) => _params.ContainsKey(p);

    /// <summary>Flat row-major data (a fresh copy, safe to modify).</summary>
    public float[] Data(string tensor) => (float[])GetTensor(tensor).Data.Clone();

    /// <summary>Tensor shape (a fresh copy); a scalar has an empty shape.</summary>
    public int[] Shape(string tensor) => (int[])GetTensor(tensor).Shape.Clone();

    /// <summary>Raw JSON value of a param (e.g. conv padding, which is a string or an int).</summary>
    public JsonElement Param(string param) =>
        _params.TryGetValue(param, out var e) ? e : throw Missing("param", param);

    public double Number(string param)
    {
        var e = Param(param);
        return e.ValueKind == JsonValueKind.Number ? e.GetDouble() : throw WrongKind(param, "a number", e);
    }

    public int Int(string param)
    {
        var e = Param(param);
        return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v) ? v : throw WrongKind(param, "an int", e);
    }

    public bool Bool(string param)
    {
        var e = Param(param);
        return e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongKind(param, "a bool", e),
        };
    }

    public string String(string param)
    {
        var e = Param(param);
        return e.ValueKind == JsonValueKind.String ? e.GetString()! : throw WrongKind(param, "a string", e);
    }

    public int[] Ints(string param)
    {
        var e = Param(param);
        if (e.ValueKind != JsonValueKind.Array)
            throw WrongKind(param, "an int list", e);
        var result = new int[e.GetArrayLength()];
        int i = 0;
        foreach (var v in e.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out result[i++]))
                throw WrongKind(param, "an int list", e);
        }

        return result;
    }

    public override string ToString() => $"{Group}/{Name}";

    private (int[] Shape, float[] Data) GetTensor(string tensor) =>
        _tensors.TryGetValue(tensor, out var t) ? t : throw Missing("tensor", tensor);

    private KeyNotFoundException Missing(string kind, string key) =>
        new($"Golden fixture '{Group}', case '{Name}' has no {kind} '{key}'.");

    private InvalidOperationException WrongKind(string param, string expected, JsonElement e) =>
        new($"Golden fixture '{Group}', case '{Name}': param '{param}' is not {expected} ({e.ValueKind}: {e.GetRawText()}).");
}

/// <summary>Tolerance comparisons against golden data.</summary>
public static class GoldenAssert
{
    /// <summary>
    /// Fails on the first index where |expected - actual| &gt; atol + rtol * |expected|
    /// (or where one side is NaN), reporting the index, both values and <paramref name="what"/>.
    /// </summary>
    public static void Close(float[] expected, ReadOnlySpan<float> actual, double atol, double rtol, string what)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (expected.Length != actual.Length)
            Assert.Fail($"{what}: length mismatch, expected {expected.Length} values but got {actual.Length}.");

        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i];
            double a = actual[i];
            double diff = Math.Abs(e - a);
            if (!(diff <= atol + rtol * Math.Abs(e)) && !(double.IsNaN(e) && double.IsNaN(a)))
            {
                Assert.Fail(
                    $"{what}: mismatch at index {i}: expected {e:R}, actual {a:R} " +
                    $"(|diff| {diff:G4} > atol {atol:G3} + rtol {rtol:G3} * |expected|).");
            }
        }
    }
}
