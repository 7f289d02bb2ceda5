using System.Globalization;
using System.Text.RegularExpressions;
using Promptor.Genomics.Data;
using Promptor.Genomics.IO;

namespace Promptor.Genomics.Models;

/// <summary>
/// A numeric descriptor per treatment (k named features), the input of
/// <see cref="TreatmentDescriptorEncoder"/>. Read from a delimited file
/// (<c>treatment, f1, …, fk</c> with a header) or derived from the yeast stress treatment names
/// (<see cref="ForYeastStress"/>).
/// </summary>
public sealed partial class TreatmentDescriptorTable
{
    /// <summary>The stress types of the yeast task, in the order of their one-hot columns.</summary>
    public static IReadOnlyList<string> YeastStressTypes { get; } = ["Heat", "Acid", "Alkali", "Peroxide", "NaCl", "Sorbitol"];

    private readonly Dictionary<string, float[]> rows;

    /// <summary>Creates a table.</summary>
    /// <param name="featureNames">The k feature names.</param>
    /// <param name="treatments">The treatment names (unique).</param>
    /// <param name="values">One row of k finite values per treatment.</param>
    /// <param name="source">Where the table came from, for error messages. Default <c>descriptors</c>.</param>
    /// <exception cref="ArgumentException">Counts disagree, a treatment repeats or a value is not finite.</exception>
    public TreatmentDescriptorTable(IReadOnlyList<string> featureNames, IReadOnlyList<string> treatments, IReadOnlyList<IReadOnlyList<float>> values, string source = "descriptors")
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(treatments);
        ArgumentNullException.ThrowIfNull(values);
        if (featureNames.Count == 0 || treatments.Count != values.Count)
        {
            throw new ArgumentException($"A descriptor table needs at least one feature and one row per treatment ({treatments.Count} treatments, {values.Count} rows).");
        }
        FeatureNames = featureNames.ToArray();
        Treatments = treatments.ToArray();
        Source = source;
        rows = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (int i = 0; i < treatments.Count; i++)
        {
            var row = values[i].ToArray();
            if (row.Length != featureNames.Count || !row.All(float.IsFinite))
            {
                throw new ArgumentException($"The descriptor of '{treatments[i]}' needs {featureNames.Count} finite values.");
            }
            if (!rows.TryAdd(treatments[i], row))
            {
                throw new ArgumentException($"Treatment '{treatments[i]}' has two descriptors.");
            }
        }
    }

    /// <summary>The k feature names.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The treatments described, in file order.</summary>
    public IReadOnlyList<string> Treatments { get; }

    /// <summary>Where the table came from (a path or <c>yeast stress names</c>).</summary>
    public string Source { get; }

    /// <summary>The descriptor of <paramref name="treatment"/> (k values).</summary>
    /// <exception cref="KeyNotFoundException">The treatment has no descriptor.</exception>
    public IReadOnlyList<float> this[string treatment] => rows.TryGetValue(treatment, out var row)
        ? row
        : throw new KeyNotFoundException($"No descriptor for treatment '{treatment}'.");

    /// <summary>
    /// The descriptors of <paramref name="treatments"/> in that order (the model's output order), ready for
    /// <see cref="CondPromoterOptions.TreatmentDescriptors"/>.
    /// </summary>
    /// <exception cref="DataFormatException">A treatment has no descriptor (naming the table and the treatment).</exception>
    public IReadOnlyList<IReadOnlyList<float>> For(IReadOnlyList<string> treatments)
    {
        ArgumentNullException.ThrowIfNull(treatments);
        var result = new IReadOnlyList<float>[treatments.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = rows.TryGetValue(treatments[i], out var row)
                ? row
                : throw new DataFormatException(Source, 0, $"no descriptor for treatment '{treatments[i]}' in column 'treatment' ({rows.Count} treatments described)", "treatment");
        }
        return result;
    }

    /// <summary>
    /// Reads a delimited file (TSV or CSV, plain or gzip): a header whose first column names the treatment
    /// and whose other columns are the features, then one row per treatment. Missing or non-numeric
    /// values, and repeated treatments, are errors naming the line and the column.
    /// </summary>
    /// <exception cref="DataFormatException">Malformed file.</exception>
    public static TreatmentDescriptorTable Read(string path)
    {
        using var file = DelimitedFile.Open(path, null);
        if (file.Header.Length < 2)
        {
            throw new DataFormatException(path, file.HeaderLine, "a descriptor table needs a treatment column and at least one feature column", "header");
        }
        file.EnsureUniqueNames(Enumerable.Range(0, file.Header.Length));
        var features = file.Header.Skip(1).ToArray();
        var treatments = new List<string>();
        var values = new List<IReadOnlyList<float>>();
        var lineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        List<string>? row;
        while ((row = file.NextRow()) is not null)
        {
            string treatment = row[0].Trim();
            if (treatment.Length == 0)
            {
                throw new DataFormatException(path, file.LineNumber, $"empty treatment name in column '{file.Header[0]}'", file.Header[0]);
            }
            if (!lineOf.TryAdd(treatment, file.LineNumber))
            {
                throw new DataFormatException(path, file.LineNumber, $"duplicate treatment '{treatment}' in column '{file.Header[0]}' (first on line {lineOf[treatment]})", file.Header[0]);
            }
            var v = new float[features.Length];
            for (int j = 0; j < v.Length; j++)
            {
                v[j] = file.ParseValue(row[j + 1], features[j]);
                if (float.IsNaN(v[j]))
                {
                    throw new DataFormatException(path, file.LineNumber, $"missing value in column '{features[j]}' of treatment '{treatment}'; descriptors must be complete", features[j]);
                }
            }
            treatments.Add(treatment);
            values.Add(v);
        }
        if (treatments.Count == 0)
        {
            throw new DataFormatException(path, file.HeaderLine, "no treatment rows after the header", "row");
        }
        return new TreatmentDescriptorTable(features, treatments, values, path);
    }

    /// <summary>
    /// Descriptors parsed from yeast stress treatment names such as <c>Heat 15'</c>, <c>Acid 20'</c> or
    /// <c>msn2/4 acid 20'</c>: a one-hot stress type (<see cref="YeastStressTypes"/>), the minutes since
    /// the stress began and a flag for the msn2/4 mutant — 8 features.
    /// </summary>
    /// <exception cref="ArgumentException">A name does not follow the pattern <c>[msn2/4 ]type minutes'</c>.</exception>
    public static TreatmentDescriptorTable ForYeastStress(IReadOnlyList<string> treatments)
    {
        ArgumentNullException.ThrowIfNull(treatments);
        var values = new List<IReadOnlyList<float>>();
        foreach (var name in treatments)
        {
            var match = YeastName().Match(name);
            int type = match.Success
                ? YeastStressTypes.ToList().FindIndex(t => t.Equals(match.Groups["type"].Value, StringComparison.OrdinalIgnoreCase))
                : -1;
            if (type < 0)
            {
                throw new ArgumentException($"Treatment '{name}' is not a yeast stress name like \"Heat 15'\" or \"msn2/4 acid 20'\"; give a descriptor file instead.");
            }
            var v = new float[YeastStressTypes.Count + 2];
            v[type] = 1;
            v[^2] = float.Parse(match.Groups["minutes"].Value, CultureInfo.InvariantCulture);
            v[^1] = match.Groups["mutant"].Success ? 1 : 0;
            values.Add(v);
        }
        var names = YeastStressTypes.Select(t => "is_" + t.ToLowerInvariant()).Append("minutes").Append("msn24_mutant").ToArray();
        return new TreatmentDescriptorTable(names, treatments, values, "yeast stress treatment names");
    }

    [GeneratedRegex(@"^\s*(?<mutant>msn2/4\s+)?(?<type>[A-Za-z]+)\s+(?<minutes>\d+(\.\d+)?)\s*'\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex YeastName();
}
