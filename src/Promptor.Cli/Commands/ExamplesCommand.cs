using System.CommandLine;
using System.Globalization;
using Promptor.Genomics.Examples;

namespace Promptor.Cli.Commands;

/// <summary>
/// <c>promptor examples &lt;name&gt;</c>: small runnable demonstrations of the building blocks.
/// Each sub-command maps its flags onto the example's options record and calls the library.
/// </summary>
public static class ExamplesCommand
{
    /// <summary>Builds the <c>examples</c> command with its sub-commands.</summary>
    public static Command Create()
    {
        var examples = new Command("examples", "Run small demonstrations of Promptor's building blocks.");
        examples.Subcommands.Add(NadarayaWatson());
        return examples;
    }

    /// <summary><c>examples nadaraya-watson [--out DIR] [--seed N]</c>.</summary>
    private static Command NadarayaWatson()
    {
        var outOption = new Option<string>("--out")
        {
            Description = "Folder for fit.svg and attention.svg (created if missing).",
            DefaultValueFactory = _ => "nadaraya-watson",
        };
        var seedOption = new Option<ulong>("--seed")
        {
            Description = "Seed of the data, the noise and the initial bandwidth.",
            DefaultValueFactory = _ => NadarayaWatsonExampleOptions.DefaultSeed,
        };
        var command = new Command("nadaraya-watson",
            "Attention pooling as kernel regression (d2l 11.2): fit y = 2 sin(x) + x^0.8 + noise from 50 points by average "
            + "pooling, non-parametric and parametric Nadaraya–Watson regression; print validation MSEs and write SVG figures.")
        {
            outOption,
            seedOption,
        };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            string directory = parseResult.GetValue(outOption) ?? "nadaraya-watson";
            var options = new NadarayaWatsonExampleOptions { Seed = parseResult.GetValue(seedOption) };

            var result = NadarayaWatsonExample.Run(options);
            IReadOnlyList<string> written;
            try
            {
                written = NadarayaWatsonExample.WriteFigures(result, directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                error.WriteLine($"promptor examples nadaraya-watson: cannot write figures to '{directory}': {OneLine(ex.Message)}");
                return 1;
            }

            var culture = CultureInfo.InvariantCulture;
            output.WriteLine(string.Create(culture,
                $"Nadaraya–Watson kernel regression, seed {options.Seed}: {result.TrainingX.Length} training and {result.ValidationX.Length} validation points"));
            output.WriteLine("validation MSE (against the noise-free function):");
            output.WriteLine(string.Create(culture, $"  average pooling            {result.AverageMse:F4}"));
            output.WriteLine(string.Create(culture, $"  non-parametric (w = 1)     {result.NonParametricMse:F4}"));
            output.WriteLine(string.Create(culture,
                $"  parametric (w = {result.LearnedW,5:F2})    {result.ParametricMse:F4}   (w from {result.InitialW:F2}, {options.Epochs} SGD epochs, lr {options.LearningRate})"));
            foreach (string path in written)
            {
                output.WriteLine($"wrote {path}");
            }
            return 0;
        });
        return command;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
