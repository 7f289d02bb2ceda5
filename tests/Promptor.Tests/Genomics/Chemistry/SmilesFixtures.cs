namespace Promptor.Tests.Genomics.Chemistry;

/// <summary>The SMILES fixtures written by tools/reference/make_smiles_golden.py (Fixtures/smiles/).</summary>
public static class SmilesFixtures
{
    private static readonly Lazy<string[]> s_sample = new(() => File.ReadAllLines(PathOf("tox21_sample.smi")));
    private static readonly Lazy<GoldenSmiles[]> s_golden = new(LoadGolden);

    /// <summary>Tox21 file of the shared data folder (present on the development machine, not in CI).</summary>
    public const string SharedTox21 = "/work/shared/data/tox21-smiles/tox21.csv";

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "smiles", name);

    /// <summary>500 Tox21 SMILES.</summary>
    public static IReadOnlyList<string> Tox21Sample => s_sample.Value;

    /// <summary>The RDKit-labelled table.</summary>
    public static IReadOnlyList<GoldenSmiles> Golden => s_golden.Value;

    private static GoldenSmiles[] LoadGolden()
    {
        var lines = File.ReadAllLines(PathOf("golden_validity.tsv"));
        Assert.Equal("smiles\tvalid\tsource\trdkit_message", lines[0]);
        return lines.Skip(1).Select(line =>
        {
            var f = line.Split('\t');
            Assert.Equal(4, f.Length);
            return new GoldenSmiles(f[0], f[1] == "1", f[2], f[3]);
        }).ToArray();
    }

    /// <summary>The smiles column of the shared Tox21 CSV (last column; SMILES contain no commas).</summary>
    public static IEnumerable<string> ReadTox21Csv(string path) =>
        File.ReadLines(path).Skip(1).Select(line => line[(line.LastIndexOf(',') + 1)..]);
}

public sealed record GoldenSmiles(string Smiles, bool Valid, string Source, string RdkitMessage);
