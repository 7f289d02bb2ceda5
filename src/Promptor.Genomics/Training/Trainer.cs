using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Promptor.Genomics.Data;
using Promptor.Genomics.Interpretation;
using Promptor.Genomics.Models;
using Promptor.Nn;
using Promptor.Nn.Attention;
using Promptor.Nn.Layers;
using Promptor.Nn.Optim;
using Promptor.Nn.Optim.Schedules;
using Promptor.Nn.Serialization;
using Promptor.Tensors;

namespace Promptor.Genomics.Training;

/// <summary>
/// Trains a promoter model (any <see cref="Module"/> that is an <see cref="IPromoterModel"/>) on the
/// training genes of a <see cref="PromoterDataset"/>, selecting and early-stopping on the validation
/// genes. AdamW with decay only on weights of rank ≥ 2, linear warm-up then cosine decay per step,
/// gradient-norm clipping, masked MSE on per-treatment standardised targets (or cross-entropy over
/// down/unchanged/up with missing targets ignored), reverse-complement augmentation, and validation
/// under no-grad in evaluation mode with strand averaging.
/// <para>
/// With an <see cref="TrainerOptions.OutputDirectory"/>, <c>run.json</c> is written when a fresh run starts,
/// and every epoch end writes, each atomically:
/// <c>best.safetensors</c> (when the selection metric improved), <c>last.safetensors</c>,
/// <c>resume.safetensors</c> (model, optimizer moments and steps, trainer state — one file, so it is
/// always consistent), <c>metrics.tsv</c>, <c>metrics_per_treatment.tsv</c> and <c>run.json</c>.
/// </para>
/// <para>
/// Exact resume: every epoch's randomness (shuffling, strand flips, and the dropout masks of every
/// <see cref="Dropout"/> and <see cref="MultiHeadAttention"/> in the model, which are reseeded) comes
/// from generators derived from (<see cref="TrainerOptions.Seed"/>, epoch), and the schedule is a
/// function of the step; so a run killed at any moment and resumed with
/// <see cref="TrainerOptions.Resume"/> ends with the same weights, bit for bit, as an uninterrupted run.
/// (Only those two module types draw random numbers in training; a model with other stochastic layers
/// would need them reseeded too.)
/// </para>
/// </summary>
public sealed class Trainer
{
    /// <summary>The best checkpoint's file name.</summary>
    public const string BestFileName = "best.safetensors";

    /// <summary>The last epoch's checkpoint's file name.</summary>
    public const string LastFileName = "last.safetensors";

    /// <summary>The resume checkpoint's file name (model + optimizer + trainer state).</summary>
    public const string ResumeFileName = "resume.safetensors";

    /// <summary>The per-epoch metrics table's file name.</summary>
    public const string MetricsFileName = "metrics.tsv";

    /// <summary>The per-treatment metrics table's file name.</summary>
    public const string PerTreatmentMetricsFileName = "metrics_per_treatment.tsv";

    private const string ModelPrefix = "model.";
    private const string OptimizerPrefix = "optimizer.";
    private const string OptimizerScalarPrefix = "optimizer_scalar.";
    private const string AveragePrefix = "weight_average.";
    private const string AverageUpdatesKey = TrainingCheckpoint.Prefix + "weight_average_updates";
    private const string StateKey = TrainingCheckpoint.Prefix + "trainer_state";
    private const string OptionsKey = TrainingCheckpoint.Prefix + "trainer_options";
    private const string DataKey = TrainingCheckpoint.Prefix + "data";

    private static readonly string[] RunFiles = [RunManifest.FileName, ResumeFileName, LastFileName, BestFileName, MetricsFileName, PerTreatmentMetricsFileName];

    private readonly ITrainingProgress progress;

    /// <summary>Creates a trainer; <paramref name="options"/> are validated here.</summary>
    /// <param name="options">The options.</param>
    /// <param name="progress">Receives progress; default none.</param>
    public Trainer(TrainerOptions options, ITrainingProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        this.progress = progress ?? new SilentProgress();
    }

    /// <summary>The options.</summary>
    public TrainerOptions Options { get; }

    /// <summary>The target scaler of the last <see cref="Fit{TModel}"/> (null before).</summary>
    public TargetScaler? Scaler { get; private set; }

    /// <summary>
    /// Trains <paramref name="model"/> in place on <paramref name="split"/>'s training rows, validating on its
    /// validation rows (test rows are never touched). On return the model holds the best epoch's weights
    /// and is in evaluation mode.
    /// </summary>
    /// <param name="model">The model, e.g. a <see cref="CondPromoter"/>; its treatment count must match the data, and it needs 1 output per treatment for regression or 3 for classification.</param>
    /// <param name="dataset">All genes: sequences <c>(N, L, 4)</c>, targets and mask <c>(N, T)</c>.</param>
    /// <param name="split">The split label of every gene (at least one training gene).</param>
    /// <param name="inputFiles">Files the dataset was read from, hashed into <c>run.json</c>; default none.</param>
    /// <param name="cancellationToken">Checked before every step; cancelling throws <see cref="OperationCanceledException"/>, leaving the files of the last completed epoch (resume from them).</param>
    /// <exception cref="ArgumentException">The model does not fit the data or the task.</exception>
    /// <exception cref="IOException">The output folder already holds a run and neither Resume nor Overwrite is set, or Resume finds no run.</exception>
    /// <exception cref="CheckpointMismatchException">Resume finds a run of another model, version, data or options.</exception>
    public TrainingResult Fit<TModel>(TModel model, PromoterDataset dataset, SplitAssignment split, IEnumerable<string>? inputFiles = null, CancellationToken cancellationToken = default)
        where TModel : Module, IPromoterModel
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(split);
        Evaluation.CheckModel(model, dataset.TreatmentCount, Options.Task);
        if (split.Labels.Count != dataset.Count)
        {
            throw new ArgumentException($"The split labels {split.Labels.Count} genes but the dataset has {dataset.Count}.", nameof(split));
        }
        if (split.Train.Length == 0)
        {
            throw new ArgumentException("The split has no training genes.", nameof(split));
        }

        var o = Options;
        bool classification = o.Task == TaskKind.Classification;
        var description = ModelDescription.Of(model);
        var data = DataHashes.Of(dataset, split, inputFiles);
        var scaler = !classification && o.StandardizeTargets ? TargetScaler.Fit(dataset, split.Train) : TargetScaler.Identity(dataset.Treatments);
        Scaler = scaler;
        var trainData = scaler.IsIdentity || classification
            ? dataset
            : new PromoterDataset(dataset.Sequences, scaler.Transform(dataset.Targets, dataset.Mask), dataset.Mask, dataset.GeneIds, dataset.Treatments);
        var evaluation = EvaluationSettings.From(o, scaler);

        var optimizer = new AdamW(ParameterGroups.WithWeightDecay(model, o.WeightDecay), o.LearningRate, o.Beta1, o.Beta2, 1e-8, o.WeightDecay);
        var average = o.WeightAverageDecay > 0 ? new ExponentialMovingAverage(model, o.WeightAverageDecay) : null;
        int batchesPerEpoch = (split.Train.Length + o.BatchSize - 1) / o.BatchSize;
        int stepsPerEpoch = Math.Min(batchesPerEpoch, o.MaxBatchesPerEpoch ?? int.MaxValue);
        long totalSteps = (long)stepsPerEpoch * o.Epochs;
        long warmup = Math.Min(totalSteps, o.WarmupSteps ?? (long)Math.Round(o.WarmupFraction * totalSteps));
        var schedule = new WarmupCosine(warmup, totalSteps, o.MinLearningRateRatio);
        var info = new CheckpointInfo(description, PromptorVersion.Current, dataset.Treatments.ToArray(), ScalerSnapshot.Of(scaler),
            o.Task, o.DownThreshold, o.UpThreshold, 0);

        var state = new TrainerState { StartedUtc = DateTimeOffset.UtcNow };
        Dictionary<string, Tensor>? best = null;
        string? directory = o.OutputDirectory is null ? null : Path.GetFullPath(o.OutputDirectory);
        if (directory is not null)
        {
            if (o.Resume)
            {
                (state, best) = LoadResume(directory, model, optimizer, average, description, data);
            }
            else
            {
                PrepareFreshDirectory(directory, o.Overwrite);
                Manifest(model, description, dataset, split, data, scaler, state).Save(Path.Combine(directory, RunManifest.FileName));
            }
        }

        progress.Started(new TrainingStart(o.Epochs, state.EpochsCompleted + 1, stepsPerEpoch, totalSteps, split.Train.Length,
            split.Validation.Length, model.ParameterCount, o.Resume, directory));
        var session = new Session(Stopwatch.StartNew(), stepsPerEpoch, totalSteps);
        var parameters = model.Parameters().Cast<Tensor>().ToArray();
        var history = state.History.ToList();

        for (int epoch = state.EpochsCompleted + 1; epoch <= o.Epochs && state.Status == RunStatus.Running; epoch++)
        {
            var clock = Stopwatch.StartNew();
            long step = state.Step;
            double trainLoss = TrainEpoch(model, trainData, split.Train, optimizer, average, schedule, parameters, epoch, ref step, session, cancellationToken);

            // With weight averaging, the epoch is validated and checkpointed with the averaged weights; the live
            // weights come back before the resume checkpoint, and training continues from them.
            var live = average is null ? null : Snapshot(model);
            if (average is not null)
            {
                model.LoadStateDict(average.StateDict(model));
            }
            var validation = split.Validation.Length > 0 ? Evaluation.Evaluate(model, dataset, split.Validation, evaluation) : null;
            double metric = validation is null ? double.NaN : Select(validation, o.SelectionMetric);
            bool improved = validation is null || state.BestEpoch == 0 || IsBetter(metric, state.BestMetric, o.SelectionMetric);
            if (improved)
            {
                best = Snapshot(model);
            }
            var metrics = validation?.Metrics ?? Metrics.PerTreatment([], [], [], dataset.Treatments);
            var record = new EpochRecord(epoch, step, optimizer.Groups[0].LearningRate, trainLoss,
                validation?.Loss ?? double.NaN, metrics.MeanPearson, metrics.MeanSpearman, metrics.MeanAuroc, metrics.MeanAupr,
                clock.Elapsed.TotalSeconds, improved, metrics.Rows);
            history.Add(record);
            int without = improved ? 0 : state.EpochsWithoutImprovement + 1;
            bool stopEarly = o.Patience > 0 && without >= o.Patience && epoch < o.Epochs;
            state = state with
            {
                EpochsCompleted = epoch,
                Step = step,
                BestEpoch = improved ? epoch : state.BestEpoch,
                BestMetric = improved ? metric : state.BestMetric,
                EpochsWithoutImprovement = without,
                Status = stopEarly ? RunStatus.StoppedEarly : epoch == o.Epochs ? RunStatus.Completed : RunStatus.Running,
                History = history.ToArray(),
            };
            var epochInfo = info with { Epoch = epoch };
            if (directory is not null)
            {
                if (improved)
                {
                    TrainingCheckpoint.Save(Path.Combine(directory, BestFileName), model, epochInfo);
                }
                TrainingCheckpoint.Save(Path.Combine(directory, LastFileName), model, epochInfo);
            }
            if (live is not null)
            {
                model.LoadStateDict(live);
            }
            if (directory is not null)
            {
                SaveResume(Path.Combine(directory, ResumeFileName), model, optimizer, average, epochInfo, state, data);
                MetricsFile.WriteEpochs(Path.Combine(directory, MetricsFileName), history, classification);
                MetricsFile.WritePerTreatment(Path.Combine(directory, PerTreatmentMetricsFileName), history);
                Manifest(model, description, dataset, split, data, scaler, state).Save(Path.Combine(directory, RunManifest.FileName));
            }
            session.Epochs++;
            var sessionElapsed = session.Clock.Elapsed;
            progress.EpochCompleted(new EpochSummary(record, o.Epochs, state.BestEpoch, state.BestMetric, without, stopEarly,
                sessionElapsed, sessionElapsed / session.Epochs * (o.Epochs - epoch)));
        }

        if (best is not null)
        {
            model.LoadStateDict(best);
        }
        model.Eval();
        var bestRecord = state.History.FirstOrDefault(r => r.Epoch == state.BestEpoch);
        var result = new TrainingResult(state.EpochsCompleted, state.BestEpoch, o.SelectionMetric, state.BestMetric,
            state.Status == RunStatus.StoppedEarly, state.History,
            new TreatmentMetrics(bestRecord?.ValidationTreatments ?? []), scaler, directory);
        progress.Completed(result);
        return result;
    }

    /// <summary>
    /// One epoch of optimizer steps over <paramref name="rows"/> (shuffled and strand-flipped from the
    /// epoch's generator, at most <see cref="Session.StepsPerEpoch"/> batches); advances <paramref name="step"/>
    /// and returns the mean loss over the observed targets.
    /// </summary>
    private double TrainEpoch<TModel>(TModel model, PromoterDataset data, int[] rows, Optimizer optimizer, ExponentialMovingAverage? average, WarmupCosine schedule,
        Tensor[] parameters, int epoch, ref long step, Session session, CancellationToken cancellationToken)
        where TModel : Module, IPromoterModel
    {
        var o = Options;
        model.Train();
        ReseedModel(model, o.Seed, epoch);
        var generator = new Generator(DeriveSeed(o.Seed, epoch, 0));
        double lossSum = 0, lossWeight = 0;
        int batch = 0;
        foreach (var b in data.Batches(rows, o.BatchSize, generator, o.ReverseComplementAugmentation))
        {
            if (batch == session.StepsPerEpoch)
            {
                break;
            }
            cancellationToken.ThrowIfCancellationRequested();
            schedule.Apply(optimizer, step);
            optimizer.ZeroGrad();
            var (output, attention) = EntropyPenalized(model) is { } cond
                ? cond.ForwardWithAttention(b.Sequences)
                : (model.Forward(b.Sequences), null);                       // (B, T) or (B, T, 3)
            var loss = o.Task == TaskKind.Classification ? ClassificationLoss(output, b, o) : output.MseLoss(b.Targets, b.Mask);
            if (attention is not null)
            {
                loss = loss + AttentionEntropy.MeanRowEntropy(attention).MulScalar(o.AttentionEntropyPenalty);
            }
            loss.Backward();
            float norm = o.GradientClipNorm is float clip ? GradientClipping.ClipGradNorm(parameters, clip) : 0f;
            float value = loss.Item();
            if (float.IsFinite(value) && float.IsFinite(norm))
            {
                optimizer.Step();   // a non-finite loss or gradient skips the update (the step still counts)
                average?.Update();
            }
            double observed = Sum(b.Mask.Data);
            lossSum += value * observed;
            lossWeight += observed;
            step++;
            batch++;
            session.Steps++;
            var elapsed = session.Clock.Elapsed;
            progress.Step(new StepProgress(epoch, o.Epochs, batch, session.StepsPerEpoch, step, session.TotalSteps, value,
                optimizer.Groups[0].LearningRate, elapsed, elapsed / session.Steps * (session.TotalSteps - step),
                o.LogInterval > 0 && step % o.LogInterval == 0));
        }
        optimizer.ZeroGrad();
        return lossWeight > 0 ? lossSum / lossWeight : double.NaN;
    }

    /// <summary>
    /// Evaluates <paramref name="model"/> on the dataset rows <paramref name="indices"/> with this trainer's
    /// settings (task, strand averaging, the scaler fitted by the last <see cref="Fit{TModel}"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">Called before <see cref="Fit{TModel}"/>.</exception>
    public EvaluationResult Evaluate<TModel>(TModel model, PromoterDataset dataset, IReadOnlyList<int> indices)
        where TModel : Module, IPromoterModel
    {
        var scaler = Scaler ?? throw new InvalidOperationException("Evaluate needs the target scaler of a Fit; call Fit first or use Evaluation.Evaluate with explicit settings.");
        return Evaluation.Evaluate(model, dataset, indices, EvaluationSettings.From(Options, scaler));
    }

    /// <summary>
    /// A 64-bit seed for stream <paramref name="stream"/> of epoch <paramref name="epoch"/> (stream 0 shuffles
    /// and flips strands; stream k ≥ 1 drives the k-th stochastic module), mixed with SplitMix64.
    /// </summary>
    public static ulong DeriveSeed(ulong seed, int epoch, int stream)
    {
        ulong x = Mix(seed ^ 0x5052_4F4D_5054_4F52UL);               // "PROMPTOR"
        x = Mix(x + (ulong)(uint)epoch * 0x9E3779B97F4A7C15UL);
        return Mix(x + (ulong)(uint)stream * 0xD1B54A32D192ED03UL);

        static ulong Mix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>Reseeds every <see cref="Dropout"/> and <see cref="MultiHeadAttention"/> of the model, in module order, for <paramref name="epoch"/>.</summary>
    private static void ReseedModel(Module model, ulong seed, int epoch)
    {
        int k = 0;
        foreach (var (_, module) in model.NamedModules())
        {
            switch (module)
            {
                case Dropout dropout:
                    dropout.Reseed(DeriveSeed(seed, epoch, ++k));
                    break;
                case MultiHeadAttention attention:
                    attention.Reseed(DeriveSeed(seed, epoch, ++k));
                    break;
            }
        }
    }

    /// <summary>The model as a cross-attention CondPromoter when the attention entropy penalty applies to it, else null.</summary>
    private CondPromoter? EntropyPenalized(Module model) =>
        Options.AttentionEntropyPenalty > 0 && model is CondPromoter cond && AttentionMaps.HasAttention(cond.Options) ? cond : null;

    private static Tensor ClassificationLoss(Tensor logits, PromoterBatch batch, TrainerOptions o)
    {
        var y = batch.Targets.Data;
        var m = batch.Mask.Data;
        var labels = new int[y.Length];
        for (int i = 0; i < y.Length; i++)
        {
            labels[i] = m[i] > 0 ? ClassLabels.Of(y[i], o.DownThreshold, o.UpThreshold) : -100;
        }
        return logits.Reshape(y.Length, ClassLabels.Count).CrossEntropy(labels, ignoreIndex: -100); // (B·T, 3)
    }

    private static double Select(EvaluationResult validation, SelectionMetric metric) => metric switch
    {
        SelectionMetric.MeanPearson => validation.Metrics.MeanPearson,
        SelectionMetric.MeanSpearman => validation.Metrics.MeanSpearman,
        SelectionMetric.Loss => validation.Loss,
        SelectionMetric.MeanAuroc => validation.Metrics.MeanAuroc,
        _ => validation.Metrics.MeanAupr,
    };

    /// <summary>NaN never improves, and anything beats a NaN best.</summary>
    private static bool IsBetter(double value, double best, SelectionMetric metric)
    {
        if (double.IsNaN(value))
        {
            return false;
        }
        if (double.IsNaN(best))
        {
            return true;
        }
        return metric == SelectionMetric.Loss ? value < best : value > best;
    }

    private static Dictionary<string, Tensor> Snapshot(Module model) =>
        model.StateDict().ToDictionary(p => p.Key, p => p.Value.Clone(), StringComparer.Ordinal);

    private static double Sum(float[] values)
    {
        double s = 0;
        foreach (float v in values)
        {
            s += v;
        }
        return s;
    }

    private RunManifest Manifest(Module model, ModelDescription description, PromoterDataset dataset, SplitAssignment split,
        DataHashes data, TargetScaler scaler, TrainerState state) => new()
        {
            PromptorVersion = PromptorVersion.Current,
            DotnetVersion = PromptorVersion.Runtime,
            StartedUtc = state.StartedUtc,
            UpdatedUtc = DateTimeOffset.UtcNow,
            Model = description,
            ParameterCount = model.ParameterCount,
            TrainerOptions = Options,
            Seed = Options.Seed,
            Data = data,
            Treatments = dataset.Treatments.ToArray(),
            Genes = new GeneCounts(dataset.Count, split.Train.Length, split.Validation.Length, split.Test.Length),
            Scaler = ScalerSnapshot.Of(scaler),
            Status = state.Status,
            EpochsCompleted = state.EpochsCompleted,
            BestEpoch = state.BestEpoch,
            BestMetric = state.BestMetric,
            Metrics = state.History,
        };

    /// <summary>Refuses a folder that holds a run unless <paramref name="overwrite"/>, which deletes the run's files (and only those).</summary>
    private static void PrepareFreshDirectory(string directory, bool overwrite)
    {
        var existing = RunFiles.Where(f => File.Exists(Path.Combine(directory, f))).ToArray();
        if (existing.Length > 0 && !overwrite)
        {
            throw new IOException($"'{directory}' already holds a run ({string.Join(", ", existing)}); resume it or choose to overwrite it.");
        }
        foreach (var file in existing)
        {
            File.Delete(Path.Combine(directory, file));
        }
        Directory.CreateDirectory(directory);
    }

    /// <summary>The options as they must agree between an interrupted run and its resumption (run control left out).</summary>
    private string ComparableOptions() =>
        JsonSerializer.Serialize(Options with { Resume = false, Overwrite = false, LogInterval = 0, OutputDirectory = null }, TrainingJson.Compact);

    private void SaveResume(string path, Module model, Optimizer optimizer, ExponentialMovingAverage? average, CheckpointInfo info, TrainerState state, DataHashes data)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in model.StateDict())
        {
            tensors[ModelPrefix + name] = tensor;
        }
        foreach (var (name, tensor) in average?.Averages ?? new Dictionary<string, Tensor>())
        {
            tensors[AveragePrefix + name] = tensor;
        }
        var optimizerState = optimizer.GetState();
        foreach (var (name, tensor) in optimizerState.Tensors)
        {
            tensors[OptimizerPrefix + name] = tensor;
        }
        var meta = TrainingCheckpoint.ToMetadata(info);
        foreach (var (name, value) in optimizerState.Scalars)
        {
            meta[OptimizerScalarPrefix + name] = value.ToString("R", CultureInfo.InvariantCulture);
        }
        if (average is not null)
        {
            meta[AverageUpdatesKey] = average.Updates.ToString(CultureInfo.InvariantCulture);
        }
        meta[StateKey] = JsonSerializer.Serialize(state, TrainingJson.Compact);
        meta[OptionsKey] = ComparableOptions();
        meta[DataKey] = JsonSerializer.Serialize(data, TrainingJson.Compact);
        SafeTensors.Save(path, tensors, meta);
    }

    private (TrainerState State, Dictionary<string, Tensor>? Best) LoadResume(string directory, Module model, Optimizer optimizer,
        ExponentialMovingAverage? average, ModelDescription description, DataHashes data)
    {
        string path = Path.Combine(directory, ResumeFileName);
        if (!File.Exists(path))
        {
            throw new IOException(File.Exists(Path.Combine(directory, RunManifest.FileName))
                ? $"Nothing to resume: the run in '{directory}' stopped before its first epoch ended; start it again with Overwrite."
                : $"Nothing to resume: '{path}' does not exist.");
        }
        SafeTensorsFile file;
        try
        {
            file = SafeTensors.Load(path);
        }
        catch (SafeTensorsFormatException e)
        {
            throw new CheckpointMismatchException(path, $"'{path}' is not a valid resume checkpoint: {e.Message}", e);
        }
        var info = TrainingCheckpoint.FromMetadata(path, file.Metadata);
        TrainingCheckpoint.CheckCompatible(path, info, description);
        string Meta(string key) => file.Metadata.TryGetValue(key, out var v)
            ? v
            : throw new CheckpointMismatchException(path, $"'{ResumeFileName}' lacks '{key}'; it was not written by the Trainer.");
        DataHashes saved;
        TrainerState state;
        try
        {
            saved = JsonSerializer.Deserialize<DataHashes>(Meta(DataKey), TrainingJson.Compact)!;
            state = JsonSerializer.Deserialize<TrainerState>(Meta(StateKey), TrainingJson.Compact)!;
        }
        catch (JsonException e)
        {
            throw new CheckpointMismatchException(path, $"'{ResumeFileName}' has malformed trainer metadata: {e.Message}", e);
        }
        if (!saved.SameDataAs(data))
        {
            string what = saved.Sequences != data.Sequences ? "sequences" : saved.Targets != data.Targets || saved.Mask != data.Mask ? "targets"
                : saved.GeneIds != data.GeneIds ? "gene ids" : saved.Treatments != data.Treatments ? "treatments" : "split";
            throw new CheckpointMismatchException(path, $"'{ResumeFileName}' was trained on other data (the {what} differ); resume needs the same data and split.");
        }
        string difference = FirstDifference(Meta(OptionsKey), ComparableOptions());
        if (difference.Length > 0)
        {
            throw new CheckpointMismatchException(path, $"'{ResumeFileName}' was trained with other options ({difference}); resume needs the same options.");
        }

        var modelTensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var optimizerTensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var averageTensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in file.Tensors)
        {
            if (name.StartsWith(AveragePrefix, StringComparison.Ordinal))
            {
                averageTensors[name[AveragePrefix.Length..]] = tensor;
            }
            if (name.StartsWith(ModelPrefix, StringComparison.Ordinal))
            {
                modelTensors[name[ModelPrefix.Length..]] = tensor;
            }
            else if (name.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            {
                optimizerTensors[name[OptimizerPrefix.Length..]] = tensor;
            }
        }
        var scalars = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, value) in file.Metadata)
        {
            if (key.StartsWith(OptimizerScalarPrefix, StringComparison.Ordinal))
            {
                scalars[key[OptimizerScalarPrefix.Length..]] = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }
        Dictionary<string, Tensor>? best = null;
        if (state.BestEpoch > 0)
        {
            string bestPath = Path.Combine(directory, BestFileName);
            if (!File.Exists(bestPath))
            {
                throw new IOException($"Cannot resume: '{bestPath}' (epoch {state.BestEpoch}) is missing.");
            }
            TrainingCheckpoint.CheckCompatible(bestPath, TrainingCheckpoint.ReadInfo(bestPath), description);
            best = new Dictionary<string, Tensor>(SafeTensors.Load(bestPath).Tensors, StringComparer.Ordinal);
        }
        TrainingCheckpoint.LoadWeights(path, model, modelTensors);
        try
        {
            optimizer.LoadState(new OptimizerState(optimizerTensors, scalars));
        }
        catch (ArgumentException e)
        {
            throw new CheckpointMismatchException(path, $"'{ResumeFileName}' holds optimizer state that does not fit: {e.Message}", e);
        }
        if (average is not null)
        {
            try
            {
                average.Load(averageTensors, long.Parse(Meta(AverageUpdatesKey), NumberStyles.Integer, CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                throw new CheckpointMismatchException(path, $"'{ResumeFileName}' holds a weight average that does not fit: {e.Message}", e);
            }
        }
        return (state, best);
    }

    private static string FirstDifference(string savedJson, string currentJson)
    {
        var saved = JsonNode.Parse(savedJson)!.AsObject();
        var current = JsonNode.Parse(currentJson)!.AsObject();
        foreach (var key in saved.Select(p => p.Key).Union(current.Select(p => p.Key)))
        {
            string a = saved[key]?.ToJsonString() ?? "null", b = current[key]?.ToJsonString() ?? "null";
            if (a != b)
            {
                return $"{key} was {a}, now {b}";
            }
        }
        return "";
    }

    private sealed class SilentProgress : ITrainingProgress;

    /// <summary>This process's share of a run: its clock and counters (for rates and ETAs), and the run's step plan.</summary>
    private sealed class Session(Stopwatch clock, int stepsPerEpoch, long totalSteps)
    {
        public Stopwatch Clock { get; } = clock;

        public int StepsPerEpoch { get; } = stepsPerEpoch;

        public long TotalSteps { get; } = totalSteps;

        public long Steps { get; set; }

        public int Epochs { get; set; }
    }
}
