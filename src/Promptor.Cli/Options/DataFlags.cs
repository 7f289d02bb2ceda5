using System.CommandLine;
using Promptor.Genomics.Data;
using Promptor.Genomics.IO;

namespace Promptor.Cli.Options;

/// <summary>
/// The data flags shared by <c>train</c>, <c>evaluate</c> and <c>ladder</c>: the bundled yeast stress task
/// (default, <c>--data DIR</c>) or the user's promoters and expression table (<c>--sequences</c>,
/// <c>--expression</c>, wide or long, TSV or CSV), joined by gene id, and the split (by chromosome, random
/// with a seed, or a split column).
/// </summary>
public sealed class DataFlags
{
    /// <summary>The bundled data folder.</summary>
    public Option<string?> Data { get; } = new("--data") { Description = "The bundled data folder (default: data/ searched upwards from here and from the program)" };

    /// <summary>The user's promoter FASTA.</summary>
    public Option<string?> Sequences { get; } = new("--sequences") { Description = "Promoter FASTA (.fa or .fa.gz), one record per gene; use with --expression" };

    /// <summary>The user's expression table.</summary>
    public Option<string?> Expression { get; } = new("--expression") { Description = "Expression table (TSV or CSV, plain or gzip) joined to --sequences by gene id" };

    /// <summary>Wide or long table.</summary>
    public Option<TableFormat> Format { get; } = new("--format") { Description = "Table layout: Wide (gene × treatment) or Long (gene, condition, value)", DefaultValueFactory = _ => TableFormat.Wide };

    /// <summary>The gene column's header.</summary>
    public Option<string?> GeneColumn { get; } = new("--gene-column") { Description = "Header of the gene-id column (default: first column for wide tables, 'gene' for long ones)" };

    /// <summary>The condition column of a long table.</summary>
    public Option<string> ConditionColumn { get; } = new("--condition-column") { Description = "Long tables: header of the treatment column", DefaultValueFactory = _ => "condition" };

    /// <summary>The value column of a long table.</summary>
    public Option<string> ValueColumn { get; } = new("--value-column") { Description = "Long tables: header of the value column", DefaultValueFactory = _ => "value" };

    /// <summary>Drop table genes without a sequence instead of failing.</summary>
    public Option<bool> AllowUnmatched { get; } = new("--allow-unmatched") { Description = "Drop table genes that have no sequence (with a warning) instead of failing" };

    /// <summary>The split kind.</summary>
    public Option<SplitKind> Split { get; } = new("--split") { Description = "Split genes by Chromosome (yeast systematic names), Random, or a split Column", DefaultValueFactory = _ => SplitKind.Chromosome };

    /// <summary>Test chromosomes.</summary>
    public Option<int[]> TestChromosomes { get; } = new("--test-chromosomes") { Description = "Chromosomes (1–16) held out for testing", DefaultValueFactory = _ => [4], AllowMultipleArgumentsPerToken = true };

    /// <summary>Validation chromosomes.</summary>
    public Option<int[]> ValidationChromosomes { get; } = new("--validation-chromosomes") { Description = "Chromosomes (1–16) for validation", DefaultValueFactory = _ => [15], AllowMultipleArgumentsPerToken = true };

    /// <summary>Seed of a random split.</summary>
    public Option<ulong> SplitSeed { get; } = new("--split-seed") { Description = "Seed of a random split", DefaultValueFactory = _ => 1 };

    /// <summary>Validation fraction of a random split.</summary>
    public Option<double> ValidationFraction { get; } = new("--validation-fraction") { Description = "Random split: fraction of genes for validation", DefaultValueFactory = _ => 0.1 };

    /// <summary>Test fraction of a random split.</summary>
    public Option<double> TestFraction { get; } = new("--test-fraction") { Description = "Random split: fraction of genes for testing", DefaultValueFactory = _ => 0.1 };

    /// <summary>The split column.</summary>
    public Option<string> SplitColumn { get; } = new("--split-column") { Description = "Column split: header of the column holding train / validation / test", DefaultValueFactory = _ => "split" };

    /// <summary>A file holding the split column (default: the expression table).</summary>
    public Option<string?> SplitFile { get; } = new("--split-file") { Description = "Column split: table with gene and split columns (default: the expression table itself)" };

    /// <summary>Length handling.</summary>
    public SequenceLengthFlags Lengths { get; } = new();

    /// <summary>Adds every data flag to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[]
        {
            Data, Sequences, Expression, Format, GeneColumn, ConditionColumn, ValueColumn, AllowUnmatched,
            Split, TestChromosomes, ValidationChromosomes, SplitSeed, ValidationFraction, TestFraction, SplitColumn, SplitFile,
        })
        {
            command.Options.Add(option);
        }
        Lengths.AddTo(command, withLength: true);
    }

    /// <summary>
    /// Loads the data the flags name. Unmatched genes are an error (naming the table line) unless
    /// <c>--allow-unmatched</c>; warnings go to <paramref name="error"/>.
    /// </summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="error">Where warnings go.</param>
    /// <param name="requiredLength">A fixed sequence length (a checkpoint's); default null: from the flags or the data.</param>
    public TaskData Load(ParseResult parse, TextWriter error, int? requiredLength = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(error);
        string? sequencesPath = parse.GetValue(Sequences), expressionPath = parse.GetValue(Expression);
        if ((sequencesPath is null) != (expressionPath is null))
        {
            throw new CommandException("--sequences and --expression go together: give both, or neither for the bundled yeast task");
        }
        return sequencesPath is null ? LoadYeast(parse, requiredLength) : LoadFiles(parse, error, sequencesPath, expressionPath!, requiredLength);
    }

    private TaskData LoadYeast(ParseResult parse, int? requiredLength)
    {
        string dir = parse.GetValue(Data) ?? YeastStressTask.FindDataDirectory()
            ?? throw new CommandException("the bundled data folder was not found; pass --data DIR, or --sequences and --expression");
        if (!Directory.Exists(dir))
        {
            throw new CommandException($"{dir}: no such folder");
        }
        var defaults = new YeastStressTaskOptions();
        var options = defaults with
        {
            Split = ChromosomeSplit(parse),
            Length = requiredLength is int l ? defaults.Length with { Length = l } : defaults.Length,
        };
        var task = YeastStressTask.Load(dir, options);
        var split = parse.GetValue(Split) switch
        {
            SplitKind.Chromosome => task.Split,
            SplitKind.Random => RandomSplit(parse, task.Dataset.Count),
            _ => throw new CommandException("--split Column needs --sequences and --expression (the bundled task has no split column)"),
        };
        var files = new[] { YeastStressTask.ExpressionFile, YeastStressTask.PromoterFile }.Select(f => Path.Combine(dir, f)).ToArray();
        var sequences = task.Promoters.Select(p => options.Length.Apply(p.Sequence)).ToArray();
        return new TaskData(task.Dataset, split, sequences, files, files[0],
            $"yeast stress task (Causton et al. 2001): {task.Join}; {split}", IsYeastTask: true);
    }

    private TaskData LoadFiles(ParseResult parse, TextWriter error, string sequencesPath, string expressionPath, int? requiredLength)
    {
        var kind = parse.GetValue(Split);
        string splitColumn = parse.GetValue(SplitColumn)!;
        string? splitFile = parse.GetValue(SplitFile);
        var format = parse.GetValue(Format);
        string? geneColumn = parse.GetValue(GeneColumn);
        if (kind == SplitKind.Column && format == TableFormat.Long && splitFile is null)
        {
            throw new CommandException("--split Column with a long table needs --split-file (one row per gene)");
        }
        var records = FastaReader.Read(sequencesPath);
        var table = format == TableFormat.Wide
            ? ExpressionTableReader.ReadWide(expressionPath, new WideTableOptions
            {
                GeneColumn = geneColumn,
                IgnoredColumns = kind == SplitKind.Column && splitFile is null ? [splitColumn] : [],
            })
            : ExpressionTableReader.ReadLong(expressionPath, new LongTableOptions
            {
                GeneColumn = geneColumn ?? "gene",
                ConditionColumn = parse.GetValue(ConditionColumn)!,
                ValueColumn = parse.GetValue(ValueColumn)!,
            });
        var joined = SequenceJoin.Join(table, records);
        string geneField = geneColumn ?? (format == TableFormat.Wide ? SourceLines.FirstColumn(expressionPath) : "gene");
        if (joined.Report.Matched == 0)
        {
            throw new DataFormatException(expressionPath, 0,
                $"no gene id in column '{geneField}' matches a record of {sequencesPath} (e.g. table '{table.GeneIds[0]}', FASTA '{records[0].Id}')", geneField);
        }
        if (joined.Report.TableOnly.Count > 0)
        {
            string gene = joined.Report.TableOnly[0];
            if (!parse.GetValue(AllowUnmatched))
            {
                throw new DataFormatException(expressionPath, SourceLines.LineOfField(expressionPath, gene),
                    $"unknown gene '{gene}' in column '{geneField}': no record of {sequencesPath} has this id ({joined.Report.TableOnly.Count:N0} of {table.GeneCount:N0} genes unmatched; pass --allow-unmatched to drop them)", geneField);
            }
            CommandErrors.Warn(error, $"{expressionPath}: dropped {joined.Report.TableOnly.Count:N0} genes without a sequence ({joined.Report})");
        }
        for (int c = 0; c < joined.Table.ConditionCount; c++)
        {
            if (joined.Table.ObservedCountOf(c) == 0)
            {
                throw new DataFormatException(expressionPath, 0, $"treatment '{joined.Table.Conditions[c]}' has no values among the genes with a sequence", joined.Table.Conditions[c]);
            }
        }
        var sequences = Lengths.Fit(parse, joined.Sequences, sequencesPath, requiredLength);
        var dataset = PromoterDataset.Create(sequences, joined.Table);
        SplitAssignment split;
        try
        {
            split = kind switch
            {
                SplitKind.Chromosome => Splits.ByChromosome(dataset.GeneIds, ChromosomeSplit(parse)),
                SplitKind.Random => RandomSplit(parse, dataset.Count),
                _ => Splits.FromLabels(dataset.GeneIds, Splits.ReadLabels(splitFile ?? expressionPath, splitColumn, format == TableFormat.Wide ? geneColumn : geneColumn ?? "gene")),
            };
        }
        catch (ArgumentException e) when (kind == SplitKind.Chromosome)
        {
            throw new CommandException($"{expressionPath}: {e.Message.Split(" (Parameter", StringSplitOptions.None)[0]} Use --split Random or --split Column for other organisms.", e);
        }
        var files = new List<string> { sequencesPath, expressionPath };
        if (splitFile is not null)
        {
            files.Add(splitFile);
        }
        return new TaskData(dataset, split, sequences, files, expressionPath, $"{joined.Report}; {split}", IsYeastTask: false);
    }

    private ChromosomeSplitOptions ChromosomeSplit(ParseResult parse)
    {
        var test = parse.GetValue(TestChromosomes) ?? [4];
        var validation = parse.GetValue(ValidationChromosomes) ?? [15];
        foreach (int c in test.Concat(validation))
        {
            if (c is < 1 or > 16)
            {
                throw new CommandException($"chromosomes are numbered 1–16, got {c} (--test-chromosomes / --validation-chromosomes)");
            }
        }
        if (test.Intersect(validation).Any())
        {
            throw new CommandException($"chromosome {test.Intersect(validation).First()} is in both --test-chromosomes and --validation-chromosomes");
        }
        return new ChromosomeSplitOptions { TestChromosomes = test, ValidationChromosomes = validation };
    }

    private SplitAssignment RandomSplit(ParseResult parse, int count)
    {
        double validation = parse.GetValue(ValidationFraction), test = parse.GetValue(TestFraction);
        if (!(validation >= 0 && test >= 0 && validation + test < 1))
        {
            throw new CommandException($"--validation-fraction and --test-fraction must be ≥ 0 and sum to less than 1, got {validation} and {test}");
        }
        return Splits.Random(count, parse.GetValue(SplitSeed), validation, test);
    }
}
