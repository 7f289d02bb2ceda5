namespace Promptor.Genomics.Data;

/// <summary>A split label for each item (gene) of a dataset, with the index lists of each part.</summary>
public sealed class SplitAssignment
{
    /// <summary>Creates an assignment from one label per item.</summary>
    public SplitAssignment(IReadOnlyList<DataSplit> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Labels = labels.ToArray();
        Train = IndicesOf(DataSplit.Train);
        Validation = IndicesOf(DataSplit.Validation);
        Test = IndicesOf(DataSplit.Test);
    }

    /// <summary>The label of each item.</summary>
    public IReadOnlyList<DataSplit> Labels { get; }

    /// <summary>Indices of the training items, ascending.</summary>
    public int[] Train { get; }

    /// <summary>Indices of the validation items, ascending.</summary>
    public int[] Validation { get; }

    /// <summary>Indices of the test items, ascending.</summary>
    public int[] Test { get; }

    /// <summary>The indices of <paramref name="split"/>.</summary>
    public int[] IndicesOf(DataSplit split) => Enumerable.Range(0, Labels.Count).Where(i => Labels[i] == split).ToArray();

    /// <summary>E.g. <c>train 4,385 · validation 423 · test 542</c>.</summary>
    public override string ToString() => $"train {Train.Length:N0} · validation {Validation.Length:N0} · test {Test.Length:N0}";
}
