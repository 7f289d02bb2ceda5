using System.Diagnostics;
using System.Globalization;
using Promptor.Genomics.Data;
using Promptor.Genomics.Interpretation;
using Promptor.Genomics.IO;
using Promptor.Genomics.Models;
using Promptor.Genomics.Motifs;
using Promptor.Genomics.Simulation;
using Promptor.Genomics.Training;
using Promptor.Tensors;

namespace Promptor.Bench;

/// <summary>
/// <c>sim-motifs</c>: does the top motif extracted from a trained model's attention under each treatment
/// match the motif planted for that treatment? Simulates promoters with one SwissRegulon motif acting per
/// treatment (plus one planted motif that acts under none), trains a small cross-attention
/// <see cref="CondPromoter"/> (the attention-AUROC configuration), maps the held-out genes' attention at
/// base-pair resolution, extracts seqlets and clustered PWMs per treatment (<see cref="MotifReport"/>),
/// compares each treatment's top motif with the whole SwissRegulon database (<see cref="MotifComparer"/>)
/// and prints, per treatment: planted motif, top motif's consensus, best match, the planted motif's rank,
/// p and q. The same extraction on ground-truth tracks (1 on the bases of active sites) is printed as a
/// reference.
/// <para>
/// <c>dotnet run -c Release --project bench/Promptor.Bench -- sim-motifs [genes=3000] [length=200]
/// [epochs=12] [seed=1] [stack=small|default] [channels=32] [dim=32] [blocks=0] [window=8] [flank=4] [shift=3] [quantile=0.99] [per-sequence=5] [min-similarity=0.6]
/// [pi0=storey|1] [ranking=enrichment|seqletcount] [clusters=N] [save=DIR] [load=DIR]</c>. <c>save=DIR</c> writes the test genes (<c>genes.fa</c>),
/// their attention (<c>attention.npy</c>, genes × treatments × bp) and the active sites
/// (<c>active_sites.tsv</c>); <c>load=DIR</c> reads them back instead of training, to try extraction
/// settings quickly.
/// </para>
/// </summary>
public static class SimulatedMotifsBenchmark
{
    /// <summary>The treatments and the SwissRegulon motif each one responds to (T3 represses).</summary>
    public static IReadOnlyList<(string Treatment, string Motif, float Effect)> Design { get; } =
    [
        ("T1", "REB1", 1.5f),
        ("T2", "RAP1", 1.5f),
        ("T3", "GCN4", -1.5f),
        ("T4", "ROX1", 1.5f),
    ];

    /// <summary>A motif planted as often as the others but acting under no treatment.</summary>
    public const string InertMotif = "CBF1";

    private const string GenesFile = "genes.fa";
    private const string AttentionFile = "attention.npy";
    private const string SitesFile = "active_sites.tsv";

    /// <summary>Runs the benchmark and prints the tables.</summary>
    public static int Run(string[] args)
    {
        var settings = new BenchSettings(args);
        var c = CultureInfo.InvariantCulture;
        var clock = Stopwatch.StartNew();
        string dataDir = YeastStressTask.FindDataDirectory() ?? throw new InvalidOperationException("the data folder was not found");
        var database = MotifFiles.Read(Path.Combine(dataDir, "motifs", "SwissRegulon_s_cer.meme"));
        var byId = database.ToDictionary(m => m.Id, StringComparer.Ordinal);

        IReadOnlyList<FastaRecord> genes;
        string[] treatments = Design.Select(d => d.Treatment).ToArray();
        float[] attention; // (G, T, L)
        List<ActiveSite> active;
        if (settings.Has("load"))
        {
            string dir = settings.Text("load", "");
            genes = FastaReader.Read(Path.Combine(dir, GenesFile));
            attention = NpyReader.Read(Path.Combine(dir, AttentionFile)).Data;
            active = ReadSites(Path.Combine(dir, SitesFile));
            Console.WriteLine($"sim-motifs: loaded {genes.Count} test genes from {dir}");
        }
        else
        {
            (genes, attention, active) = TrainAndMap(settings, byId, treatments);
            if (settings.Has("save"))
            {
                string dir = settings.Text("save", "");
                Directory.CreateDirectory(dir);
                FastaWriter.Write(Path.Combine(dir, GenesFile), genes);
                NpyWriter.Write(Path.Combine(dir, AttentionFile), [genes.Count, treatments.Length, genes[0].Length], attention);
                WriteSites(Path.Combine(dir, SitesFile), active);
            }
        }
        int l = genes[0].Length;

        var options = ExtractionOptions(settings);
        var comparer = new MotifComparer(database, options.Comparison);
        var sequences = genes.ToDictionary(g => g.Id, g => g.Sequence, StringComparer.Ordinal);
        var modelTracks = new List<ImportanceTrack>();
        var truthTracks = new List<ImportanceTrack>();
        var activeByGene = active.ToLookup(s => (s.GeneId, s.Treatment));
        for (int g = 0; g < genes.Count; g++)
        {
            for (int t = 0; t < treatments.Length; t++)
            {
                modelTracks.Add(new ImportanceTrack(genes[g].Id, treatments[t], attention.AsSpan((g * treatments.Length + t) * l, l).ToArray()));
                var truth = new float[l];
                foreach (var s in activeByGene[(genes[g].Id, treatments[t])])
                {
                    Array.Fill(truth, 1f, s.Start, s.End - s.Start);
                }
                truthTracks.Add(new ImportanceTrack(genes[g].Id, treatments[t], truth));
            }
        }

        Console.WriteLine(string.Create(c, $"extraction: ranked by {options.Ranking}, window {options.Seqlets.WindowWidth}, flank {options.Seqlets.Flank}, shift {options.Clustering.MaxShift}, quantile {options.Seqlets.Quantile}, ≤ {options.Seqlets.MaxPerSequence} per gene, min similarity {options.Clustering.MinSimilarity}, π0 {(options.Comparison.NullFraction is double pi0 ? pi0.ToString(c) : "Storey")}"));
        foreach (var (label, tracks) in new[] { ("attention of the trained model", modelTracks), ("ground-truth tracks (1 on active sites)", truthTracks) })
        {
            Console.WriteLine();
            Console.WriteLine($"top motif per treatment from the {label}, against SwissRegulon ({database.Count} motifs):");
            var report = MotifReport.Build(sequences, tracks, database: null, options, treatments);
            Console.WriteLine("treatment  planted  sites  seqlets  on-site  top motif (seqlets)       best match (q)      planted rank  p         q         q<0.05");
            int matched = 0;
            foreach (var (treatment, planted, _) in Design)
            {
                var rows = tracks.Where(t => t.Treatment == treatment).ToList();
                var seqlets = SeqletExtractor.Extract(rows.Select(r => sequences[r.Gene]).ToList(), rows.Select(r => r.Values).ToList(), options.Seqlets);
                var siteSets = rows.Select(r => activeByGene[(r.Gene, treatment)].ToArray()).ToArray();
                int onSite = seqlets.Count(s => siteSets[s.SequenceIndex].Any(a => s.Start < a.End && a.Start < s.End));
                int sites = rows.Sum(r => activeByGene[(r.Gene, treatment)].Count());
                var top = report.Motifs.FirstOrDefault(m => m.Treatment == treatment);
                if (top is null)
                {
                    Console.WriteLine(string.Create(c, $"{treatment,-9}  {planted,-7}  {sites,5}  {seqlets.Count,7}  {onSite,7}  (no cluster)"));
                    continue;
                }
                var matches = comparer.Compare(top.Motif);
                int rank = matches.Select((m, i) => (m, i)).First(x => x.m.TargetId == planted).i + 1;
                var mine = matches[rank - 1];
                bool ok = mine.QValue < 0.05;
                matched += ok ? 1 : 0;
                string topText = $"{top.Motif.Consensus()} ({top.SeqletCount})";
                string bestText = string.Create(c, $"{matches[0].TargetId} ({matches[0].QValue:G2})");
                Console.WriteLine(string.Create(c,
                    $"{treatment,-9}  {planted,-7}  {sites,5}  {seqlets.Count,7}  {onSite,7}  {topText,-25}  {bestText,-18}  {rank,12}  {mine.PValue,-8:G2}  {mine.QValue,-8:G2}  {(ok ? "yes" : "no")}"));
            }
            Console.WriteLine($"{matched} of {Design.Count} treatments: top motif matches the planted one with q < 0.05");
            int shown = settings.Int("clusters", 0);
            if (shown > 0)
            {
                var more = MotifReport.Build(sequences, tracks, database: null, options with { TopMotifs = shown }, treatments);
                foreach (var m in more.Motifs)
                {
                    var best = comparer.Compare(m.Motif)[0];
                    Console.WriteLine(string.Create(c, $"  {m.Treatment} #{m.Rank}: {m.Motif.Consensus(),-24} {m.SeqletCount,5} seqlets, {m.Motif.TotalInformationContent(),5:F1} bits, in {m.Enrichment?.SeqletFraction:P0} of seqlets vs {m.Enrichment?.ControlFraction:P0} of controls (z {m.Enrichment?.Z:F1}) ~ {best.TargetId} (q {best.QValue:G2})"));
                }
            }
        }
        Console.WriteLine(string.Create(c, $"total {clock.Elapsed.TotalSeconds:F0} s"));
        return 0;
    }

    /// <summary>The extraction settings: the library defaults, overridden by the command line.</summary>
    private static MotifReportOptions ExtractionOptions(BenchSettings settings)
    {
        var d = new MotifReportOptions();
        var seqlets = d.Seqlets with
        {
            WindowWidth = settings.Int("window", d.Seqlets.WindowWidth),
            Flank = settings.Int("flank", d.Seqlets.Flank),
            Quantile = settings.Double("quantile", d.Seqlets.Quantile),
            MaxPerSequence = settings.Int("per-sequence", d.Seqlets.MaxPerSequence),
        };
        var clustering = d.Clustering with
        {
            MaxShift = settings.Int("shift", d.Clustering.MaxShift),
            MinSimilarity = settings.Double("min-similarity", d.Clustering.MinSimilarity),
        };
        var comparison = d.Comparison with
        {
            NullFraction = settings.Text("pi0", "") switch
            {
                "" => d.Comparison.NullFraction,
                "storey" => null,
                var v => double.Parse(v, CultureInfo.InvariantCulture),
            },
        };
        return d with { TopMotifs = 1, Ranking = settings.Enum("ranking", d.Ranking), Seqlets = seqlets, Clustering = clustering, Comparison = comparison };
    }

    private static (IReadOnlyList<FastaRecord> Genes, float[] Attention, List<ActiveSite> Active) TrainAndMap(
        BenchSettings settings, Dictionary<string, Motif> byId, string[] treatments)
    {
        var c = CultureInfo.InvariantCulture;
        int geneCount = settings.Int("genes", 3000), length = settings.Int("length", 200), epochs = settings.Int("epochs", 12);
        ulong seed = (ulong)settings.Int("seed", 1);
        string stack = settings.Text("stack", "small");
        int channels = settings.Int("channels", 32), dim = settings.Int("dim", 32);
        var clock = Stopwatch.StartNew();
        var motifs = Design.Select(d => byId[d.Motif]).Append(byId[InertMotif]).ToArray();
        var simulation = PromoterSimulator.Simulate(new SimulationOptions
        {
            SequenceCount = geneCount,
            SequenceLength = length,
            Motifs = motifs,
            SitesPerMotif = 0.6,
            NoiseStd = 0.2f,
            Seed = seed,
            Treatments = Design.Select(d => new TreatmentSpec(d.Treatment, new Dictionary<string, float> { [d.Motif] = d.Effect })).ToArray(),
        });
        var dataset = PromoterDataset.Create(simulation.Sequences.Select(r => r.Sequence).ToArray(), simulation.Expression);
        var split = Splits.Random(dataset.Count, seed: seed, validationFraction: 0.15, testFraction: 0.15);
        var model = new CondPromoter(new CondPromoterOptions
        {
            TreatmentCount = dataset.TreatmentCount,
            SequenceLength = length,
            Convolutions = stack == "default"
                ? [new(channels, 15, 1, 4), new(channels, 9, 1, 4)]
                : [new(channels, 9, 1, 2), new(channels, 5, 1, 2)],
            ModelDim = dim,
            SelfAttentionBlocks = settings.Int("blocks", 0),
            CrossAttentionHeads = 4,
            SelfAttentionHeads = 4,
            HeadHidden = dim,
            Dropout = 0.1f,
        }, new Generator(seed));
        var trainer = new Trainer(new TrainerOptions { Epochs = epochs, BatchSize = 32, LearningRate = 2e-3, Seed = seed, Patience = 0 });
        var training = trainer.Fit(model, dataset, split);
        var test = trainer.Evaluate(model, dataset, split.Test);
        var genes = split.Test.Select(i => simulation.Sequences[i]).ToArray();
        var maps = AttentionMaps.Compute(model, genes, dataset.Treatments, keepHeads: false);
        var attention = new float[genes.Length * treatments.Length * length];
        for (int g = 0; g < genes.Length; g++)
        {
            for (int t = 0; t < treatments.Length; t++)
            {
                maps.Map(g, maps.TreatmentIndex(treatments[t])).CopyTo(attention.AsSpan((g * treatments.Length + t) * length, length));
            }
        }
        var testIds = genes.Select(g => g.Id).ToHashSet(StringComparer.Ordinal);
        var active = simulation.ActiveSites.Where(s => testIds.Contains(s.GeneId)).ToList();
        var auroc = AttentionAuroc.Compute(maps, simulation.ActiveSites);
        Console.WriteLine(string.Create(c,
            $"sim-motifs: {geneCount} simulated genes × {length} bp, {stack} conv stack ({string.Join(", ", model.Options.Convolutions.Select(k => $"{k.Filters}×{k.Width} pool {k.Pool}"))}, receptive field {ReceptiveField.Of(model.Options).Size} bp), d {dim}, {model.Options.SelfAttentionBlocks} self-attention blocks; motifs {string.Join(", ", Design.Select(d => $"{d.Treatment} ← {d.Motif}"))}, inert {InertMotif}; {epochs} epochs (best {training.BestEpoch}), seed {seed}; {genes.Length} test genes, test mean Pearson {test.Metrics.MeanPearson:F3}, attention AUROC mean {auroc.Mean:F3} ({string.Join(", ", auroc.Rows.Select(r => string.Create(c, $"{r.Treatment} {r.Auroc:F3}")))}); {clock.Elapsed.TotalSeconds:F0} s"));
        return (genes, attention, active);
    }

    private static void WriteSites(string path, List<ActiveSite> sites)
    {
        using var w = new StreamWriter(path);
        w.WriteLine("gene\ttreatment\tmotif\tstart\tend");
        foreach (var s in sites)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.GeneId}\t{s.Treatment}\t{s.MotifId}\t{s.Start}\t{s.End}"));
        }
    }

    private static List<ActiveSite> ReadSites(string path) =>
        File.ReadLines(path).Skip(1).Select(line => line.Split('\t')).Select(f => new ActiveSite(f[0], f[1], f[2],
            int.Parse(f[3], CultureInfo.InvariantCulture), int.Parse(f[4], CultureInfo.InvariantCulture), Strand.Plus, 0, 0)).ToList();
}
