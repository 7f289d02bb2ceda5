using Promptor.Genomics.Baselines;
using Promptor.Genomics.Dna;
using Promptor.Tensors;
using Xunit.Abstractions;

namespace Promptor.Tests.Genomics.Baselines;

public class KmerRidgeTests(ITestOutputHelper output)
{
    private static string[] RandomSequences(int n, int length, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n)
            .Select(_ => new string(Enumerable.Range(0, length).Select(_ => "ACGT"[rng.Next(4)]).ToArray()))
            .ToArray();
    }

    /// <summary>Targets that are a planted linear function of k-mer counts plus Gaussian noise.</summary>
    private static Tensor PlantedTargets(float[] counts, int f, (int Feature, float[] Effect)[] planted, int t, double noise, int seed)
    {
        int n = counts.Length / f;
        var rng = new Random(seed);
        var y = new float[n * t];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < t; c++)
            {
                double v = 0.5 * c; // a different intercept per treatment
                foreach (var (feature, effect) in planted)
                {
                    v += effect[c] * counts[i * f + feature];
                }
                double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
                v += noise * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                y[i * t + c] = (float)v;
            }
        }
        return new Tensor(new Shape(n, t), y);
    }

    private static (int[] Train, int[] Validation, int[] Test) Thirds(int n) =>
        (Enumerable.Range(0, n * 3 / 5).ToArray(), Enumerable.Range(n * 3 / 5, n / 5).ToArray(), Enumerable.Range(n * 4 / 5, n - n * 4 / 5).ToArray());

    [Fact]
    public void RecoversAPlantedLinearKmerSignal()
    {
        const int n = 600, t = 3;
        var sequences = RandomSequences(n, 200, seed: 1);
        var counter = new CanonicalKmerCounter(4);
        var counts = counter.CountMatrix(sequences).Data; // (N, 136)
        int f = counter.FeatureCount;
        var planted = new[]
        {
            (counter.FeatureOf("ACGT"), new[] { 1.0f, 0f, -0.5f }),
            (counter.FeatureOf("TTAG"), new[] { 0f, 0.8f, 0.5f }),
            (counter.FeatureOf("GGGA"), new[] { -0.7f, 0.6f, 0f }),
        };
        var targets = PlantedTargets(counts, f, planted, t, noise: 0.2, seed: 2);
        var (train, validation, test) = Thirds(n);

        var model = KmerRidge.Fit(sequences, targets, null, train, validation, new KmerRidgeOptions { K = 4 });

        Assert.Equal(f, model.FeatureCount);
        var prediction = model.Predict(test.Select(i => sequences[i]).ToArray());
        Assert.Equal(new Shape(test.Length, t), prediction.Shape);
        var r = KmerRidge.PearsonPerTreatment(prediction, targets, null, test);
        Assert.All(r, v => Assert.True(v > 0.9, $"test r {v:F3}"));
        // The weights themselves: Pearson r ignores scale, so the λ chosen on it may shrink them, and
        // overlapping k-mers obey near-linear flow constraints (the counts of the 4-mers extending a 3-mer
        // on the left and on the right nearly agree), so noise leaks into many directions. With almost no
        // noise and a tiny λ the planted k-mers carry the largest weights, with the planted values.
        var almostClean = PlantedTargets(counts, f, planted, t, noise: 0.01, seed: 2);
        var w = KmerRidge.Fit(sequences, almostClean, null, train, [], new KmerRidgeOptions { K = 4, Lambdas = [1e-3] }).Weights;
        foreach (var (feature, effect) in planted)
        {
            for (int c = 0; c < t; c++)
            {
                Assert.Equal(effect[c], w.Data[feature * t + c], 0.05);
            }
        }
        for (int c = 0; c < t; c++)
        {
            var top = Enumerable.Range(0, f).OrderByDescending(j => Math.Abs(w.Data[j * t + c])).Take(2).ToHashSet();
            Assert.All(planted.Where(p => p.Item2[c] != 0).Select(p => p.Item1), p => Assert.Contains(p, top));
        }
    }

    [Fact]
    public void LambdaFollowsTheSignalToNoiseRatio()
    {
        const int n = 1000, t = 2;
        var sequences = RandomSequences(n, 150, seed: 3);
        var counter = new CanonicalKmerCounter(5);
        var counts = counter.CountMatrix(sequences).Data; // (N, 512): many features for few genes
        int f = counter.FeatureCount;
        var planted = new[] { (counter.FeatureOf("ACGTA"), new[] { 1f, -1f }), (counter.FeatureOf("TTTGC"), new[] { 0.5f, 1f }) };
        var (train, validation, _) = Thirds(n);
        var options = new KmerRidgeOptions { K = 5, Lambdas = KmerRidgeOptions.LogGrid(1e-2, 1e5, 15) };

        var clean = KmerRidge.Fit(sequences, PlantedTargets(counts, f, planted, t, noise: 0.01, seed: 4), null, train, validation, options);
        var noisy = KmerRidge.Fit(sequences, PlantedTargets(counts, f, planted, t, noise: 3.0, seed: 4), null, train, validation, options);

        // The choice is the best point of the curve, and a noisier signal wants a stronger penalty.
        foreach (var model in new[] { clean, noisy })
        {
            Assert.Equal(model.ValidationCurve.Max(s => s.MeanValidationPearson), model.Selected.MeanValidationPearson);
            Assert.Equal(options.Lambdas.Count, model.ValidationCurve.Count);
        }
        foreach (var model in new[] { clean, noisy })
        {
            output.WriteLine(string.Join(" ", model.ValidationCurve.Select(s => $"{s.Lambda:G2}:{s.MeanValidationPearson:F3}")));
        }
        Assert.True(clean.Lambda <= 1, $"clean λ {clean.Lambda}");
        Assert.True(noisy.Lambda >= 10 * clean.Lambda, $"noisy λ {noisy.Lambda}, clean λ {clean.Lambda}");
        Assert.InRange(noisy.Lambda, options.Lambdas[1], options.Lambdas[^2]); // an interior optimum
        Assert.True(clean.Selected.MeanValidationPearson > 0.99);
    }

    [Fact]
    public void MaskedTargetsAreIgnored()
    {
        const int n = 300, t = 2;
        var sequences = RandomSequences(n, 120, seed: 5);
        var counter = new CanonicalKmerCounter(3);
        var counts = counter.CountMatrix(sequences).Data;
        var targets = PlantedTargets(counts, counter.FeatureCount, [(counter.FeatureOf("ACG"), new[] { 1f, 2f })], t, 0.5, seed: 6);
        var mask = new Tensor(new Shape(n, t), Enumerable.Repeat(1f, n * t).ToArray());
        var (train, validation, test) = Thirds(n);
        // Mask some targets; under the mask, put values the fit must never see.
        var garbage = new Tensor(targets.Shape, (float[])targets.Data.Clone());
        var meanFilled = new Tensor(targets.Shape, (float[])targets.Data.Clone());
        var masked = new List<int>();
        for (int i = 0; i < n; i += 7)
        {
            int c = i % t;
            masked.Add(i * t + c);
            mask.Data[i * t + c] = 0;
            garbage.Data[i * t + c] = 1e6f;
        }
        var options = new KmerRidgeOptions { K = 3 };
        var withGarbage = KmerRidge.Fit(sequences, garbage, mask, train, validation, options);
        var withOther = KmerRidge.Fit(sequences, meanFilled, mask, train, validation, options);
        var testSeqs = test.Select(i => sequences[i]).ToArray();
        Assert.Equal(withOther.Lambda, withGarbage.Lambda);
        Assert.Equal(withOther.Predict(testSeqs).Data, withGarbage.Predict(testSeqs).Data);
        Assert.Equal(withOther.Intercepts, withGarbage.Intercepts);
        // Masked test entries are left out of the Pearson r, so garbage there changes nothing.
        var p = withGarbage.Predict(testSeqs);
        Assert.Equal(KmerRidge.PearsonPerTreatment(p, meanFilled, mask, test), KmerRidge.PearsonPerTreatment(p, garbage, mask, test));
    }

    [Fact]
    public void ProximalAndDistalRegionsAreSeparateFeatures()
    {
        const int n = 500, t = 1;
        var rng = new Random(8);
        var sequences = RandomSequences(n, 100, seed: 9);
        // Plant GATC (a palindrome) in either region; only its proximal (last 50 bp) count drives the response.
        var counter = new CanonicalKmerCounter(4);
        int gatc = counter.FeatureOf("GATC");
        var y = new float[n];
        var scratch = new float[counter.FeatureCount];
        for (int i = 0; i < n; i++)
        {
            int copies = rng.Next(4);
            var chars = sequences[i].ToCharArray();
            for (int c = 0; c < copies; c++)
            {
                int start = (rng.Next(2) == 0 ? 50 : 0) + 5 + 12 * c;
                "GATC".CopyTo(0, chars, start, 4);
            }
            sequences[i] = new string(chars);
            Array.Clear(scratch);
            counter.Count(sequences[i].AsSpan(50), scratch);
            y[i] = scratch[gatc] + (float)(0.1 * (rng.NextDouble() - 0.5));
        }
        var targets = new Tensor(new Shape(n, t), y);
        var (train, validation, test) = Thirds(n);
        var options = new KmerRidgeOptions { K = 4, ProximalLength = 50 };

        var model = KmerRidge.Fit(sequences, targets, null, train, validation, options);
        var plain = KmerRidge.Fit(sequences, targets, null, train, validation, options with { ProximalLength = null });

        Assert.Equal(2 * counter.FeatureCount, model.FeatureCount);
        Assert.Equal("distal:GATC", model.FeatureName(gatc));
        Assert.Equal("proximal:GATC", model.FeatureName(counter.FeatureCount + gatc));
        var w = KmerRidge.Fit(sequences, targets, null, train, [], options with { Lambdas = [1e-3] }).Weights.Data;
        Assert.Equal(1.0, w[counter.FeatureCount + gatc], 0.1);
        Assert.Equal(0.0, w[gatc], 0.1);
        var testSeqs = test.Select(i => sequences[i]).ToArray();
        double split = KmerRidge.PearsonPerTreatment(model.Predict(testSeqs), targets, null, test)[0];
        double whole = KmerRidge.PearsonPerTreatment(plain.Predict(testSeqs), targets, null, test)[0];
        Assert.True(split > 0.95 && split > whole + 0.1, $"split {split:F3}, whole {whole:F3}");
        // Counting: the proximal block holds the k-mers of the last 50 bases, the distal block the rest.
        var features = model.Features([sequences[0]]).Data;
        var expectDistal = new float[counter.FeatureCount];
        var expectProximal = new float[counter.FeatureCount];
        counter.Count(sequences[0].AsSpan(0, 50), expectDistal);
        counter.Count(sequences[0].AsSpan(50), expectProximal);
        Assert.Equal(expectDistal.Concat(expectProximal), features);
    }

    [Fact]
    public void OptionsAreValidated()
    {
        var seqs = RandomSequences(10, 30, seed: 1);
        var y = new Tensor(new Shape(10, 1), Enumerable.Range(0, 10).Select(i => (float)i).ToArray());
        int[] train = [0, 1, 2, 3, 4, 5], val = [6, 7];
        Assert.Throws<ArgumentException>(() => KmerRidge.Fit(seqs, y, null, train, val, new KmerRidgeOptions { K = 8 }));
        Assert.Throws<ArgumentException>(() => KmerRidge.Fit(seqs, y, null, train, val, new KmerRidgeOptions { K = 7, ProximalLength = 10 }));
        Assert.Throws<ArgumentException>(() => KmerRidge.Fit(seqs, y, null, train, val, new KmerRidgeOptions { Lambdas = [] }));
        Assert.Throws<ArgumentException>(() => KmerRidge.Fit(seqs, y, null, train, val, new KmerRidgeOptions { Lambdas = [-1] }));
        Assert.Throws<ArgumentException>(() => KmerRidge.Fit(seqs, y, null, train, val, new KmerRidgeOptions { Ranks = [0] }));
        Assert.Throws<ArgumentException>(() => KmerRidge.Fit(seqs, y, null, train, [], new KmerRidgeOptions { K = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => KmerRidge.Fit(seqs, y, null, [0, 10], val, new KmerRidgeOptions { K = 2 }));
        Assert.Throws<ArgumentException>(() => KmerRidge.Fit(seqs, new Tensor(new Shape(9, 1)), null, train, val));
        // One λ needs no validation set.
        var single = KmerRidge.Fit(seqs, y, null, train, [], new KmerRidgeOptions { K = 2, Lambdas = [1.0] });
        Assert.Equal(1.0, single.Lambda);
        Assert.True(double.IsNaN(single.Selected.MeanValidationPearson));
    }

    /// <summary>
    /// Six treatments that share one planted response, each with its own heavy noise: the rank-1 ridge
    /// predicts every treatment from one gene score (its centred predictions are proportional columns),
    /// it is chosen on validation, and it beats the plain ridge on the test genes, which has to fit
    /// each treatment's noise separately.
    /// </summary>
    [Fact]
    public void ReducedRankSharesOneAxisAcrossTreatments()
    {
        const int n = 500, t = 6;
        var sequences = RandomSequences(n, 150, seed: 4);
        var counter = new CanonicalKmerCounter(3);
        var counts = counter.CountMatrix(sequences).Data;
        int f = counter.FeatureCount;
        float[] loadings = [1f, 0.8f, -0.6f, 0.9f, 0.5f, -1f];
        var rng = new Random(5);
        var planted = Enumerable.Range(0, 6).Select(_ => (rng.Next(f), loadings.Select(l => l * 0.3f).ToArray())).ToArray();
        var targets = PlantedTargets(counts, f, planted, t, noise: 1.5, seed: 6);
        var (train, validation, test) = Thirds(n);
        var options = new KmerRidgeOptions { K = 3, Lambdas = KmerRidgeOptions.LogGrid(1, 1e4, 9) };

        var plain = KmerRidge.Fit(sequences, targets, null, train, validation, options);
        var reduced = KmerRidge.Fit(sequences, targets, null, train, validation, options with { Ranks = [1, 2] });

        Assert.Null(plain.Rank);
        Assert.Equal(9, plain.ValidationCurve.Count);
        Assert.Equal(27, reduced.ValidationCurve.Count);
        Assert.Equal(1, reduced.Rank);
        Assert.Equal(reduced.Selected.MeanValidationPearson, reduced.ValidationCurve.Max(s => s.MeanValidationPearson));
        var testSequences = test.Select(i => sequences[i]).ToArray();
        var p = reduced.Predict(testSequences).Data;
        for (int c = 1; c < t; c++)
        {
            // Column c minus its intercept is a fixed multiple of column 0 minus its intercept.
            double ratio = (p[c] - reduced.Intercepts[c]) / (p[0] - reduced.Intercepts[0]);
            for (int i = 1; i < test.Length; i++)
            {
                Assert.Equal(ratio * (p[i * t] - reduced.Intercepts[0]), p[i * t + c] - reduced.Intercepts[c], 1e-3);
            }
        }
        double plainR = KmerRidge.PearsonPerTreatment(plain.Predict(testSequences), targets, null, test).Average();
        double reducedR = KmerRidge.PearsonPerTreatment(reduced.Predict(testSequences), targets, null, test).Average();
        output.WriteLine($"test mean r: plain {plainR:F3}, rank 1 {reducedR:F3}");
        Assert.True(reducedR > plainR + 0.01, $"rank 1 {reducedR:F3} vs plain {plainR:F3}");
        // A rank of T or more is the plain ridge: no extra candidates, the same choice.
        var full = KmerRidge.Fit(sequences, targets, null, train, validation, options with { Ranks = [t, t + 3] });
        Assert.Equal(plain.ValidationCurve.Select(s => s.MeanValidationPearson), full.ValidationCurve.Select(s => s.MeanValidationPearson));
        Assert.Null(full.Rank);
    }

    [Fact]
    public void LogGridSpansItsEndsEvenly()
    {
        var grid = KmerRidgeOptions.LogGrid(1e1, 1e6, 11);
        Assert.Equal(11, grid.Count);
        Assert.Equal(10, grid[0], 1e-9);
        Assert.Equal(1e6, grid[^1], 1e-3);
        Assert.Equal(Math.Sqrt(10) * 10, grid[1], 1e-9);
        Assert.Equal(grid, KmerRidgeOptions.DefaultLambdas);
        Assert.Equal(2080, new KmerRidgeOptions().Validate());
        Assert.Equal(4160, KmerRidgeOptions.ProximalDistal.Validate());
    }
}
