using Promptor.Genomics.IO;
using Promptor.Tensors;

namespace Promptor.Genomics.Data;

/// <summary>Ways of splitting genes into train, validation and test sets.</summary>
public static class Splits
{
    /// <summary>
    /// Splits yeast genes by chromosome from their systematic names (letter 2: A = I … P = XVI).
    /// Default: test = IV (<c>YD…</c>), validation = XV (<c>YO…</c>), train = the rest.
    /// </summary>
    /// <exception cref="ArgumentException">A gene id is not a systematic name (unless <see cref="ChromosomeSplitOptions.UnrecognisedToTrain"/>), or a chromosome is in both sets.</exception>
    public static SplitAssignment ByChromosome(IReadOnlyList<string> geneIds, ChromosomeSplitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(geneIds);
        options ??= new ChromosomeSplitOptions();
        if (options.TestChromosomes.Intersect(options.ValidationChromosomes).Any())
        {
            throw new ArgumentException("A chromosome cannot be in both the test and the validation set.", nameof(options));
        }
        var labels = new DataSplit[geneIds.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            if (!YeastGeneName.TryGetChromosome(geneIds[i], out int chromosome))
            {
                if (options.UnrecognisedToTrain)
                {
                    labels[i] = DataSplit.Train;
                    continue;
                }
                throw new ArgumentException($"Gene '{geneIds[i]}' is not a yeast systematic name, so its chromosome is unknown.", nameof(geneIds));
            }
            labels[i] = options.TestChromosomes.Contains(chromosome) ? DataSplit.Test
                : options.ValidationChromosomes.Contains(chromosome) ? DataSplit.Validation
                : DataSplit.Train;
        }
        return new SplitAssignment(labels);
    }

    /// <summary>
    /// A seeded random split of <paramref name="count"/> items: <c>round(count * fraction)</c> items each
    /// for validation and test, the rest for training.
    /// </summary>
    /// <param name="count">Number of items.</param>
    /// <param name="seed">Generator seed; the same seed gives the same split.</param>
    /// <param name="validationFraction">Default 0.1.</param>
    /// <param name="testFraction">Default 0.1.</param>
    public static SplitAssignment Random(int count, ulong seed, double validationFraction = 0.1, double testFraction = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (validationFraction < 0 || testFraction < 0 || validationFraction + testFraction > 1)
        {
            throw new ArgumentException("Fractions must be non-negative and sum to at most 1.");
        }
        var order = Enumerable.Range(0, count).ToArray();
        new Generator(seed).Shuffle<int>(order);
        int nTest = (int)Math.Round(count * testFraction);
        int nVal = Math.Min((int)Math.Round(count * validationFraction), count - nTest);
        var labels = new DataSplit[count];
        for (int i = 0; i < count; i++)
        {
            labels[order[i]] = i < nTest ? DataSplit.Test : i < nTest + nVal ? DataSplit.Validation : DataSplit.Train;
        }
        return new SplitAssignment(labels);
    }

    /// <summary>Looks each gene up in <paramref name="labels"/> (e.g. from <see cref="ReadLabels"/>).</summary>
    /// <exception cref="ArgumentException">A gene has no label.</exception>
    public static SplitAssignment FromLabels(IReadOnlyList<string> geneIds, IReadOnlyDictionary<string, DataSplit> labels)
    {
        ArgumentNullException.ThrowIfNull(geneIds);
        ArgumentNullException.ThrowIfNull(labels);
        var result = new DataSplit[geneIds.Count];
        for (int i = 0; i < result.Length; i++)
        {
            if (!labels.TryGetValue(geneIds[i], out result[i]))
            {
                throw new ArgumentException($"Gene '{geneIds[i]}' has no split label.", nameof(labels));
            }
        }
        return new SplitAssignment(result);
    }

    /// <summary>
    /// Reads split labels from a delimited file with a header: a gene column and a split column whose
    /// cells are <c>train</c>, <c>val</c>/<c>valid</c>/<c>validation</c> or <c>test</c> (any case). The file
    /// may be a dedicated split file or an expression table with a split column.
    /// </summary>
    /// <param name="path">TSV/CSV file (plain or gzip).</param>
    /// <param name="splitColumn">Header of the split column; default <c>split</c>.</param>
    /// <param name="geneColumn">Header of the gene column; default null: the first column.</param>
    /// <exception cref="DataFormatException">Missing column, unknown label or duplicate gene (with line and column).</exception>
    public static Dictionary<string, DataSplit> ReadLabels(string path, string splitColumn = "split", string? geneColumn = null)
    {
        using var file = DelimitedFile.Open(path, null);
        int gc = geneColumn is null ? 0 : file.RequireColumn(geneColumn, "gene");
        int sc = file.RequireColumn(splitColumn, "split");
        var labels = new Dictionary<string, DataSplit>(StringComparer.Ordinal);
        List<string>? row;
        while ((row = file.NextRow()) is not null)
        {
            string gene = row[gc].Trim();
            if (gene.Length == 0)
            {
                throw new DataFormatException(path, file.LineNumber, $"empty gene id in column '{file.Header[gc]}'", file.Header[gc]);
            }
            var label = ParseLabel(row[sc])
                ?? throw new DataFormatException(path, file.LineNumber, $"split '{row[sc].Trim()}' in column '{file.Header[sc]}' is not train, validation or test", file.Header[sc]);
            if (!labels.TryAdd(gene, label))
            {
                throw new DataFormatException(path, file.LineNumber, $"duplicate gene '{gene}' in column '{file.Header[gc]}'", file.Header[gc]);
            }
        }
        return labels;
    }

    /// <summary>Parses <c>train</c>/<c>training</c>, <c>val</c>/<c>valid</c>/<c>validation</c>/<c>dev</c>, <c>test</c> (any case); null otherwise.</summary>
    public static DataSplit? ParseLabel(string text) => text.Trim().ToLowerInvariant() switch
    {
        "train" or "training" => DataSplit.Train,
        "val" or "valid" or "validation" or "dev" => DataSplit.Validation,
        "test" => DataSplit.Test,
        _ => null,
    };
}
