using Promptor.Genomics.Data;

namespace Promptor.Cli.Options;

/// <summary>Data for training or evaluation, as loaded by <see cref="DataFlags"/>.</summary>
/// <param name="Dataset">All joined genes: sequences <c>(N, L, 4)</c>, targets and mask <c>(N, T)</c>.</param>
/// <param name="Split">The split of the dataset's rows.</param>
/// <param name="Sequences">The N sequences as text (after padding or trimming), in dataset order.</param>
/// <param name="InputFiles">The files read, hashed into <c>run.json</c>.</param>
/// <param name="ExpressionFile">The expression table, named in errors about treatments.</param>
/// <param name="Description">One line for the user, e.g. the join report and the split.</param>
/// <param name="IsYeastTask">True for the bundled yeast stress task (treatment names parse as yeast stresses).</param>
public sealed record TaskData(PromoterDataset Dataset, SplitAssignment Split, IReadOnlyList<string> Sequences, IReadOnlyList<string> InputFiles,
    string ExpressionFile, string Description, bool IsYeastTask);
