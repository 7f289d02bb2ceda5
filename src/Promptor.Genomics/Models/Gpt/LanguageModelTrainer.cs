using System.Diagnostics;
using System.Globalization;
using Promptor.Nn.Optim;
using Promptor.Nn.Optim.Schedules;
using Promptor.Nn.Serialization;
using Promptor.Tensors;

namespace Promptor.Genomics.Models.Gpt;

/// <summary>
/// Trains a <see cref="Gpt"/> on next-token prediction: AdamW (decay on weights only), linear
/// warm-up then cosine decay per step, gradient clipping, shuffled, length-bucketed padded batches, validation
/// metrics after every epoch, early stopping on the validation loss, restoring and checkpointing
/// the best weights. The checkpoint's metadata is the caller's (vocabulary, tokenizer, …) plus
/// <c>gpt.options</c> (<see cref="GptOptions.ToJson"/>) and <c>training.*</c> entries.
/// </summary>
public sealed class LanguageModelTrainer
{
    /// <summary>Creates a trainer with <paramref name="options"/>.</summary>
    public LanguageModelTrainer(LanguageModelTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The training options.</summary>
    public LanguageModelTrainerOptions Options { get; }

    /// <summary>Called after every epoch (progress reporting); default none.</summary>
    public Action<LanguageModelEpoch>? EpochCompleted { get; init; }

    /// <summary>
    /// Trains <paramref name="model"/> in place and returns the history. The model is left in
    /// training mode with the best (or last) weights.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="train">Training sequences (≥ 2 ids each; cropped to the context length + 1).</param>
    /// <param name="validation">Validation sequences, or null.</param>
    /// <param name="trainLabels">Labels of the training sequences (conditional models), or null.</param>
    /// <param name="validationLabels">Labels of the validation sequences, or null.</param>
    /// <param name="metadata">Entries to store in the checkpoint (vocabulary, tokenizer settings, …), or null.</param>
    public LanguageModelTrainingResult Train(Gpt model, IReadOnlyList<int[]> train, IReadOnlyList<int[]>? validation = null,
        IReadOnlyList<int>? trainLabels = null, IReadOnlyList<int>? validationLabels = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0)
        {
            throw new ArgumentException("No training sequences.", nameof(train));
        }
        if (trainLabels is not null && trainLabels.Count != train.Count)
        {
            throw new ArgumentException($"Expected {train.Count} training labels, got {trainLabels.Count}.", nameof(trainLabels));
        }
        var o = Options;
        var optimizer = new AdamW(ParameterGroups.WithWeightDecay(model, o.WeightDecay), o.LearningRate, o.Beta1, o.Beta2);
        int stepsPerEpoch = (train.Count + o.BatchSize - 1) / o.BatchSize;
        long totalSteps = (long)stepsPerEpoch * o.Epochs;
        var schedule = new WarmupCosine(Math.Min(o.WarmupSteps, totalSteps), totalSteps, o.MinLearningRateRatio);
        var rng = new Generator(o.Seed);
        var lengths = train.Select(s => Math.Min(s.Length, model.Options.ContextLength + 1)).ToArray();
        var history = new List<LanguageModelEpoch>();
        Dictionary<string, Tensor>? best = null;
        LanguageModelMetrics? bestValidation = null;
        int bestEpoch = 0, sinceBest = 0;
        long step = 0;
        bool stoppedEarly = false;
        var budgetClock = Stopwatch.StartNew();
        bool outOfTime = false;

        for (int epoch = 1; epoch <= o.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            model.Train();
            double nats = 0;
            long tokens = 0;
            foreach (var picked in LengthBucketing.PlanEpoch(lengths, o.BatchSize, o.BucketPoolBatches, rng))
            {
                var batch = LanguageModelBatch.Create(picked.Select(i => train[i]).ToArray(), o.PadId, model.Options.ContextLength,
                    trainLabels is null ? null : picked.Select(i => trainLabels[i]).ToArray());
                schedule.Apply(optimizer, step++);
                optimizer.ZeroGrad();
                var loss = LanguageModelLoss.NextToken(model.Forward(batch.Inputs, batch.Batch, batch.Labels), batch.Targets, o.PadId);
                loss.Backward();
                if (o.ClipNorm is { } clip)
                {
                    GradientClipping.ClipGradNorm(model.Parameters(), clip);
                }
                optimizer.Step();
                long counted = batch.Targets.Count(t => t != o.PadId);
                nats += loss.Item() * counted;
                tokens += counted;
                if (o.MaxSeconds is { } budget && budgetClock.Elapsed.TotalSeconds >= budget)
                {
                    outOfTime = true;
                    break;
                }
            }

            LanguageModelMetrics? metrics = validation is null ? null
                : LanguageModelLoss.Evaluate(model, validation, o.PadId, o.BatchSize, validationLabels);
            bool improved = metrics is not { } m || bestValidation is not { } b || m.NatsPerToken < b.NatsPerToken;
            var record = new LanguageModelEpoch(epoch, tokens == 0 ? 0 : nats / tokens, metrics, optimizer.Groups[0].LearningRate, clock.Elapsed.TotalSeconds);
            history.Add(record);
            if (improved)
            {
                bestEpoch = epoch;
                bestValidation = metrics;
                sinceBest = 0;
                if (metrics is not null && o.RestoreBest)
                {
                    best = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
                }
                if (o.CheckpointPath is not null)
                {
                    ModuleCheckpoint.Save(o.CheckpointPath, model, Metadata(metadata, model, epoch, metrics));
                }
            }
            else
            {
                sinceBest++;
            }
            EpochCompleted?.Invoke(record);
            if (outOfTime && epoch < o.Epochs)
            {
                stoppedEarly = true;
                break;
            }
            if (o.Patience is { } patience && sinceBest >= patience && epoch < o.Epochs)
            {
                stoppedEarly = true;
                break;
            }
        }
        if (best is not null)
        {
            model.LoadStateDict(best);
        }
        model.Train();
        return new LanguageModelTrainingResult(history, bestEpoch, bestValidation, stoppedEarly);
    }

    private static Dictionary<string, string> Metadata(IReadOnlyDictionary<string, string>? caller, Gpt model, int epoch, LanguageModelMetrics? metrics)
    {
        var result = caller is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(caller, StringComparer.Ordinal);
        result["gpt.options"] = model.Options.ToJson();
        result["training.epoch"] = epoch.ToString(CultureInfo.InvariantCulture);
        if (metrics is { } m)
        {
            result["training.validation_nats_per_token"] = m.NatsPerToken.ToString("R", CultureInfo.InvariantCulture);
            result["training.validation_bits_per_token"] = m.BitsPerToken.ToString("R", CultureInfo.InvariantCulture);
            result["training.validation_accuracy"] = m.Accuracy.ToString("R", CultureInfo.InvariantCulture);
        }
        return result;
    }
}
