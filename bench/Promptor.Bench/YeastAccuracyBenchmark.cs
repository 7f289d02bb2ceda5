using System.Diagnostics;
using System.Globalization;
using Promptor.Genomics.Baselines;
using Promptor.Genomics.Data;
using Promptor.Genomics.IO;
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
/// ridge-ranks (candidate output ranks of the ridge), ema (decay of the weight average, 0 off), rc (0: no reverse-complement augmentation or averaging), max-batches, target-rank (train on the training targets' projection onto their top principal axes), motifs (filters seeded from the bundled yeast motifs), save (a folder for each seed's validation and
/// test predictions as .npy, rows in split order).
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
        var dataset = settings.Has("target-rank") ? LowRankTrainingTargets(task, settings.Int("target-rank", 0)) : task.Dataset;
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
                ReverseComplementAugmentation = settings.Int("rc", 1) == 1,
                ReverseComplementAveraging = settings.Int("rc", 1) == 1,
                WeightAverageDecay = settings.Double("ema", 0),
            }, new PlainTextProgress(Console.Out));
            var network = new CondPromoter(model, new Generator(seed));
            if (settings.Has("motifs"))
            {
                var database = Promptor.Genomics.Motifs.MemeReader.Read(Path.Combine(dataDirectory, "motifs", "SwissRegulon_s_cer.meme"));
                int set = MotifFilterInitializer.Apply(network, database.Motifs, settings.Int("motifs", 0));
                Console.WriteLine($"initialised {set} filters from motifs");
            }
            var fit = trainer.Fit(network, dataset, task.Split, []);
            var test = trainer.Evaluate(network, task.Dataset, task.Split.Test);
            last = test;
            if (settings.Has("save"))
            {
                string folder = settings.Text("save", ".");
                Directory.CreateDirectory(folder);
                var validation = trainer.Evaluate(network, task.Dataset, task.Split.Validation);
                int t = task.Treatments.Count;
                NpyWriter.Write(Path.Combine(folder, $"seed{seed}_validation.npy"), [validation.Indices.Length, t], validation.Predictions.ToArray());
                NpyWriter.Write(Path.Combine(folder, $"seed{seed}_test.npy"), [test.Indices.Length, t], test.Predictions.ToArray());
            }
            testPredictions.Add(test.Predictions.ToArray());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seed {seed}: best epoch {fit.BestEpoch}, val {fit.BestMetric:F4}, test mean Pearson {test.Metrics.MeanPearson:F4}, Spearman {test.Metrics.MeanSpearman:F4}, {clock.Elapsed.TotalMinutes:F1} min, {network.ParameterCount:N0} parameters"));
        }
        if (last is null)
        {
            return 1;
        }
        var validationPredictions = new List<float[]>();
        if (settings.Has("save"))
        {
            string folder = settings.Text("save", ".");
            validationPredictions.AddRange(seeds.Select(seed => NpyReader.Read(Path.Combine(folder, $"seed{seed}_validation.npy")).Data));
        }
        Report(task, settings, testPredictions, validationPredictions);
        return 0;
    }

    /// <summary>
    /// <c>yeast-blend predictions=DIR [ridge-ranks=1,2,4,8] [select=greedy]</c>: the seed ensemble and its blend with
    /// the ridge from the validation and test predictions a <c>yeast … save=DIR</c> run wrote (every
    /// <c>seed*_test.npy</c> there); with <c>select=greedy</c> also the ensemble chosen on the validation genes.
    /// </summary>
    public static int Blend(string[] args)
    {
        var settings = new BenchSettings(args);
        string folder = settings.Text("predictions", ".");
        string dataDirectory = YeastStressTask.FindDataDirectory() ?? throw new DirectoryNotFoundException("data/ not found");
        var task = YeastStressTask.Load(dataDirectory);
        var tests = Directory.GetFiles(folder, "seed*_test.npy").Order(StringComparer.Ordinal).ToArray();
        if (tests.Length == 0)
        {
            throw new FileNotFoundException($"{folder}: no seed*_test.npy files");
        }
        Console.WriteLine($"# yeast-blend: {string.Join(' ', args)} ({tests.Length} seeds: {string.Join(", ", tests.Select(Path.GetFileName))})");
        var testPredictions = tests.Select(f => NpyReader.Read(f).Data).ToList();
        var validationPredictions = tests.Select(f => NpyReader.Read(f.Replace("_test.npy", "_validation.npy", StringComparison.Ordinal)).Data).ToList();
        Report(task, new BenchSettings([.. args, "ridge=1"]), testPredictions, validationPredictions);
        if (settings.Text("select", "all") == "greedy")
        {
            // Greedy ensemble selection with replacement (Caruana et al., 2004) on the validation genes:
            // members are added one at a time, each time the one whose addition scores best, and the
            // best-scoring prefix is kept. The test genes play no part in the choice.
            var (yv, maskv) = TargetsOf(task, task.Split.Validation);
            var counts = GreedySelection(validationPredictions, v => Metrics.PerTreatment(v, yv, maskv, task.Treatments).MeanPearson);
            Console.WriteLine($"greedy selection on validation: {string.Join(", ", counts.Select((c, i) => (c, i)).Where(p => p.c > 0).Select(p => $"{Path.GetFileName(tests[p.i])} ×{p.c}"))}");
            IReadOnlyList<float[]> Weighted(IReadOnlyList<float[]> all) =>
                [.. counts.SelectMany((c, i) => Enumerable.Repeat(all[i], c))];
            Report(task, new BenchSettings([.. args, "ridge=1"]), Weighted(testPredictions), Weighted(validationPredictions));
        }
        return 0;
    }

    /// <summary>
    /// How many times each member enters a greedy forward selection with replacement that maximises
    /// <paramref name="score"/> of the members' average, over at most twice as many steps as members;
    /// the counts of the best-scoring step.
    /// </summary>
    private static int[] GreedySelection(IReadOnlyList<float[]> predictions, Func<float[], double> score)
    {
        int members = predictions.Count, length = predictions[0].Length;
        var counts = new int[members];
        var best = new int[members];
        var sum = new double[length];
        double bestScore = double.NegativeInfinity;
        for (int step = 1; step <= 2 * members; step++)
        {
            int choice = -1;
            double choiceScore = double.NegativeInfinity;
            for (int m = 0; m < members; m++)
            {
                var candidate = new float[length];
                for (int i = 0; i < length; i++)
                {
                    candidate[i] = (float)((sum[i] + predictions[m][i]) / step);
                }
                double value = score(candidate);
                if (value > choiceScore)
                {
                    (choice, choiceScore) = (m, value);
                }
            }
            counts[choice]++;
            for (int i = 0; i < length; i++)
            {
                sum[i] += predictions[choice][i];
            }
            if (choiceScore > bestScore)
            {
                bestScore = choiceScore;
                counts.CopyTo(best, 0);
            }
        }
        return best;
    }

    /// <summary>
    /// Prints the seed ensemble's test mean Pearson and, with <c>ridge=1</c>, the proximal/distal 6-mer ridge's
    /// (reduced rank with <c>ridge-ranks</c>) and their blend: both standardised per treatment, the network's
    /// weight chosen on the validation genes (0, 0.1, …, 1) when validation predictions are given, else 0.5.
    /// </summary>
    private static void Report(YeastStressTask task, BenchSettings settings, IReadOnlyList<float[]> testPredictions, IReadOnlyList<float[]> validationPredictions)
    {
        int t = task.Treatments.Count;
        var test = task.Split.Test;
        var (y, mask) = TargetsOf(task, test);
        var ensemble = Average(testPredictions);
        if (testPredictions.Count > 1)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seed ensemble ({testPredictions.Count}): test mean Pearson {Metrics.PerTreatment(ensemble, y, mask, task.Treatments).MeanPearson:F4}"));
        }
        if (settings.Text("ridge", "0") != "1")
        {
            return;
        }
        var ranks = settings.Has("ridge-ranks") ? settings.Text("ridge-ranks", "").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray() : [];
        var ridge = KmerRidgeBaseline.RunYeast(task, KmerRidgeOptions.ProximalDistal with { Ranks = ranks });
        string[] Sequences(IReadOnlyList<int> rows) => rows.Select(i => task.Promoters[i].Sequence).ToArray();
        var ridgeTest = Standardized(ridge.Model.Predict(Sequences(test)).ToArray(), t);
        string rank = ridge.Model.Rank is int r ? $", output rank {r}" : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ridge halves (λ {ridge.Lambda:G3}{rank}): test mean Pearson {ridge.MeanTestPearson:F4}"));
        double weight = 0.5;
        if (validationPredictions.Count == testPredictions.Count)
        {
            var validation = task.Split.Validation;
            var (yv, maskv) = TargetsOf(task, validation);
            var ridgeValidation = Standardized(ridge.Model.Predict(Sequences(validation)).ToArray(), t);
            var network = Standardized(Average(validationPredictions), t);
            weight = Enumerable.Range(0, 11).Select(i => i / 10.0)
                .MaxBy(w => Metrics.PerTreatment(Mix(network, ridgeValidation, w), yv, maskv, task.Treatments).MeanPearson);
        }
        var blend = Mix(Standardized(ensemble, t), ridgeTest, weight);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ensemble + ridge (network weight {weight:F1}): test mean Pearson {Metrics.PerTreatment(blend, y, mask, task.Treatments).MeanPearson:F4}"));
    }

    private static (float[] Targets, float[] Mask) TargetsOf(YeastStressTask task, IReadOnlyList<int> rows)
    {
        var subset = task.Dataset.Subset(rows);
        return (subset.Targets.ToArray(), subset.Mask.ToArray());
    }

    private static float[] Mix(float[] network, float[] ridge, double networkWeight)
    {
        var mixed = new float[network.Length];
        for (int i = 0; i < mixed.Length; i++)
        {
            mixed[i] = (float)(networkWeight * network[i] + (1 - networkWeight) * ridge[i]);
        }
        return mixed;
    }

    /// <summary>
    /// The dataset with each training gene's targets replaced by their projection onto the top
    /// <paramref name="rank"/> principal axes of the centred training targets (masked entries count as
    /// the mean); validation and test targets stay as measured.
    /// </summary>
    private static PromoterDataset LowRankTrainingTargets(YeastStressTask task, int rank)
    {
        var d = task.Dataset;
        int t = d.Treatments.Count;
        float[] y = d.Targets.ToArray(), m = d.Mask.ToArray();
        var train = task.Split.Train;
        var mean = new double[t];
        var seen = new int[t];
        foreach (int i in train)
        {
            for (int c = 0; c < t; c++)
            {
                if (m[i * t + c] != 0) { mean[c] += y[i * t + c]; seen[c]++; }
            }
        }
        for (int c = 0; c < t; c++) { mean[c] /= Math.Max(1, seen[c]); }
        var cov = new double[t, t];
        var centred = new double[t];
        foreach (int i in train)
        {
            for (int c = 0; c < t; c++) { centred[c] = m[i * t + c] != 0 ? y[i * t + c] - mean[c] : 0; }
            for (int a = 0; a < t; a++) { for (int b = 0; b < t; b++) { cov[a, b] += centred[a] * centred[b]; } }
        }
        var axes = TopEigenvectors(cov, rank);
        foreach (int i in train)
        {
            for (int c = 0; c < t; c++) { centred[c] = m[i * t + c] != 0 ? y[i * t + c] - mean[c] : 0; }
            for (int c = 0; c < t; c++)
            {
                double v = mean[c];
                foreach (var axis in axes)
                {
                    double score = 0;
                    for (int k = 0; k < t; k++) { score += centred[k] * axis[k]; }
                    v += score * axis[c];
                }
                if (m[i * t + c] != 0) { y[i * t + c] = (float)v; }
            }
        }
        Console.WriteLine($"training targets projected on their top {rank} principal axes");
        return new PromoterDataset(d.Sequences, new Tensor(d.Targets.Shape, y), d.Mask, d.GeneIds, d.Treatments);
    }

    /// <summary>The leading eigenvectors of a symmetric matrix (cyclic Jacobi rotations).</summary>
    private static double[][] TopEigenvectors(double[,] symmetric, int count)
    {
        int n = symmetric.GetLength(0);
        var a = (double[,])symmetric.Clone();
        var v = new double[n, n];
        for (int i = 0; i < n; i++) { v[i, i] = 1; }
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++) { for (int q = p + 1; q < n; q++) { off += a[p, q] * a[p, q]; } }
            if (off < 1e-22) { break; }
            for (int p = 0; p < n; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-300) { continue; }
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double tan = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double cos = 1 / Math.Sqrt(tan * tan + 1), sin = tan * cos;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = cos * akp - sin * akq;
                        a[k, q] = sin * akp + cos * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = cos * apk - sin * aqk;
                        a[q, k] = sin * apk + cos * aqk;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = cos * vkp - sin * vkq;
                        v[k, q] = sin * vkp + cos * vkq;
                    }
                }
            }
        }
        return Enumerable.Range(0, n).OrderByDescending(i => a[i, i]).Take(count)
            .Select(i => Enumerable.Range(0, n).Select(k => v[k, i]).ToArray()).ToArray();
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
