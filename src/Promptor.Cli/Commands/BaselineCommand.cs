using System.CommandLine;
using System.Globalization;
using Promptor.Genomics.Baselines;
using Promptor.Genomics.Data;

namespace Promptor.Cli.Commands;

/// <summary>
/// <c>promptor baseline</c>: the canonical k-mer ridge regression (<see cref="KmerRidgeBaseline"/>) on the
/// default yeast stress task; prints test Pearson r and Spearman ρ per treatment (chromosome IV) and their means.
/// </summary>
public static class BaselineCommand
{
    /// <summary>Builds the command; flags map onto <see cref="KmerRidgeOptions"/>.</summary>
    public static Command Create()
    {
        var defaults = new KmerRidgeOptions();
        var data = new Option<string?>("--data") { Description = "The data folder (default: the bundled data/ folder, searched from the current and the application's folder upwards)" };
        var k = new Option<int>("--k") { Description = "k-mer length", DefaultValueFactory = _ => defaults.K };
        var halves = new Option<bool>("--proximal-distal") { Description = "Count k-mers separately in the proximal and distal 500 bp of each promoter" };
        var ranks = new Option<int[]>("--ranks")
        {
            Description = "Candidate output ranks of a reduced-rank ridge, chosen with λ on validation (e.g. --ranks 1 2 4 8); default: the plain ridge",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("baseline", "Fit the k-mer ridge baseline on the yeast stress task and report test Pearson r and Spearman ρ per treatment.")
        {
            data, k, halves, ranks,
        };
        CommandErrors.SetAction(command, (parse, stdout, _) =>
        {
            string dir = parse.GetValue(data) ?? YeastStressTask.FindDataDirectory()
                ?? throw new CommandException("the bundled data folder was not found; pass --data DIR");
            if (!Directory.Exists(dir))
            {
                throw new CommandException($"{dir}: no such folder");
            }
            var options = (parse.GetValue(halves) ? KmerRidgeOptions.ProximalDistal : defaults) with
            {
                K = parse.GetValue(k),
                Ranks = parse.GetValue(ranks) ?? [],
            };
            options.Validate();
            var result = KmerRidgeBaseline.RunYeast(dir, options);
            Print(stdout, result);
            return 0;
        });
        return command;
    }

    private static string FormatLambda(double lambda) =>
        lambda >= 100 ? lambda.ToString("N0", CultureInfo.InvariantCulture) : lambda.ToString("G3", CultureInfo.InvariantCulture);

    private static void Print(TextWriter w, KmerRidgeBaselineResult r)
    {
        var o = r.Model.Options;
        var c = CultureInfo.InvariantCulture;
        string regions = o.ProximalLength is int p ? $", distal and proximal {p} bp counted separately" : "";
        w.WriteLine(string.Create(c, $"k-mer ridge baseline: canonical {o.K}-mers{regions}, {r.FeatureCount:N0} features"));
        w.WriteLine(string.Create(c, $"genes: train {r.TrainCount:N0} · validation {r.ValidationCount:N0} · test {r.TestCount:N0}"));
        string rank = o.Ranks.Count == 0 ? "" : $", output rank {(r.Model.Rank is int chosen ? chosen.ToString(c) : "full")} of {r.Treatments.Count}";
        string grid = o.Ranks.Count > 0 ? $"{o.Lambdas.Count} λ × {r.Model.ValidationCurve.Count / o.Lambdas.Count} ranks" : $"{o.Lambdas.Count}";
        w.WriteLine(string.Create(c, $"λ = {FormatLambda(r.Lambda)}{rank} (validation mean Pearson r {r.MeanValidationPearson:F3}; grid of {grid})"));
        w.WriteLine();
        int width = Math.Max("treatment".Length, r.Treatments.Max(t => t.Length));
        w.WriteLine($"{"treatment".PadRight(width)}  {"genes",5}  {"Pearson",7}  {"Spearman",8}");
        foreach (var row in r.TestMetrics.Rows)
        {
            w.WriteLine(string.Create(c, $"{row.Treatment.PadRight(width)}  {row.Count,5}  {row.Pearson,7:F3}  {row.Spearman,8:F3}"));
        }
        w.WriteLine(string.Create(c, $"{"mean".PadRight(width)}  {"",5}  {r.MeanTestPearson,7:F3}  {r.TestMetrics.MeanSpearman,8:F3}"));
        w.WriteLine();
        w.WriteLine(string.Create(c, $"fitted in {r.FitTime.TotalSeconds:F1} s"));
    }
}
