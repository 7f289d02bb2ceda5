using System.Diagnostics;
using Promptor.Genomics.Data;
using Promptor.Genomics.Models;
using Promptor.Genomics.Motifs;
using Promptor.Genomics.Simulation;
using Promptor.Genomics.Training;
using Promptor.Tensors;

namespace Promptor.Genomics.Interpretation;

/// <summary>
/// The runnable check behind the attention-AUROC target: simulate promoters with planted
/// treatment-specific motifs (<see cref="PromoterSimulator"/>), train a small cross-attention
/// <see cref="CondPromoter"/> on them, map its attention on the held-out genes and score it against the
/// ground truth (<see cref="AttentionAuroc"/>). Four motifs; treatment <c>T1</c> responds to the first,
/// <c>T2</c> to the second, <c>T3</c> to the third and <c>T4</c> to the first and fourth, so every
/// treatment has planted sites it must ignore.
/// </summary>
public static class AttentionAurocCheck
{
    /// <summary>Runs the check; <paramref name="settings"/> default to the benchmark's size.</summary>
    public static AttentionAurocCheckResult Run(AttentionAurocCheckSettings? settings = null)
    {
        var s = settings ?? new AttentionAurocCheckSettings();
        var clock = Stopwatch.StartNew();
        var motifs = new[]
        {
            Motif.FromConsensus("M1", "TTACTAATC", match: 0.97f),
            Motif.FromConsensus("M2", "GCGATGAGC", match: 0.97f),
            Motif.FromConsensus("M3", "CAGGGGTAC", match: 0.97f),
            Motif.FromConsensus("M4", "ATCCGTACA", match: 0.97f),
        };
        var simulation = PromoterSimulator.Simulate(new SimulationOptions
        {
            SequenceCount = s.Genes,
            SequenceLength = s.Length,
            Motifs = motifs,
            SitesPerMotif = 0.6,
            NoiseStd = 0.2f,
            Seed = s.Seed,
            Treatments =
            [
                new TreatmentSpec("T1", new Dictionary<string, float> { ["M1"] = 1.5f }),
                new TreatmentSpec("T2", new Dictionary<string, float> { ["M2"] = 1.5f }),
                new TreatmentSpec("T3", new Dictionary<string, float> { ["M3"] = -1.5f }),
                new TreatmentSpec("T4", new Dictionary<string, float> { ["M1"] = 1f, ["M4"] = 1.5f }),
            ],
        });
        var dataset = PromoterDataset.Create(simulation.Sequences.Select(r => r.Sequence).ToArray(), simulation.Expression);
        var split = Splits.Random(dataset.Count, seed: s.Seed, validationFraction: 0.15, testFraction: 0.15);
        var modelOptions = new CondPromoterOptions
        {
            TreatmentCount = dataset.TreatmentCount,
            SequenceLength = s.Length,
            Convolutions = [new(32, 9, 1, 2), new(32, 5, 1, 2)],
            ModelDim = 32,
            SelfAttentionBlocks = 0,
            CrossAttentionHeads = 4,
            SelfAttentionHeads = 4,
            HeadHidden = 32,
            Dropout = 0.1f,
        };
        var model = new CondPromoter(modelOptions, new Generator(s.Seed));
        var trainer = new Trainer(new TrainerOptions
        {
            Epochs = s.Epochs,
            BatchSize = 32,
            LearningRate = 2e-3,
            Seed = s.Seed,
            Patience = 0,
            AttentionEntropyPenalty = s.EntropyPenalty,
        });
        var training = trainer.Fit(model, dataset, split);
        var test = trainer.Evaluate(model, dataset, split.Test);
        var genes = split.Test.Select(i => simulation.Sequences[i]).ToArray();
        var maps = AttentionMaps.Compute(model, genes, dataset.Treatments, keepHeads: false);
        var auroc = AttentionAuroc.Compute(maps, simulation.ActiveSites);
        return new AttentionAurocCheckResult(auroc, test.Metrics.MeanPearson, training.BestEpoch, genes.Length, clock.Elapsed);
    }
}
