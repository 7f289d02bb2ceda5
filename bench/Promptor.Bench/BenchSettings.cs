using System.Globalization;

namespace Promptor.Bench;

/// <summary>
/// <c>key=value</c> arguments of the accuracy and profiling benchmarks (a bare <c>key</c> means
/// <c>key=1</c>), read with invariant culture and a fallback per key.
/// </summary>
public sealed class BenchSettings(string[] args)
{
    private readonly Dictionary<string, string> values =
        args.Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "1");

    /// <summary>True when <paramref name="key"/> was given.</summary>
    public bool Has(string key) => values.ContainsKey(key);

    /// <summary>The text of <paramref name="key"/>, or <paramref name="fallback"/>.</summary>
    public string Text(string key, string fallback) => values.GetValueOrDefault(key, fallback);

    /// <summary>The integer value of <paramref name="key"/>, or <paramref name="fallback"/>.</summary>
    public int Int(string key, int fallback) => Has(key) ? int.Parse(values[key], CultureInfo.InvariantCulture) : fallback;

    /// <summary>The real value of <paramref name="key"/>, or <paramref name="fallback"/>.</summary>
    public double Double(string key, double fallback) => Has(key) ? double.Parse(values[key], CultureInfo.InvariantCulture) : fallback;

    /// <summary>The enum value of <paramref name="key"/> (case-insensitive), or <paramref name="fallback"/>.</summary>
    public TEnum Enum<TEnum>(string key, TEnum fallback) where TEnum : struct, System.Enum =>
        Has(key) ? System.Enum.Parse<TEnum>(values[key], ignoreCase: true) : fallback;
}
