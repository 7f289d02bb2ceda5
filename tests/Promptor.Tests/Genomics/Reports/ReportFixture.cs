using System.Globalization;
using System.Text;
using Promptor.Genomics.Models;
using Promptor.Genomics.Motifs;
using Promptor.Genomics.Reports;
using Promptor.Genomics.Training;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Reports;

/// <summary>
/// Writes a small run folder with every file the report reads, in the formats their writers use:
/// 3 treatments (one with markup in its name, to test escaping), 3 epochs, 4 ladder rungs, 40 bp
/// meta-profiles, 2 example genes and 3 top motifs (2 under the first treatment, 1 under the second).
/// </summary>
internal static class ReportFixture
{
    public const int Length = 40;
    public const string Hostile = "<script>alert('x')</script> & \"co\"";

    public static readonly string[] Treatments = ["Heat 15'", "Peroxide 20'", Hostile];

    /// <summary>Writes every input file into <paramref name="directory"/>.</summary>
    public static void WriteAll(string directory)
    {
        WriteManifest(directory);
        WriteMetrics(directory);
        WriteTestMetrics(directory);
        File.WriteAllText(Path.Combine(directory, ReportFiles.Summary),
            "# Promptor demo\n\n- genes: 1,234 (split)\n- best epoch 2 of 3\n\n| treatment | genes |\n|---|---|\n");
        WriteLadder(directory);
        WriteAttention(directory);
        WriteMotifs(directory);
    }

    public static void WriteManifest(string directory)
    {
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var manifest = new RunManifest
        {
            PromptorVersion = "0.1.0",
            DotnetVersion = ".NET 10.0",
            StartedUtc = now,
            UpdatedUtc = now.AddMinutes(5),
            Model = ModelDescription.Of(new CondPromoter(new CondPromoterOptions
            {
                TreatmentCount = Treatments.Length,
                SequenceLength = Length,
                Convolutions = [new(4, 5, 1, 2)],
                ModelDim = 8,
                SelfAttentionBlocks = 0,
                SelfAttentionHeads = 2,
                CrossAttentionHeads = 2,
                HeadHidden = 8,
            }, new Generator(1))),
            ParameterCount = 12345,
            TrainerOptions = new TrainerOptions { Epochs = 3, Seed = 7 },
            Seed = 7,
            Data = new DataHashes(new string('a', 64), new string('b', 64), new string('c', 64), new string('d', 64), new string('e', 64), new string('f', 64),
                [new FileHash("data/expression.tsv", new string('1', 64))]),
            Treatments = Treatments,
            Genes = new GeneCounts(100, 80, 10, 10),
            Scaler = new ScalerSnapshot(Treatments, [0, 0, 0], [1, 1, 1]),
            Status = RunStatus.Completed,
            EpochsCompleted = 3,
            BestEpoch = 2,
            BestMetric = 0.31,
        };
        manifest.Save(Path.Combine(directory, ReportFiles.RunManifest));
    }

    public static void WriteMetrics(string directory)
    {
        var records = Enumerable.Range(1, 3).Select(e => new EpochRecord(e, e * 10, 1e-3, 1.0 / e, 1.1 / e, 0.1 * e, 0.09 * e,
            double.NaN, double.NaN, 12.5, e == 2, [])).ToArray();
        MetricsFile.WriteEpochs(Path.Combine(directory, ReportFiles.Metrics), records);
    }

    public static void WriteTestMetrics(string directory)
    {
        var metrics = new TreatmentMetrics(Treatments.Select((t, i) => new TreatmentMetric(t, 50 + i, 0.2 + 0.1 * i, 0.15 + 0.1 * i, 0.05, double.NaN, double.NaN)).ToArray());
        File.WriteAllText(Path.Combine(directory, ReportFiles.TestMetrics), metrics.ToTsv());
    }

    public static void WriteLadder(string directory)
    {
        File.WriteAllText(Path.Combine(directory, ReportFiles.Ladder),
            "rung\tparams\tmean_pearson\tmean_spearman\tHeat 15'\tPeroxide 20'\tmsn2/4 acid 20'\ttrain_seconds\n"
            + "k-mer ridge\t2080\t0.196\t0.180\t0.25\t0.22\t0.11\t3.5\n"
            + "multi-task\t50000\t0.104\tNA\t0.12\t0.10\t0.05\t60.2\n"
            + "concat-MLP\t52000\t0.150\t0.140\t0.2\t0.18\t0.08\t61\n"
            + "cross-attention\t53000\t0.214\t0.200\t0.3\t0.25\t0.12\t75.25\n");
    }

    public static void WriteAttention(string directory)
    {
        string dir = Directory.CreateDirectory(Path.Combine(directory, "attention")).FullName;
        var profile = new StringBuilder("treatment\tposition\tmean_attention\n");
        foreach (var (t, k) in Treatments.Select((t, k) => (t, k)))
        {
            for (int p = 0; p < Length; p++)
            {
                profile.Append(CultureInfo.InvariantCulture, $"{t}\t{p}\t{Bump(p, 10 + 8 * k):G6}\n");
            }
        }
        File.WriteAllText(Path.Combine(dir, "meta_profile.tsv"), profile.ToString());

        var genes = new StringBuilder("gene\ttreatment\t" + string.Join('\t', Enumerable.Range(0, Length).Select(p => $"p{p}")) + "\n");
        var fasta = new StringBuilder();
        foreach (var (gene, centre) in new[] { ("YDL001W", 12), ("YDR002C", 30) })
        {
            foreach (var t in Treatments)
            {
                genes.Append(gene).Append('\t').Append(t).Append('\t')
                    .Append(string.Join('\t', Enumerable.Range(0, Length).Select(p => Bump(p, centre).ToString("G6", CultureInfo.InvariantCulture)))).Append('\n');
            }
            fasta.Append('>').Append(gene).Append('\n').Append(string.Concat(Enumerable.Repeat("ACGTTAGC", Length / 8))).Append('\n');
        }
        File.WriteAllText(Path.Combine(dir, "example_genes.tsv"), genes.ToString());
        File.WriteAllText(Path.Combine(dir, "example_genes.fa"), fasta.ToString());
    }

    public static void WriteMotifs(string directory)
    {
        string dir = Directory.CreateDirectory(Path.Combine(directory, "motifs")).FullName;
        MemeWriter.Write(Path.Combine(dir, "motifs.meme"),
        [
            Motif.FromConsensus("heat_1", "AGGGG"),
            Motif.FromConsensus("heat_2", "AAAAATTTT"),
            Motif.FromConsensus("peroxide_1", "TTASTAA"),
        ]);
        File.WriteAllText(Path.Combine(dir, "top_motifs.tsv"),
            "treatment\trank\tmotif_id\tconsensus\tseqlets\tbest_match_id\tbest_match_name\tp\tq\n"
            + "Heat 15'\t1\theat_1\tAGGGG\t120\tMSN2\tMsn2p\t1e-6\t0.0004\n"
            + "Heat 15'\t2\theat_2\tAAAAATTTT\t40\tNA\tNA\tNA\tNA\n"
            + "Peroxide 20'\t1\tperoxide_1\tTTASTAA\t33\tYAP1\tYap1p\t0.002\t0.03\n");
    }

    /// <summary>A normalised bump of attention centred on <paramref name="centre"/>.</summary>
    private static double Bump(int position, int centre)
    {
        double raw(int p) => Math.Exp(-0.5 * Math.Pow((p - centre) / 3.0, 2)) + 0.05;
        double total = Enumerable.Range(0, Length).Sum(raw);
        return raw(position) / total;
    }
}
