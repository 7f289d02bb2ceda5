using System.Globalization;
using System.Text;
using Promptor.Genomics.Data;
using Promptor.Genomics.IO;
using Promptor.Genomics.Training;

namespace Promptor.Genomics.Interpretation;

/// <summary>
/// The two questions DESIGN.md asks of the yeast stress model's attention, answered with numbers and a
/// random-gene control, as a short Markdown report:
/// <list type="number">
/// <item>Is peroxide attention enriched at Yap1 sites (<c>TTA[CG]TAA</c>) compared with heat, among
/// peroxide-induced genes? (log2 response ≥ 1 under <c>Peroxide 20'</c>; attention under
/// <c>Peroxide 20'</c> vs <c>Heat 15'</c>.)</item>
/// <item>Is the STRE (<c>AGGGG</c>, Msn2/4) attended under stress, and less so in the msn2/4 mutant?
/// (Genes induced under <c>Acid 20'</c>; enrichment under several stresses, and attention under
/// <c>Acid 20'</c> vs <c>msn2/4 acid 20'</c>.)</item>
/// </list>
/// Genes are the held-out test genes (chromosome IV) of the bundled task; the control is a random set
/// of the same size among the other test genes. Enrichment: the top 10 % of each gene's positions by
/// head-averaged attention against the rest (odds ratio, one-sided Fisher p); paired: the attention mass on
/// sites per gene under two treatments (sign test).
/// </summary>
public static class YeastAttentionQuestions
{
    /// <summary>Log2 response at or above which a gene counts as induced. Default 1 (two-fold).</summary>
    public const float InducedLog2 = 1f;

    /// <summary>Treatments compared for the STRE enrichment.</summary>
    public static IReadOnlyList<string> StressTreatments { get; } = ["Heat 15'", "Peroxide 20'", "Acid 20'", "Alkali 20'", "NaCl 15'", "Sorbitol 15'", "msn2/4 acid 20'"];

    /// <summary>
    /// Answers both questions for the model in <paramref name="runDirectory"/> (<c>best.safetensors</c>)
    /// and returns the Markdown report.
    /// </summary>
    /// <param name="runDirectory">A yeast-demo run folder.</param>
    /// <param name="dataDirectory">The bundled data folder; default: searched from the run folder, then the current and application folders.</param>
    /// <param name="seed">Seed of the random control genes. Default 1.</param>
    /// <exception cref="ArgumentException">The model has no attention, or lacks a treatment the questions need.</exception>
    /// <exception cref="DirectoryNotFoundException">The data folder cannot be found.</exception>
    public static string Run(string runDirectory, string? dataDirectory = null, ulong seed = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(runDirectory);
        string checkpoint = Path.Combine(runDirectory, Trainer.BestFileName);
        var (model, info) = TrainingCheckpoint.LoadCondPromoter(checkpoint);
        if (!AttentionMaps.HasAttention(model.Options))
        {
            throw new ArgumentException($"{checkpoint} holds a CondPromoter with {model.Options.Conditioning} conditioning, which has no attention to question.");
        }
        string data = dataDirectory ?? YeastStressTask.FindDataDirectory(runDirectory) ?? YeastStressTask.FindDataDirectory()
            ?? throw new DirectoryNotFoundException("The bundled data folder was not found; pass its path.");
        var task = YeastStressTask.Load(data);
        if (!task.Treatments.SequenceEqual(info.Treatments))
        {
            throw new ArgumentException($"{checkpoint} was trained on other treatments than the bundled yeast task.");
        }
        int Index(string name) => AttentionMaps.SelectTreatments(info.Treatments, [name])[0];
        int peroxide = Index("Peroxide 20'"), heat = Index("Heat 15'"), acid = Index("Acid 20'"), mutant = Index("msn2/4 acid 20'");

        var test = task.Split.Test;
        int[] Induced(int treatment) => test.Where(i => task.Dataset.Mask.Data[i * task.Treatments.Count + treatment] > 0
            && task.Dataset.Targets.Data[i * task.Treatments.Count + treatment] >= InducedLog2).ToArray();
        var peroxideInduced = Induced(peroxide);
        var acidInduced = Induced(acid);
        var peroxideControl = Control(test, peroxideInduced, seed);
        var acidControl = Control(test, acidInduced, seed + 1);

        var rows = peroxideInduced.Concat(peroxideControl).Concat(acidInduced).Concat(acidControl).Distinct().Order().ToArray();
        var genes = rows.Select(i => task.Promoters[i]).ToArray();
        var maps = AttentionMaps.Compute(model, genes, info.Treatments, keepHeads: false);
        var local = rows.Select((row, k) => (row, k)).ToDictionary(p => p.row, p => p.k);
        int[] Local(int[] set) => set.Select(i => local[i]).ToArray();
        var yap1 = DifferentialAttention.Pattern("TTA[CG]TAA");
        var stre = DifferentialAttention.Pattern("AGGGG");
        var yap1Masks = genes.Select(g => DifferentialAttention.MotifMask(g.Sequence, yap1)).ToArray();
        var streMasks = genes.Select(g => DifferentialAttention.MotifMask(g.Sequence, stre)).ToArray();

        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# Attention of the yeast stress model at known elements");
        sb.AppendLine();
        sb.AppendLine(c, $"Model: `{checkpoint}` (epoch {info.Epoch}, {model.Options.Conditioning}, {model.Options.CrossAttentionHeads} heads). Genes: held-out test genes (chromosome IV, {test.Length:N0}); induced = log2 response ≥ {InducedLog2:0.#}. Control: as many random test genes that are not induced (seed {seed}). High attention = top 10 % of each gene's positions (head average, bp resolution).");
        sb.AppendLine();

        sb.AppendLine("## Yap1 (TTA[CG]TAA): peroxide vs heat among peroxide-induced genes");
        sb.AppendLine();
        AppendEnrichment(sb, maps, yap1Masks, [("peroxide-induced", Local(peroxideInduced)), ("random control", Local(peroxideControl))], [peroxide, heat]);
        AppendPaired(sb, maps, yap1Masks, [("peroxide-induced", Local(peroxideInduced)), ("random control", Local(peroxideControl))], peroxide, heat);

        sb.AppendLine("## STRE (AGGGG) under stress and in the msn2/4 mutant, among acid-induced genes");
        sb.AppendLine();
        var stress = StressTreatments.Where(info.Treatments.Contains).Select(Index).ToArray();
        AppendEnrichment(sb, maps, streMasks, [("acid-induced", Local(acidInduced)), ("random control", Local(acidControl))], stress);
        AppendPaired(sb, maps, streMasks, [("acid-induced", Local(acidInduced)), ("random control", Local(acidControl))], acid, mutant);
        sb.AppendLine("Reading: an odds ratio above 1 with a small p means the high-attention positions fall on the element more often than the rest of the promoter; mass/coverage is the attention on the element relative to uniform attention. A question is answered yes only when the induced genes show it and the random control does not.");
        return sb.ToString();
    }

    private static int[] Control(int[] test, int[] induced, ulong seed)
    {
        var others = test.Except(induced).ToArray();
        return DifferentialAttention.RandomGenes(induced.Length, others.Length, null, seed).Select(i => others[i]).ToArray();
    }

    private static void AppendEnrichment(StringBuilder sb, AttentionMapSet maps, bool[][] masks, (string Name, int[] Genes)[] sets, int[] treatments)
    {
        var c = CultureInfo.InvariantCulture;
        sb.AppendLine("| genes | n | treatment | odds ratio | Fisher p | mass on sites | site coverage | mass / coverage |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var (name, genes) in sets)
        {
            foreach (int t in treatments)
            {
                var e = DifferentialAttention.Enrichment(maps, masks, genes, t);
                sb.AppendLine(c, $"| {name} | {genes.Length} | {e.Treatment} | {e.OddsRatio:F2} | {e.PValue:G3} | {e.MassOnSites:F4} | {e.SiteCoverage:F4} | {e.MassEnrichment:F2} |");
            }
        }
        sb.AppendLine();
    }

    private static void AppendPaired(StringBuilder sb, AttentionMapSet maps, bool[][] masks, (string Name, int[] Genes)[] sets, int a, int b)
    {
        var c = CultureInfo.InvariantCulture;
        sb.AppendLine(c, $"Paired per gene (genes with a site): attention mass on sites under {maps.Treatments[a]} vs {maps.Treatments[b]}.");
        sb.AppendLine();
        sb.AppendLine("| genes | genes with a site | mean mass A | mean mass B | A higher | B higher | sign-test p |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var (name, genes) in sets)
        {
            var p = DifferentialAttention.CompareSiteMass(maps, masks, genes, a, b);
            sb.AppendLine(c, $"| {name} | {p.GeneCount} | {p.MeanMassA:F4} | {p.MeanMassB:F4} | {p.GenesAHigher} | {p.GenesBHigher} | {p.SignTestP:G3} |");
        }
        sb.AppendLine();
    }
}
