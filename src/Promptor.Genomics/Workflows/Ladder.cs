using System.Diagnostics;
using System.Globalization;
using Promptor.Genomics.Baselines;
using Promptor.Genomics.Data;
using Promptor.Genomics.Dna;
using Promptor.Genomics.Models;
using Promptor.Genomics.Training;
using Promptor.Nn.Serialization;
using Promptor.Tensors;

namespace Promptor.Genomics.Workflows;

/// <summary>
/// The conditioning ladder of DESIGN.md: trains every selected <see cref="LadderRung"/> on one split with
/// the same trainer settings and tests each on the same test genes, giving one comparison table (mean
/// Pearson r, mean Spearman ρ, highlighted treatments, training time, parameters). The neural rungs share
/// one network (<see cref="LadderOptions.Model"/>) and differ only in how the treatment enters it; every
/// model starts from a generator seeded with the trainer seed. The k-mer ridge chooses λ on the validation
/// genes; the separate per-treatment models train one small network per treatment column.
/// </summary>
public static class Ladder
{
    /// <summary>Runs the ladder and, with an output folder, writes <c>ladder.tsv</c>, <c>ladder.md</c> and one run folder per neural rung.</summary>
    /// <param name="dataset">All genes: sequences <c>(N, L, 4)</c>, targets and mask <c>(N, T)</c>.</param>
    /// <param name="split">The split shared by every rung (training genes needed; validation genes for λ and early stopping).</param>
    /// <param name="options">The ladder's options.</param>
    /// <param name="sequences">The N sequences as text for the k-mer ridge; default null: decoded from the one-hot tensor.</param>
    /// <param name="progress">Receives every neural rung's training progress; default none.</param>
    /// <param name="rungStarted">Called with a rung's name before it starts; default none.</param>
    /// <param name="rungCompleted">Called with each rung's row as soon as it is tested; default none.</param>
    /// <exception cref="IOException">The output folder already holds a ladder table and <see cref="LadderOptions.Force"/> is not set.</exception>
    public static LadderResult Run(PromoterDataset dataset, SplitAssignment split, LadderOptions options, IReadOnlyList<string>? sequences = null,
        ITrainingProgress? progress = null, Action<string>? rungStarted = null, Action<LadderRow>? rungCompleted = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (split.Labels.Count != dataset.Count)
        {
            throw new ArgumentException($"The split labels {split.Labels.Count} genes but the dataset has {dataset.Count}.", nameof(split));
        }
        if (split.Train.Length == 0 || split.Test.Length == 0)
        {
            throw new ArgumentException($"The ladder needs training and test genes; the split has {split}.", nameof(split));
        }
        string? directory = options.OutputDirectory is null ? null : Path.GetFullPath(options.OutputDirectory);
        if (directory is not null)
        {
            CheckOutputDirectory(directory, options);
            Directory.CreateDirectory(directory);
        }
        var highlighted = options.HighlightedTreatments.Where(dataset.Treatments.Contains).ToArray();
        var rows = new List<LadderRow>();
        foreach (var rung in options.Rungs)
        {
            rungStarted?.Invoke(NameOf(rung));
            var row = rung switch
            {
                LadderRung.KmerRidge => RunKmerRidge(dataset, split, options, sequences),
                LadderRung.SeparateModels => RunSeparateModels(dataset, split, options, highlighted, progress),
                _ => RunShared(rung, dataset, split, options, directory, progress),
            };
            rows.Add(row);
            rungCompleted?.Invoke(row);
        }
        var result = new LadderResult(rows, highlighted, split.ToString(), options.Trainer with { OutputDirectory = null });
        if (directory is not null)
        {
            AtomicFile.WriteAllText(Path.Combine(directory, LadderResult.TsvFileName), result.ToTsv());
            AtomicFile.WriteAllText(Path.Combine(directory, LadderResult.MarkdownFileName), result.ToMarkdown());
        }
        return result;
    }

    /// <summary>The rung's label in tables and its run folder's name, e.g. <c>cross-attention</c>.</summary>
    public static string NameOf(LadderRung rung) => rung switch
    {
        LadderRung.KmerRidge => "k-mer ridge",
        LadderRung.SeparateModels => "separate models",
        LadderRung.MultiTask => "multi-task",
        LadderRung.ConcatMlp => "concat-MLP",
        LadderRung.Film => "FiLM",
        LadderRung.CrossAttention => "cross-attention",
        LadderRung.CrossAttentionEveryBlock => "cross-attention every block",
        _ => throw new ArgumentOutOfRangeException(nameof(rung), rung, null),
    };

    /// <summary>The conditioning of a neural rung that shares the network.</summary>
    public static ConditioningMethod ConditioningOf(LadderRung rung) => rung switch
    {
        LadderRung.MultiTask => ConditioningMethod.MultiTask,
        LadderRung.ConcatMlp => ConditioningMethod.ConcatMlp,
        LadderRung.Film => ConditioningMethod.Film,
        LadderRung.CrossAttention => ConditioningMethod.CrossAttention,
        LadderRung.CrossAttentionEveryBlock => ConditioningMethod.CrossAttentionEveryBlock,
        _ => throw new ArgumentOutOfRangeException(nameof(rung), rung, "Not a rung of the shared network."),
    };

    /// <summary>
    /// The treatments that get separate models, in training order: all of them, or with a limit the
    /// highlighted ones first and then the others in data order. (The rung's table rows follow data order.)
    /// </summary>
    public static IReadOnlyList<int> SeparateModelTreatments(IReadOnlyList<string> treatments, IReadOnlyList<string> highlighted, int? limit)
    {
        ArgumentNullException.ThrowIfNull(treatments);
        ArgumentNullException.ThrowIfNull(highlighted);
        var order = highlighted.Select(h => IndexOf(treatments, h)).Where(i => i >= 0)
            .Concat(Enumerable.Range(0, treatments.Count)).Distinct();
        return order.Take(limit ?? treatments.Count).ToArray();
    }

    private static int IndexOf(IReadOnlyList<string> items, string item)
    {
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i] == item)
            {
                return i;
            }
        }
        return -1;
    }

    private static void CheckOutputDirectory(string directory, LadderOptions options)
    {
        if (File.Exists(directory))
        {
            throw new IOException($"'{directory}' is a file, not a folder.");
        }
        if (options.Force)
        {
            return;
        }
        var existing = new[] { LadderResult.TsvFileName, LadderResult.MarkdownFileName }
            .Concat(options.Rungs.Select(r => Path.Combine(Slug(r), RunManifest.FileName)))
            .Where(f => File.Exists(Path.Combine(directory, f)))
            .ToArray();
        if (existing.Length > 0)
        {
            throw new IOException($"'{directory}' already holds a ladder ({string.Join(", ", existing)}); choose another folder or overwrite it.");
        }
    }

    private static string Slug(LadderRung rung) => NameOf(rung).Replace(' ', '-').ToLowerInvariant();

    private static LadderRow RunKmerRidge(PromoterDataset dataset, SplitAssignment split, LadderOptions options, IReadOnlyList<string>? sequences)
    {
        if (sequences is not null && sequences.Count != dataset.Count)
        {
            throw new ArgumentException($"{sequences.Count} sequences for {dataset.Count} genes.", nameof(sequences));
        }
        int stride = dataset.SequenceLength * DnaAlphabet.Size;
        var text = sequences ?? Enumerable.Range(0, dataset.Count)
            .Select(i => OneHot.Decode(dataset.Sequences.Data.AsSpan(i * stride, stride))).ToArray();
        var clock = Stopwatch.StartNew();
        var model = KmerRidge.Fit(text, dataset.Targets, dataset.Mask, split.Train, split.Validation,
            split.Validation.Length == 0 && options.KmerRidge.Lambdas.Count > 1 ? options.KmerRidge with { Lambdas = [options.KmerRidge.Lambdas[options.KmerRidge.Lambdas.Count / 2]] } : options.KmerRidge);
        var fitTime = clock.Elapsed;
        var prediction = model.Predict(split.Test.Select(i => text[i]).ToArray()); // (Ntest, T)
        var (targets, mask) = Gather(dataset, split.Test);
        var metrics = Metrics.PerTreatment(prediction.Data, targets, mask, dataset.Treatments);
        string note = string.Create(CultureInfo.InvariantCulture,
            $"canonical {model.Options.K}-mers{(model.Options.ProximalLength is int p ? $", proximal {p} bp separate" : "")}, λ = {model.Lambda:G3}");
        return new LadderRow(LadderRung.KmerRidge, NameOf(LadderRung.KmerRidge), note, metrics, fitTime,
            (long)model.FeatureCount * model.TreatmentCount + model.TreatmentCount, 0);
    }

    private static LadderRow RunShared(LadderRung rung, PromoterDataset dataset, SplitAssignment split, LadderOptions options, string? directory,
        ITrainingProgress? progress)
    {
        var template = options.Model ?? new CondPromoterOptions { TreatmentCount = dataset.TreatmentCount };
        var conditioning = ConditioningOf(rung);
        var modelOptions = template with
        {
            TreatmentCount = dataset.TreatmentCount,
            SequenceLength = dataset.SequenceLength,
            Conditioning = conditioning,
            QueriesPerTreatment = conditioning is ConditioningMethod.CrossAttention or ConditioningMethod.CrossAttentionEveryBlock ? template.QueriesPerTreatment : 1,
            TreatmentDescriptors = conditioning == ConditioningMethod.MultiTask ? null : template.TreatmentDescriptors,
        };
        var model = new CondPromoter(modelOptions, new Generator(options.Trainer.Seed));
        string? runDirectory = directory is null ? null : Path.Combine(directory, Slug(rung));
        var trainer = new Trainer(options.Trainer with { OutputDirectory = runDirectory, Overwrite = options.Force || options.Trainer.Overwrite }, progress);
        var clock = Stopwatch.StartNew();
        var training = trainer.Fit(model, dataset, split);
        var fitTime = clock.Elapsed;
        var test = trainer.Evaluate(model, dataset, split.Test);
        if (runDirectory is not null)
        {
            PredictionWriter.Write(Path.Combine(runDirectory, YeastDemo.TestPredictionsFile), test);
            AtomicFile.WriteAllText(Path.Combine(runDirectory, YeastDemo.TestMetricsFile), test.Metrics.ToTsv());
        }
        string note = string.Create(CultureInfo.InvariantCulture, $"{training.EpochsCompleted} epochs{(training.StoppedEarly ? " (stopped early)" : "")}");
        return new LadderRow(rung, NameOf(rung), note, test.Metrics, fitTime, model.ParameterCount, training.BestEpoch);
    }

    private static LadderRow RunSeparateModels(PromoterDataset dataset, SplitAssignment split, LadderOptions options, IReadOnlyList<string> highlighted,
        ITrainingProgress? progress)
    {
        var chosen = SeparateModelTreatments(dataset.Treatments, highlighted, options.SeparateModelLimit);
        var modelOptions = options.SeparateModel with
        {
            TreatmentCount = 1,
            SequenceLength = dataset.SequenceLength,
            Conditioning = ConditioningMethod.MultiTask,
            QueriesPerTreatment = 1,
            TreatmentDescriptors = null,
        };
        var trainerOptions = options.Trainer with { OutputDirectory = null, Resume = false, Overwrite = false };
        var rows = new List<(int Column, TreatmentMetric Metric)>();
        var bestEpochs = new List<int>();
        long parameters = 0;
        var fitTime = TimeSpan.Zero;
        foreach (int j in chosen)
        {
            var column = Column(dataset, j);
            var model = new CondPromoter(modelOptions, new Generator(options.Trainer.Seed));
            var trainer = new Trainer(trainerOptions, progress);
            var clock = Stopwatch.StartNew();
            var training = trainer.Fit(model, column, split);
            fitTime += clock.Elapsed;
            var test = trainer.Evaluate(model, column, split.Test);
            rows.Add((j, test.Metrics.Rows[0]));
            bestEpochs.Add(training.BestEpoch);
            parameters += model.ParameterCount;
        }
        bestEpochs.Sort();
        string network = string.Join(", ", modelOptions.Convolutions.Select(c => $"{c.Filters}×{c.Width}"));
        string note = string.Create(CultureInfo.InvariantCulture,
            $"{chosen.Count} of {dataset.TreatmentCount} treatments, one small CNN each (convolutions {network}, d = {modelOptions.ModelDim}){(chosen.Count < dataset.TreatmentCount ? "; means over these treatments only" : "")}");
        return new LadderRow(LadderRung.SeparateModels, NameOf(LadderRung.SeparateModels), note, new TreatmentMetrics(rows.OrderBy(r => r.Column).Select(r => r.Metric).ToArray()), fitTime, parameters,
            bestEpochs.Count == 0 ? 0 : bestEpochs[bestEpochs.Count / 2]);
    }

    /// <summary>The dataset restricted to treatment column <paramref name="j"/> (sequences shared, not copied).</summary>
    private static PromoterDataset Column(PromoterDataset dataset, int j)
    {
        int n = dataset.Count, t = dataset.TreatmentCount;
        var y = new float[n];
        var m = new float[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = dataset.Targets.Data[i * t + j];
            m[i] = dataset.Mask.Data[i * t + j];
        }
        return new PromoterDataset(dataset.Sequences, new Tensor(new Shape(n, 1), y), new Tensor(new Shape(n, 1), m), dataset.GeneIds, [dataset.Treatments[j]]);
    }

    private static (float[] Targets, float[] Mask) Gather(PromoterDataset dataset, int[] rows)
    {
        int t = dataset.TreatmentCount;
        var targets = new float[rows.Length * t];
        var mask = new float[rows.Length * t];
        for (int r = 0; r < rows.Length; r++)
        {
            dataset.Targets.Data.AsSpan(rows[r] * t, t).CopyTo(targets.AsSpan(r * t, t));
            dataset.Mask.Data.AsSpan(rows[r] * t, t).CopyTo(mask.AsSpan(r * t, t));
        }
        return (targets, mask);
    }
}
