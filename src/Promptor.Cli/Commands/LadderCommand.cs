using System.CommandLine;
using System.Globalization;
using Promptor.Cli.Options;
using Promptor.Genomics.Baselines;
using Promptor.Genomics.Workflows;

namespace Promptor.Cli.Commands;

/// <summary>
/// <c>promptor ladder</c>: trains every rung of the conditioning ladder (<see cref="Ladder"/>) on one split
/// with the same trainer settings and prints one comparison table, also written as <c>ladder.tsv</c> and
/// <c>ladder.md</c> into <c>--out</c>.
/// </summary>
public static class LadderCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = new DataFlags();
        var model = new ModelFlags();
        var trainer = new TrainerFlags();
        var rungs = new Option<LadderRung[]>("--rungs")
        {
            Description = "Rungs to run (default all): KmerRidge SeparateModels MultiTask ConcatMlp Film CrossAttention CrossAttentionEveryBlock",
            AllowMultipleArgumentsPerToken = true,
        };
        var separateMax = new Option<int?>("--separate-max") { Description = "Train separate per-treatment models for at most this many treatments (the highlighted ones first; default all)" };
        var k = new Option<int>("--k") { Description = "k-mer length of the ridge rung", DefaultValueFactory = _ => new KmerRidgeOptions().K };
        var halves = new Option<bool>("--proximal-distal") { Description = "Ridge rung: count k-mers separately in the proximal and distal halves" };
        var output = new Option<string>("--out") { Description = "Folder for the tables and one run folder per rung", DefaultValueFactory = _ => "promptor-ladder" };
        var force = new Option<bool>("--force") { Description = "Replace a ladder already in --out" };
        var command = new Command("ladder", "Train every conditioning rung on one split and print one comparison table.");
        data.AddTo(command);
        model.AddTo(command, withConditioning: false);
        trainer.AddTo(command);
        foreach (var option in new Option[] { rungs, separateMax, k, halves, output, force })
        {
            command.Options.Add(option);
        }
        CommandErrors.SetAction(command, (parse, stdout, stderr) =>
        {
            string outDir = parse.GetValue(output)!;
            bool overwrite = parse.GetValue(force);
            var selected = parse.GetValue(rungs) is { Length: > 0 } chosen ? chosen : LadderOptions.AllRungs;
            if (!overwrite)
            {
                foreach (var file in new[] { LadderResult.TsvFileName, LadderResult.MarkdownFileName })
                {
                    if (File.Exists(Path.Combine(outDir, file)))
                    {
                        throw new CommandException($"{Path.Combine(outDir, file)}: the output folder already holds a ladder; pass --force to replace it");
                    }
                }
            }
            var task = data.Load(parse, stderr);
            var ridge = (parse.GetValue(halves) ? KmerRidgeOptions.ProximalDistal with { ProximalLength = task.Dataset.SequenceLength / 2 } : new KmerRidgeOptions())
                with { K = parse.GetValue(k) };
            var options = new LadderOptions
            {
                Rungs = selected,
                Model = model.Build(parse, task.Dataset.Treatments, task.Dataset.SequenceLength),
                SeparateModelLimit = parse.GetValue(separateMax),
                Trainer = trainer.Build(parse),
                KmerRidge = ridge,
                OutputDirectory = outDir,
                Force = overwrite,
            };
            stdout.WriteLine(task.Description);
            var result = Ladder.Run(task.Dataset, task.Split, options, task.Sequences,
                ConsoleProgress.Create(stdout, isTerminal: !Console.IsOutputRedirected && stdout == Console.Out),
                name => stdout.WriteLine($"== {name}"),
                row => stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"== {row.Name}: test mean Pearson {row.MeanPearson:F3}, Spearman {row.MeanSpearman:F3}; {row.TrainingTime.TotalMinutes:F1} min; {row.Parameters:N0} parameters; {row.Note}")));
            stdout.WriteLine();
            stdout.Write(result.ToText());
            stdout.WriteLine($"Wrote {Path.Combine(Path.GetFullPath(outDir), LadderResult.TsvFileName)} and {LadderResult.MarkdownFileName}");
            return 0;
        });
        return command;
    }
}
