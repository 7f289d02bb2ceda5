using System.Globalization;
using Promptor.Tensors;

namespace Promptor.Genomics.Models.Gpt;

/// <summary>
/// Trains a <see cref="Gpt"/> on next-token prediction with the shared <see cref="TokenTrainingLoop"/>
/// (AdamW with decay on weights only, linear warm-up then cosine decay per step, gradient clipping,
/// validation metrics after every epoch, early stopping on the validation loss, restoring and
/// checkpointing the best weights) over shuffled, length-bucketed padded batches. The checkpoint's metadata is the caller's (vocabulary, tokenizer, …) plus
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
        ArgumentNullException.ThrowIfNull(train);
        return Train(model, _ => new LanguageModelEpochData(train, trainLabels), validation, validationLabels, metadata);
    }

    /// <summary>
    /// Trains <paramref name="model"/> on a training set that may change every epoch (augmentation:
    /// e.g. a fresh randomized SMILES of each molecule), and returns the history. Validation stays
    /// fixed. <paramref name="trainingEpoch"/> is called once per epoch, with 1, 2, …, before that epoch's
    /// batches; its result should depend only on the epoch number, so a run is reproducible. The
    /// cosine schedule is sized by epoch 1's number of sequences.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="trainingEpoch">The training sequences (and labels, for conditional models) of an epoch.</param>
    /// <param name="validation">Validation sequences, or null.</param>
    /// <param name="validationLabels">Labels of the validation sequences, or null.</param>
    /// <param name="metadata">Entries to store in the checkpoint (vocabulary, tokenizer settings, …), or null.</param>
    public LanguageModelTrainingResult Train(Gpt model, Func<int, LanguageModelEpochData> trainingEpoch, IReadOnlyList<int[]>? validation = null,
        IReadOnlyList<int>? validationLabels = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trainingEpoch);
        var o = Options;
        var rng = new Generator(o.Seed);
        var first = Checked(trainingEpoch(1), 1);
        int epoch = 0;
        IEnumerable<Func<(Tensor Loss, long Tokens)>> EpochBatches()
        {
            // TokenTrainingLoop asks for the batches of epochs 1, 2, … in turn.
            epoch++;
            var data = epoch == 1 ? first : Checked(trainingEpoch(epoch), epoch);
            var train = data.Sequences;
            var trainLabels = data.Labels;
            var lengths = train.Select(s => Math.Min(s.Length, model.Options.ContextLength + 1)).ToArray();
            return LengthBucketing.PlanEpoch(lengths, o.BatchSize, o.BucketPoolBatches, rng).Select(picked => (Func<(Tensor, long)>)(() =>
            {
                var batch = LanguageModelBatch.Create(picked.Select(i => train[i]).ToArray(), o.PadId, model.Options.ContextLength,
                    trainLabels is null ? null : picked.Select(i => trainLabels[i]).ToArray());
                var loss = LanguageModelLoss.NextToken(model.Forward(batch.Inputs, batch.Batch, batch.Labels), batch.Targets, o.PadId);
                return (loss, batch.Targets.Count(t => t != o.PadId));
            }));
        }
        var outcome = TokenTrainingLoop.Run(
            model,
            new TokenTrainingSettings(o.Epochs, o.BatchSize, o.LearningRate, o.Beta1, o.Beta2, o.WeightDecay, o.WarmupSteps,
                o.MinLearningRateRatio, o.ClipNorm, o.MaxSeconds, o.Patience, o.RestoreBest, o.CheckpointPath),
            (first.Sequences.Count + o.BatchSize - 1) / o.BatchSize,
            EpochBatches,
            validation is null ? null : () => LanguageModelLoss.Evaluate(model, validation, o.PadId, o.BatchSize, validationLabels),
            (e, metrics) => Metadata(metadata, model, e, metrics),
            EpochCompleted);
        return new LanguageModelTrainingResult(outcome.History, outcome.BestEpoch, outcome.BestValidation,
            outcome.StoppedByPatience || outcome.StoppedByBudget);
    }

    private static LanguageModelEpochData Checked(LanguageModelEpochData data, int epoch)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Sequences.Count == 0)
        {
            throw new ArgumentException($"No training sequences for epoch {epoch}.");
        }
        if (data.Labels is not null && data.Labels.Count != data.Sequences.Count)
        {
            throw new ArgumentException($"Expected {data.Sequences.Count} training labels for epoch {epoch}, got {data.Labels.Count}.");
        }
        return data;
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
