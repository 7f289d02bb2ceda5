using System.Diagnostics;
using System.Globalization;
using Promptor.Genomics.Data;
using Promptor.Genomics.Models;
using Promptor.Genomics.Simulation;
using Promptor.Genomics.Training;
using Promptor.Tensors;

namespace Promptor.Bench;

/// <summary>
/// Recovery of planted treatment-specific motifs: simulates promoters whose response under each
/// treatment is the sum of its active motifs' effects plus noise, trains the default
/// cross-attention CondPromoter (a smaller conv stack for the shorter sequences), and reports the
/// mean test Pearson against the noiseless response (the target is ≥ 0.9) and against the noisy one.
/// <c>dotnet run -c Release --project bench/Promptor.Bench -- simulation [genes=4000] [length=300]
/// [treatments=4] [epochs=15] [noise=0.3] [seed=1] [filters=64] [dim=64] [hidden=64] [blocks=1] [heads=4] [queries=1] [lr=1e-3] [batch=64]
/// [conditioning=CrossAttention] [positions=Sinusoidal] [attended-bn=0] [ema=0] [patience=5] [match=0.91 (mass on each consensus base of the built-in motifs)]</c>
/// </summary>
public static class SimulationAccuracyBenchmark
{
    /// <summary>Runs the benchmark.</summary>
    public static int Run(string[] args)
    {
        var settings = new BenchSettings(args);
        double noise = settings.Double("noise", 0.3);
        ulong seed = (ulong)settings.Int("seed", 1);
        var simulation = PromoterSimulator.Simulate(new SimulationOptions
        {
            SequenceCount = settings.Int("genes", 4000),
            SequenceLength = settings.Int("length", 300),
            TreatmentCount = settings.Int("treatments", 4),
            NoiseStd = (float)noise,
            Seed = seed,
            Motifs = settings.Has("match") ? Promptor.Genomics.Motifs.BuiltInMotifs.WithMatch((float)settings.Double("match", 0.91)) : null,
        });
        var sequences = simulation.Sequences.Select(s => s.Sequence).ToArray();
        var dataset = PromoterDataset.Create(sequences, simulation.Expression);
        var noiseless = PromoterDataset.Create(sequences, simulation.Noiseless);
        var split = Splits.Random(dataset.Count, seed);
        var options = new CondPromoterOptions
        {
            TreatmentCount = dataset.TreatmentCount,
            SequenceLength = dataset.SequenceLength,
            Convolutions = [new(settings.Int("filters", 64), 15, 1, 4), new(settings.Int("filters", 64), 9, 1, 2)],
            ModelDim = settings.Int("dim", 64),
            SelfAttentionBlocks = settings.Int("blocks", 1),
            SelfAttentionHeads = settings.Int("heads", 4),
            CrossAttentionHeads = settings.Int("heads", 4),
            QueriesPerTreatment = settings.Int("queries", 1),
            HeadHidden = settings.Int("hidden", 64),
        };
        options = options with
        {
            Conditioning = settings.Enum("conditioning", options.Conditioning),
            Positions = settings.Enum("positions", options.Positions),
            AttendedBatchNorm = settings.Int("attended-bn", 0) == 1,
        };
        var clock = Stopwatch.StartNew();
        double lr = settings.Double("lr", 1e-3);
        var trainer = new Trainer(new TrainerOptions
        {
            Epochs = settings.Int("epochs", 15),
            Patience = settings.Int("patience", 5),
            Seed = seed,
            LearningRate = lr,
            BatchSize = settings.Int("batch", 64),
            WeightAverageDecay = settings.Double("ema", 0),
        }, new PlainTextProgress(Console.Out));
        var model = new CondPromoter(options, new Generator(seed));
        trainer.Fit(model, dataset, split, []);
        var test = trainer.Evaluate(model, dataset, split.Test);
        var clean = noiseless.Subset(test.Indices);
        var againstNoiseless = Metrics.PerTreatment(test.Predictions.Data, clean.Targets.Data, clean.Mask.Data, dataset.Treatments);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"simulation ({dataset.Count} genes × {dataset.SequenceLength} bp, {dataset.TreatmentCount} treatments, noise σ {noise}): " +
            $"test mean Pearson {againstNoiseless.MeanPearson:F4} vs the noiseless response, {test.Metrics.MeanPearson:F4} vs the noisy one; " +
            $"{model.ParameterCount:N0} parameters, {clock.Elapsed.TotalMinutes:F1} min"));
        return 0;
    }
}
