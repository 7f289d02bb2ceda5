using System.CommandLine;
using System.Globalization;
using Promptor.Genomics.Motifs;
using Promptor.Genomics.Simulation;

namespace Promptor.Cli.Commands;

/// <summary>
/// <c>promptor simulate --out DIR</c>: simulated promoters with planted motifs and treatment-specific
/// responses (<see cref="PromoterSimulator"/>), written with their ground truth by <see cref="SimulationWriter"/>.
/// </summary>
public static class SimulateCommand
{
    /// <summary>Builds the command; flags map onto <see cref="SimulationOptions"/> and default to its defaults.</summary>
    public static Command Create()
    {
        var defaults = new SimulationOptions();
        var output = new Option<string>("--out") { Description = "Output folder (created; must be empty or absent unless --force)", Required = true };
        var genes = new Option<int>("--genes") { Description = "Number of sequences", DefaultValueFactory = _ => defaults.SequenceCount };
        var length = new Option<int>("--length") { Description = "Sequence length (bp)", DefaultValueFactory = _ => defaults.SequenceLength };
        var treatments = new Option<int>("--treatments") { Description = "Number of treatments", DefaultValueFactory = _ => defaults.TreatmentCount };
        var gc = new Option<double>("--gc") { Description = "Background G+C fraction", DefaultValueFactory = _ => defaults.GcContent };
        var noise = new Option<float>("--noise") { Description = "Standard deviation of the Gaussian noise on each response", DefaultValueFactory = _ => defaults.NoiseStd };
        var motifs = new Option<string?>("--motifs") { Description = "MEME file of the motif pool (default: the built-in yeast motifs)" };
        var match = new Option<float?>("--match") { Description = "Probability of the consensus base at each position of the built-in motifs (default 0.91; 1 plants exact copies)" };
        var seed = new Option<ulong>("--seed") { Description = "Random seed", DefaultValueFactory = _ => defaults.Seed };
        var force = new Option<bool>("--force") { Description = "Overwrite the files of an existing output folder" };
        var command = new Command("simulate", "Simulate promoters with planted motifs, their responses under treatments and the ground truth.")
        {
            output, genes, length, treatments, gc, noise, motifs, match, seed, force,
        };
        CommandErrors.SetAction(command, (parse, stdout, _) =>
        {
            string dir = Path.TrimEndingDirectorySeparator(parse.GetValue(output)!);
            bool overwrite = parse.GetValue(force);
            CommandErrors.CheckOutputFolder(dir, overwrite);
            string? motifPath = parse.GetValue(motifs);
            var options = defaults with
            {
                SequenceCount = Positive(parse.GetValue(genes), "--genes"),
                SequenceLength = Positive(parse.GetValue(length), "--length"),
                TreatmentCount = Positive(parse.GetValue(treatments), "--treatments"),
                GcContent = InRange(parse.GetValue(gc), 0, 1, "--gc"),
                NoiseStd = (float)InRange(parse.GetValue(noise), 0, double.MaxValue, "--noise"),
                Seed = parse.GetValue(seed),
                Motifs = motifPath is not null ? ReadMotifs(motifPath)
                    : parse.GetValue(match) is float m ? BuiltInMotifs.WithMatch((float)InRange(m, 0.26, 1, "--match")) : null,
            };
            if (options.Motifs is { } pool && options.ActiveMotifsPerTreatment > pool.Count)
            {
                options = options with { ActiveMotifsPerTreatment = pool.Count };
            }
            var data = PromoterSimulator.Simulate(options); // everything is computed before the disk is touched
            WriteAtomically(dir, data);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"simulated {data.Sequences.Count:N0} sequences of {options.SequenceLength:N0} bp × {data.Treatments.Count} treatments, {data.Sites.Count:N0} planted sites of {data.Motifs.Count} motifs (seed {options.Seed})"));
            stdout.WriteLine($"wrote {string.Join(", ", SimulationWriter.FileNames)} to {dir}");
            return 0;
        });
        return command;
    }

    private static int Positive(int value, string flag) =>
        value > 0 ? value : throw new CommandException($"{flag} must be positive, got {value}");

    private static double InRange(double value, double min, double max, string flag) =>
        value >= min && value <= max ? value
        : throw new CommandException(max == double.MaxValue
            ? $"{flag} must be finite and ≥ {min}, got {value}"
            : $"{flag} must lie in [{min}, {max}], got {value}");

    private static IReadOnlyList<Motif> ReadMotifs(string path)
    {
        var file = MemeReader.Read(path);
        return file.Motifs.Count > 0 ? file.Motifs : throw new CommandException($"{path}: no motifs in the file");
    }

    /// <summary>
    /// Writes every file into a hidden staging folder beside <paramref name="dir"/>, then moves the folder
    /// (or, when <paramref name="dir"/> exists, each file) into place: a failure while writing leaves
    /// <paramref name="dir"/> as it was.
    /// </summary>
    private static void WriteAtomically(string dir, SimulatedData data)
    {
        string full = Path.GetFullPath(dir);
        string parent = Path.GetDirectoryName(full) ?? throw new CommandException($"{dir} has no parent folder");
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            SimulationWriter.Write(staging, data);
            if (!Directory.Exists(full))
            {
                Directory.Move(staging, full);
                return;
            }
            foreach (var name in SimulationWriter.FileNames)
            {
                File.Move(Path.Combine(staging, name), Path.Combine(full, name), overwrite: true);
            }
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }
}
