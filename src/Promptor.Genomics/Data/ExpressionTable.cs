namespace Promptor.Genomics.Data;

/// <summary>
/// A gene × condition table of float values with an explicit mask of observed cells. Missing cells
/// hold <see cref="float.NaN"/> in <see cref="Values"/> and <c>false</c> in <see cref="Observed"/>; they
/// are never zeros. Observed cells are always finite. Gene ids and condition names are unique.
/// Storage is row-major <c>(genes, conditions)</c>. Immutable.
/// </summary>
public sealed class ExpressionTable
{
    private readonly float[] values;
    private readonly bool[] observed;
    private readonly Dictionary<string, int> geneIndex;
    private readonly Dictionary<string, int> conditionIndex;

    /// <summary>
    /// Creates a table. Without <paramref name="observed"/>, NaN cells are the missing ones; with it,
    /// cells marked unobserved are set to NaN and observed cells must be finite.
    /// </summary>
    /// <param name="geneIds">G unique gene ids.</param>
    /// <param name="conditions">C unique condition names.</param>
    /// <param name="values">G * C values, row-major (copied).</param>
    /// <param name="observed">Optional G * C mask (copied); default: observed where not NaN.</param>
    /// <exception cref="ArgumentException">Duplicate ids or names, wrong lengths, or an infinite value.</exception>
    public ExpressionTable(IReadOnlyList<string> geneIds, IReadOnlyList<string> conditions, ReadOnlySpan<float> values, ReadOnlySpan<bool> observed = default)
    {
        ArgumentNullException.ThrowIfNull(geneIds);
        ArgumentNullException.ThrowIfNull(conditions);
        int g = geneIds.Count, c = conditions.Count;
        if (values.Length != g * c)
        {
            throw new ArgumentException($"{g} genes × {c} conditions need {g * c} values, got {values.Length}.", nameof(values));
        }
        if (!observed.IsEmpty && observed.Length != g * c)
        {
            throw new ArgumentException($"The mask must hold {g * c} entries, got {observed.Length}.", nameof(observed));
        }
        GeneIds = geneIds.ToArray();
        Conditions = conditions.ToArray();
        geneIndex = BuildIndex(GeneIds, "gene id");
        conditionIndex = BuildIndex(Conditions, "condition");
        this.values = values.ToArray();
        this.observed = new bool[g * c];
        for (int i = 0; i < this.values.Length; i++)
        {
            bool isObserved = observed.IsEmpty ? !float.IsNaN(this.values[i]) : observed[i];
            if (!isObserved)
            {
                this.values[i] = float.NaN;
                continue;
            }
            if (!float.IsFinite(this.values[i]))
            {
                throw new ArgumentException($"Value {this.values[i]} of gene '{GeneIds[i / c]}', condition '{Conditions[i % c]}' is not finite.", nameof(values));
            }
            this.observed[i] = true;
        }
    }

    /// <summary>The G gene ids, in row order.</summary>
    public IReadOnlyList<string> GeneIds { get; }

    /// <summary>The C condition (treatment) names, in column order.</summary>
    public IReadOnlyList<string> Conditions { get; }

    /// <summary>Number of genes G.</summary>
    public int GeneCount => GeneIds.Count;

    /// <summary>Number of conditions C.</summary>
    public int ConditionCount => Conditions.Count;

    /// <summary>The values, row-major <c>(G, C)</c>; NaN where missing.</summary>
    public ReadOnlySpan<float> Values => values;

    /// <summary>The mask, row-major <c>(G, C)</c>: true where a value was observed.</summary>
    public ReadOnlySpan<bool> Observed => observed;

    /// <summary>Number of observed cells.</summary>
    public int ObservedCount => observed.Count(o => o);

    /// <summary>The value of <paramref name="gene"/> under <paramref name="condition"/> (NaN when missing).</summary>
    public float this[int gene, int condition] => values[gene * ConditionCount + condition];

    /// <summary>The value for a gene id and condition name (NaN when missing).</summary>
    /// <exception cref="KeyNotFoundException">Unknown gene or condition.</exception>
    public float this[string geneId, string condition] => this[GeneIndex(geneId), ConditionIndex(condition)];

    /// <summary>Whether the cell was observed.</summary>
    public bool IsObserved(int gene, int condition) => observed[gene * ConditionCount + condition];

    /// <summary>True when the table has a row for <paramref name="geneId"/>.</summary>
    public bool ContainsGene(string geneId) => geneIndex.ContainsKey(geneId);

    /// <summary>The row of <paramref name="geneId"/>, or -1.</summary>
    public int IndexOfGene(string geneId) => geneIndex.TryGetValue(geneId, out int i) ? i : -1;

    /// <summary>The column of <paramref name="condition"/>, or -1.</summary>
    public int IndexOfCondition(string condition) => conditionIndex.TryGetValue(condition, out int i) ? i : -1;

    /// <summary>The values of one gene (length C; NaN where missing).</summary>
    public ReadOnlySpan<float> Row(int gene) => values.AsSpan(gene * ConditionCount, ConditionCount);

    /// <summary>The mask of one gene (length C).</summary>
    public ReadOnlySpan<bool> ObservedRow(int gene) => observed.AsSpan(gene * ConditionCount, ConditionCount);

    /// <summary>A new table with the rows <paramref name="geneRows"/>, in that order (no duplicates).</summary>
    public ExpressionTable SelectGenes(IReadOnlyList<int> geneRows)
    {
        ArgumentNullException.ThrowIfNull(geneRows);
        int c = ConditionCount;
        var v = new float[geneRows.Count * c];
        var m = new bool[geneRows.Count * c];
        var ids = new string[geneRows.Count];
        for (int i = 0; i < geneRows.Count; i++)
        {
            int r = geneRows[i];
            ids[i] = GeneIds[r];
            Array.Copy(values, r * c, v, i * c, c);
            Array.Copy(observed, r * c, m, i * c, c);
        }
        return new ExpressionTable(ids, Conditions, v, m);
    }

    /// <summary>A new table with the columns <paramref name="columns"/>, in that order (no duplicates).</summary>
    public ExpressionTable SelectConditions(IReadOnlyList<int> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        int g = GeneCount, c = ConditionCount, k = columns.Count;
        var v = new float[g * k];
        var m = new bool[g * k];
        for (int r = 0; r < g; r++)
        {
            for (int j = 0; j < k; j++)
            {
                v[r * k + j] = values[r * c + columns[j]];
                m[r * k + j] = observed[r * c + columns[j]];
            }
        }
        return new ExpressionTable(GeneIds, columns.Select(j => Conditions[j]).ToArray(), v, m);
    }

    /// <summary>Number of observed values in column <paramref name="condition"/>.</summary>
    public int ObservedCountOf(int condition)
    {
        int n = 0;
        for (int r = 0; r < GeneCount; r++)
        {
            if (observed[r * ConditionCount + condition])
            {
                n++;
            }
        }
        return n;
    }

    private int GeneIndex(string id) =>
        geneIndex.TryGetValue(id, out int i) ? i : throw new KeyNotFoundException($"Gene '{id}' is not in the table.");

    private int ConditionIndex(string name) =>
        conditionIndex.TryGetValue(name, out int i) ? i : throw new KeyNotFoundException($"Condition '{name}' is not in the table.");

    private static Dictionary<string, int> BuildIndex(IReadOnlyList<string> names, string what)
    {
        var index = new Dictionary<string, int>(names.Count, StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(names[i], what);
            if (!index.TryAdd(names[i], i))
            {
                throw new ArgumentException($"Duplicate {what} '{names[i]}' (positions {index[names[i]]} and {i}).");
            }
        }
        return index;
    }
}
