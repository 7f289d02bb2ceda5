using System.Globalization;
using Promptor.Genomics.Interpretation;

namespace Promptor.Bench;

/// <summary>
/// <c>attention-auroc [--genes N] [--epochs E] [--entropy λ] [--seed S]</c>: trains a small CondPromoter on
/// simulated promoters with planted treatment-specific motifs and prints the attention AUROC per
/// treatment (<see cref="AttentionAurocCheck"/>).
/// </summary>
public static class AttentionAurocBenchmark
{
    /// <summary>Runs the check and prints a table.</summary>
    public static int Run(string[] args)
    {
        var s = new AttentionAurocCheckSettings();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            string v = args[i + 1];
            s = args[i] switch
            {
                "--genes" => s with { Genes = int.Parse(v, CultureInfo.InvariantCulture) },
                "--epochs" => s with { Epochs = int.Parse(v, CultureInfo.InvariantCulture) },
                "--entropy" => s with { EntropyPenalty = float.Parse(v, CultureInfo.InvariantCulture) },
                "--seed" => s with { Seed = ulong.Parse(v, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        var r = AttentionAurocCheck.Run(s);
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"attention AUROC: {s.Genes} simulated genes × {s.Length} bp, {s.Epochs} epochs (best {r.BestEpoch}), entropy λ = {s.EntropyPenalty}, seed {s.Seed}; {r.TestGenes} test genes; test mean Pearson {r.TestMeanPearson:F3}; {r.Elapsed.TotalSeconds:F0} s"));
        Console.WriteLine("treatment  genes  positives  AUROC");
        foreach (var row in r.Auroc.Rows)
        {
            Console.WriteLine(string.Create(c, $"{row.Treatment,-9}  {row.Genes,5}  {row.Positives,9}  {row.Auroc:F3}"));
        }
        Console.WriteLine(string.Create(c, $"mean AUROC {r.Auroc.Mean:F3}, min {r.Auroc.Min:F3}"));
        return 0;
    }
}
