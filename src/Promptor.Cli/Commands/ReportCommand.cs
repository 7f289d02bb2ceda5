using System.CommandLine;
using Promptor.Genomics.Reports;
using Promptor.Nn.Serialization;

namespace Promptor.Cli.Commands;

/// <summary>
/// <c>promptor report --run DIR [--out report.html] [--force]</c>: one self-contained HTML file (inline
/// SVG and CSS, no JavaScript) from the files of a run folder (<see cref="ReportFiles"/>).
/// </summary>
public static class ReportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "The run folder (run.json, metrics.tsv, test_metrics.tsv, ladder.tsv, attention/, motifs/).", Required = true };
        var output = new Option<string?>("--out") { Description = "The HTML file to write (default: report.html in the run folder)." };
        var force = new Option<bool>("--force") { Description = "Replace an existing report." };
        var command = new Command("report", "Write one self-contained HTML report (inline SVG, no JavaScript) of a run: data, training curves, "
            + "per-treatment metrics, the ladder, attention meta-profiles, top motifs as sequence logos and example genes' maps.")
        {
            run, output, force,
        };
        CommandErrors.SetAction(command, (parse, o, _) =>
        {
            string directory = parse.GetValue(run)!;
            if (!Directory.Exists(directory))
            {
                throw new CommandException($"{directory}: no such run folder");
            }
            string path = parse.GetValue(output) ?? Path.Combine(directory, ReportFiles.DefaultReport);
            CommandErrors.CheckOutputFile(path, parse.GetValue(force));
            var loaded = ReportRun.Load(directory);
            string html = HtmlReport.Build(loaded);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            AtomicFile.WriteAllText(path, html);
            var absent = ReportFiles.All.Except(loaded.FilesFound).ToArray();
            o.WriteLine($"Wrote {Path.GetFullPath(path)} ({loaded.FilesFound.Count} of {ReportFiles.All.Count} input files found{(absent.Length > 0 ? "; absent: " + string.Join(", ", absent) : "")})");
            return 0;
        });
        return command;
    }
}
