using System.Globalization;
using System.Text;
using Promptor.Genomics.Motifs;
using Promptor.Genomics.Simulation;
using Promptor.Tests.Genomics;

namespace Promptor.Tests.Cli;

/// <summary>
/// Tiny user files for the training commands: 48 simulated promoters of 40 bp with planted motifs and
/// three treatments (wide TSV), and the flags of a network small enough that one epoch takes well under a second.
/// </summary>
internal static class CliTrainingData
{
    public static readonly string[] Treatments = ["heat", "peroxide", "starvation"];

    /// <summary>A tiny CondPromoter: one 8-filter convolution pooled by 4, width 8, no self-attention.</summary>
    public static readonly string[] TinyModel =
    [
        "--conv-filters", "8", "--conv-widths", "5", "--conv-pools", "4", "--d-model", "8", "--heads", "2",
        "--self-attention-heads", "2", "--self-attention-blocks", "0", "--head-hidden", "8",
    ];

    /// <summary>One short epoch with a fixed seed and a random split.</summary>
    public static readonly string[] QuickTraining = ["--epochs", "1", "--max-batches", "2", "--batch-size", "16", "--split", "Random", "--split-seed", "3"];

    /// <summary>Writes <c>promoters.fa</c> and <c>expression.tsv</c> into <paramref name="dir"/>.</summary>
    public static (string Fasta, string Table) Write(TempDirectory dir)
    {
        var sim = PromoterSimulator.Simulate(new SimulationOptions
        {
            SequenceCount = 48,
            SequenceLength = 40,
            Motifs =
            [
                Motif.FromConsensus("STRE", "AGGGGA", match: 1f),
                Motif.FromConsensus("YRE", "TTACTAA", match: 1f),
            ],
            SitesPerMotif = 0.6,
            Treatments =
            [
                new TreatmentSpec(Treatments[0], new Dictionary<string, float> { ["STRE"] = 2f }),
                new TreatmentSpec(Treatments[1], new Dictionary<string, float> { ["YRE"] = 2f }),
                new TreatmentSpec(Treatments[2], new Dictionary<string, float> { ["STRE"] = -1f }),
            ],
            NoiseStd = 0.2f,
            Seed = 7,
        });
        var fasta = new StringBuilder();
        foreach (var s in sim.Sequences)
        {
            fasta.Append('>').Append(s.Id).Append('\n').Append(s.Sequence).Append('\n');
        }
        var table = new StringBuilder("gene\t" + string.Join('\t', Treatments) + "\n");
        for (int g = 0; g < sim.Expression.GeneCount; g++)
        {
            table.Append(sim.Expression.GeneIds[g]);
            for (int c = 0; c < Treatments.Length; c++)
            {
                table.Append('\t').Append(sim.Expression[g, c].ToString("R", CultureInfo.InvariantCulture));
            }
            table.Append('\n');
        }
        return (dir.Write("promoters.fa", fasta.ToString()), dir.Write("expression.tsv", table.ToString()));
    }

    /// <summary>The arguments of a quick <c>train</c> run on the files into <paramref name="output"/>.</summary>
    public static string[] TrainArgs(string fasta, string table, string output, params string[] extra) =>
        ["train", "--sequences", fasta, "--expression", table, "--out", output, .. TinyModel, .. QuickTraining, .. extra];

    /// <summary>Every file of a folder with its bytes (to show that a failed command changed nothing).</summary>
    public static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes)
            : [];

    public static void AssertUnchanged(Dictionary<string, byte[]> before, string folder)
    {
        var after = Snapshot(folder);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (file, bytes) in before)
        {
            Assert.Equal(bytes, after[file]);
        }
    }
}
