using System.Diagnostics;
using System.Globalization;
using Promptor.Genomics.Baselines;
using Promptor.Genomics.Data;
using Promptor.Genomics.Models;
using Promptor.Genomics.Training;
using Promptor.Nn.Positional;
using Promptor.Tensors;

namespace Promptor.Bench;

/// <summary>
/// Accuracy runs on the yeast stress task (the split of DESIGN.md): trains one CondPromoter
/// configuration per seed, evaluates on chromosome IV, and prints the per-seed and seed-ensemble
/// mean test Pearson, plus the ensemble with the k-mer ridge baseline when asked.
/// <c>dotnet run -c Release --project bench/Promptor.Bench -- yeast epochs=12 filters=128 blocks=1 seeds=1,2,3</c>.
/// Keys: epochs, lr, wd, batch, dropout, filters, width1, width2, pool1, pool2, dim, blocks, heads,
/// conditioning, positions, hidden, query-std (treatment embedding init), attended-bn (0/1), seeds, patience, ridge (0/1),
/// max-batches, motifs (filters seeded from the bundled yeast motifs).
/// </summary>
public static class YeastAccuracyBenchmark
{
    /// <summary>Runs the configuration given as <c>key=value</c> arguments.</summary>
    public static int Run(string[] args)
    {
        var settings = new BenchSettings(args);

        string dataDirectory = YeastStressTask.FindDataDirectory() ?? throw new DirectoryNotFoundException("data/ not found");
        var task = YeastStressTask.Load(dataDirectory);
        int filters = settings.Int("filters", 128);
        var model = new CondPromoterOptions { TreatmentCount = task.Treatments.Count, SequenceLength = task.Dataset.SequenceLength };
        model = model with
        {
            Convolutions = [new(filters, settings.Int("width1", 15), 1, settings.Int("pool1", 4)), new(filters, settings.Int("width2", 9), 1, settings.Int("pool2", 4))],
            ModelDim = settings.Int("dim", model.ModelDim),
            SelfAttentionBlocks = settings.Int("blocks", model.SelfAttentionBlocks),
            SelfAttentionHeads = settings.Int("heads", model.SelfAttentionHeads),
            CrossAttentionHeads = settings.Int("heads", model.CrossAttentionHeads),
            Dropout = (float)settings.Double("dropout", model.Dropout),
            HeadHidden = settings.Int("hidden", model.HeadHidden),
            Conditioning = settings.Enum("conditioning", model.Conditioning),
            Positions = settings.Enum("positions", model.Positions),
            TreatmentEmbeddingStd = (float)settings.Double("query-std", model.TreatmentEmbeddingStd),
            AttendedBatchNorm = settings.Int("attended-bn", model.AttendedBatchNorm ? 1 : 0) == 1,
        };
        var seeds = settings.Text("seeds", "1").Split(',').Select(s => ulong.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        Console.WriteLine($"# yeast: {string.Join(' ', args)}");
        var testPredictions = new List<float[]>();
        EvaluationResult? last = null;
        foreach (ulong seed in seeds)
        {
            var clock = Stopwatch.StartNew();
            var trainer = new Trainer(new TrainerOptions
            {
                Epochs = settings.Int("epochs", 6),
                LearningRate = settings.Double("lr", 1e-3),
                WeightDecay = settings.Double("wd", 0.01),
                BatchSize = settings.Int("batch", 64),
                Patience = settings.Int("patience", 6),
                Seed = seed,
                MaxBatchesPerEpoch = settings.Has("max-batches") ? settings.Int("max-batches", 0) : null,
            }, new PlainTextProgress(Console.Out));
            var network = new CondPromoter(model, new Generator(seed));
            if (settings.Has("motifs"))
            {
                var database = Promptor.Genomics.Motifs.MemeReader.Read(Path.Combine(dataDirectory, "motifs", "SwissRegulon_s_cer.meme"));
                int set = MotifFilterInitializer.Apply(network, database.Motifs, settings.Int("motifs", 0));
                Console.WriteLine($"initialised {set} filters from motifs");
            }
            var fit = trainer.Fit(network, task.Dataset, task.Split, []);
            var test = trainer.Evaluate(network, task.Dataset, task.Split.Test);
            last = test;
            testPredictions.Add(test.Predictions.ToArray());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seed {seed}: best epoch {fit.BestEpoch}, val {fit.BestMetric:F4}, test mean Pearson {test.Metrics.MeanPearson:F4}, Spearman {test.Metrics.MeanSpearman:F4}, {clock.Elapsed.TotalMinutes:F1} min, {network.ParameterCount:N0} parameters"));
        }
        if (last is null)
        {
            return 1;
        }
        var targets = task.Dataset.Subset(last.Indices);
        float[] y = targets.Targets.ToArray(), mask = targets.Mask.ToArray();
        var ensemble = Average(testPredictions);
        if (seeds.Length > 1)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seed ensemble ({seeds.Length}): test mean Pearson {Metrics.PerTreatment(ensemble, y, mask, task.Treatments).MeanPearson:F4}"));
        }
        if (settings.Text("ridge", "0") == "1")
        {
            var ridge = KmerRidgeBaseline.RunYeast(task, KmerRidgeOptions.ProximalDistal);
            var ridgeTest = ridge.Model.Predict(last.Indices.Select(i => task.Promoters[i].Sequence).ToArray()).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ridge halves: test mean Pearson {ridge.MeanTestPearson:F4}"));
            var blend = Average([Standardized(ensemble, task.Treatments.Count), Standardized(ridgeTest, task.Treatments.Count)]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ensemble + ridge: test mean Pearson {Metrics.PerTreatment(blend, y, mask, task.Treatments).MeanPearson:F4}"));
        }
        return 0;
    }

    private static float[] Average(IReadOnlyList<float[]> predictions)
    {
        var mean = new float[predictions[0].Length];
        foreach (var p in predictions)
        {
            for (int i = 0; i < mean.Length; i++)
            {
                mean[i] += p[i] / predictions.Count;
            }
        }
        return mean;
    }

    /// <summary>Each treatment's column scaled to zero mean and unit variance, so two models weigh equally.</summary>
    private static float[] Standardized(float[] predictions, int treatments)
    {
        var result = (float[])predictions.Clone();
        int n = predictions.Length / treatments;
        for (int t = 0; t < treatments; t++)
        {
            double sum = 0, sumSq = 0;
            for (int i = 0; i < n; i++)
            {
                sum += predictions[i * treatments + t];
                sumSq += predictions[i * treatments + t] * (double)predictions[i * treatments + t];
            }
            double mean = sum / n, std = Math.Sqrt(Math.Max(sumSq / n - mean * mean, 1e-12));
            for (int i = 0; i < n; i++)
            {
                result[i * treatments + t] = (float)((predictions[i * treatments + t] - mean) / std);
            }
        }
        return result;
    }
}
