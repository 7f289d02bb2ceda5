using System.Globalization;
using Promptor.Genomics.Models.Gpt;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Genomics.Models.Seq2Seq;

/// <summary>
/// Trains a <see cref="Seq2SeqTransformer"/> by teacher forcing: the decoder reads the begin token
/// and the true target so far and is scored by cross-entropy on the next target token (the end
/// token included, padding ignored). AdamW (decay on weights of rank ≥ 2), linear warm-up then
/// cosine decay per step, gradient clipping, seeded shuffling, teacher-forced validation after every
/// epoch, the best epoch's weights restored and checkpointed (metadata: the caller's entries plus
/// <c>seq2seq.options</c> and <c>training.*</c>), and an optional wall-clock budget.
/// </summary>
public sealed class Seq2SeqTrainer
{
    /// <summary>Creates a trainer with <paramref name="options"/>.</summary>
    public Seq2SeqTrainer(Seq2SeqTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The training options.</summary>
    public Seq2SeqTrainerOptions Options { get; }

    /// <summary>Called after every epoch (progress reporting); default none.</summary>
    public Action<Seq2SeqEpoch>? EpochCompleted { get; init; }

    /// <summary>Trains <paramref name="model"/> in place; it is left in training mode with the best (or last) weights.</summary>
    /// <param name="model">The model.</param>
    /// <param name="train">Training pairs (source ids, target ids), without special tokens.</param>
    /// <param name="validation">Validation pairs, or null.</param>
    /// <param name="metadata">Entries stored in the checkpoint (tokenizers, …), or null.</param>
    public Seq2SeqTrainingResult Train(Seq2SeqTransformer model, IReadOnlyList<(int[] Source, int[] Target)> train,
        IReadOnlyList<(int[] Source, int[] Target)>? validation = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0)
        {
            throw new ArgumentException("No training pairs.", nameof(train));
        }
        var o = Options;
        var rng = new Generator(o.Seed);
        var order = Enumerable.Range(0, train.Count).ToArray();
        IEnumerable<Func<(Tensor Loss, long Tokens)>> EpochBatches()
        {
            rng.Shuffle(order.AsSpan());
            for (int start = 0; start < order.Length; start += o.BatchSize)
            {
                int first = start;
                yield return () =>
                {
                    var batch = Seq2SeqBatch.Create(order.AsSpan(first, Math.Min(o.BatchSize, order.Length - first)).ToArray().Select(i => train[i]).ToArray());
                    var logits = model.Forward(batch.Source, batch.DecoderInput, batch.Batch);
                    var loss = logits.Reshape(-1, logits.Shape[-1]).CrossEntropy(batch.DecoderTarget, Seq2SeqTransformer.PadId, o.LabelSmoothing);
                    return (loss, batch.DecoderTarget.Count(t => t != Seq2SeqTransformer.PadId));
                };
            }
        }
        var outcome = TokenTrainingLoop.Run(
            model,
            new TokenTrainingSettings(o.Epochs, o.BatchSize, o.LearningRate, Beta1: 0.9, Beta2: 0.999, o.WeightDecay, o.WarmupSteps,
                o.MinLearningRateRatio, o.ClipNorm, o.MaxSeconds, Patience: null, o.RestoreBest, o.CheckpointPath),
            (train.Count + o.BatchSize - 1) / o.BatchSize,
            EpochBatches,
            validation is null ? null : () => Evaluate(model, validation, o.BatchSize),
            (epoch, metrics) => Metadata(metadata, model, epoch, metrics),
            EpochCompleted is { } report ? e => report(new Seq2SeqEpoch(e.Epoch, e.TrainNatsPerToken, e.Validation, e.LearningRate, e.Seconds)) : null);
        var history = outcome.History.Select(e => new Seq2SeqEpoch(e.Epoch, e.TrainNatsPerToken, e.Validation, e.LearningRate, e.Seconds)).ToArray();
        return new Seq2SeqTrainingResult(history, outcome.BestEpoch, outcome.BestValidation, outcome.StoppedByBudget, outcome.Steps);
    }

    /// <summary>
    /// Teacher-forced metrics of <paramref name="model"/> (evaluation mode, restored afterwards) on
    /// <paramref name="pairs"/>: nats per target token and top-1 token accuracy, end tokens included.
    /// </summary>
    public static LanguageModelMetrics Evaluate(Seq2SeqTransformer model, IReadOnlyList<(int[] Source, int[] Target)> pairs, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        bool wasTraining = model.IsTraining;
        model.Eval();
        double nats = 0;
        long correct = 0, tokens = 0;
        try
        {
            using (Tape.NoGrad())
            {
                for (int start = 0; start < pairs.Count; start += batchSize)
                {
                    var batch = Seq2SeqBatch.Create(LanguageModelLoss.Range(pairs, start, Math.Min(batchSize, pairs.Count - start)));
                    var logits = model.Forward(batch.Source, batch.DecoderInput, batch.Batch);
                    var (n, c, t) = LanguageModelLoss.Score(logits, batch.DecoderTarget, Seq2SeqTransformer.PadId);
                    nats += n;
                    correct += c;
                    tokens += t;
                }
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
        return tokens == 0 ? new LanguageModelMetrics(0, 0, 0) : new LanguageModelMetrics(nats / tokens, (double)correct / tokens, tokens);
    }

    private static Dictionary<string, string> Metadata(IReadOnlyDictionary<string, string>? caller, Seq2SeqTransformer model, int epoch, LanguageModelMetrics? metrics)
    {
        var result = caller is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(caller, StringComparer.Ordinal);
        result[Seq2SeqCheckpoint.OptionsKey] = model.Options.ToJson();
        result["training.epoch"] = epoch.ToString(CultureInfo.InvariantCulture);
        if (metrics is { } m)
        {
            result["training.validation_nats_per_token"] = m.NatsPerToken.ToString("R", CultureInfo.InvariantCulture);
            result["training.validation_accuracy"] = m.Accuracy.ToString("R", CultureInfo.InvariantCulture);
        }
        return result;
    }
}
