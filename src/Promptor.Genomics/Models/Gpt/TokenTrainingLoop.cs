using System.Diagnostics;
using Promptor.Nn;
using Promptor.Nn.Optim;
using Promptor.Nn.Optim.Schedules;
using Promptor.Nn.Serialization;
using Promptor.Tensors;

namespace Promptor.Genomics.Models.Gpt;

/// <summary>The settings <see cref="TokenTrainingLoop"/> reads; each trainer fills them from its own options.</summary>
internal sealed record TokenTrainingSettings(
    int Epochs,
    int BatchSize,
    double LearningRate,
    double Beta1,
    double Beta2,
    double WeightDecay,
    long WarmupSteps,
    double MinLearningRateRatio,
    float? ClipNorm,
    double? MaxSeconds,
    int? Patience,
    bool RestoreBest,
    string? CheckpointPath);

/// <summary>What <see cref="TokenTrainingLoop.Run"/> did.</summary>
internal sealed record TokenTrainingOutcome(
    IReadOnlyList<LanguageModelEpoch> History,
    int BestEpoch,
    LanguageModelMetrics? BestValidation,
    bool StoppedByPatience,
    bool StoppedByBudget,
    long Steps);

/// <summary>
/// The training loop shared by the token models (<see cref="LanguageModelTrainer"/> for the GPT,
/// <see cref="Seq2Seq.Seq2SeqTrainer"/> for the encoder–decoder): AdamW with decay on weights only,
/// linear warm-up then cosine decay per step, optional gradient clipping, a time budget, validation
/// after every epoch, early stopping on the validation loss, and the best weights checkpointed and
/// restored. The trainers supply what differs — how an epoch is cut into batches and what a batch's
/// loss is, how validation is scored, and the checkpoint's metadata.
/// </summary>
internal static class TokenTrainingLoop
{
    /// <summary>
    /// Trains <paramref name="model"/> in place; it is left in training mode with the best (or last) weights.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="settings">Optimizer, schedule and stopping settings.</param>
    /// <param name="stepsPerEpoch">Optimizer steps in one full epoch (sizes the cosine schedule).</param>
    /// <param name="epochBatches">The batches of one epoch, in order: each computes its loss (mean nats per counted token, recorded) and the tokens it counted.</param>
    /// <param name="validate">Validation metrics of the current weights (evaluation mode is the callee's), or null without validation data.</param>
    /// <param name="metadata">Checkpoint metadata for an epoch and its validation metrics.</param>
    /// <param name="epochCompleted">Called after every epoch, or null.</param>
    public static TokenTrainingOutcome Run(
        Module model,
        TokenTrainingSettings settings,
        int stepsPerEpoch,
        Func<IEnumerable<Func<(Tensor Loss, long Tokens)>>> epochBatches,
        Func<LanguageModelMetrics>? validate,
        Func<int, LanguageModelMetrics?, IReadOnlyDictionary<string, string>> metadata,
        Action<LanguageModelEpoch>? epochCompleted)
    {
        var s = settings;
        var optimizer = new AdamW(ParameterGroups.WithWeightDecay(model, s.WeightDecay), s.LearningRate, s.Beta1, s.Beta2);
        long totalSteps = (long)stepsPerEpoch * s.Epochs;
        var schedule = new WarmupCosine(Math.Min(s.WarmupSteps, totalSteps), totalSteps, s.MinLearningRateRatio);
        var history = new List<LanguageModelEpoch>();
        Dictionary<string, Tensor>? best = null;
        LanguageModelMetrics? bestValidation = null;
        int bestEpoch = 0, sinceBest = 0;
        long step = 0;
        bool outOfTime = false, stoppedByPatience = false;
        var budgetClock = Stopwatch.StartNew();

        for (int epoch = 1; epoch <= s.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            model.Train();
            double nats = 0;
            long tokens = 0;
            foreach (var batch in epochBatches())
            {
                schedule.Apply(optimizer, step++);
                optimizer.ZeroGrad();
                var (loss, counted) = batch();
                loss.Backward();
                if (s.ClipNorm is { } clip)
                {
                    GradientClipping.ClipGradNorm(model.Parameters(), clip);
                }
                optimizer.Step();
                nats += loss.Item() * counted;
                tokens += counted;
                if (s.MaxSeconds is { } budget && budgetClock.Elapsed.TotalSeconds >= budget)
                {
                    outOfTime = true;
                    break;
                }
            }

            LanguageModelMetrics? metrics = validate?.Invoke();
            bool improved = metrics is not { } m || bestValidation is not { } b || m.NatsPerToken < b.NatsPerToken;
            var record = new LanguageModelEpoch(epoch, tokens == 0 ? 0 : nats / tokens, metrics, optimizer.Groups[0].LearningRate, clock.Elapsed.TotalSeconds);
            history.Add(record);
            if (improved)
            {
                bestEpoch = epoch;
                bestValidation = metrics;
                sinceBest = 0;
                if (metrics is not null && s.RestoreBest)
                {
                    best = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
                }
            }
            else
            {
                sinceBest++;
            }
            // The checkpoint follows the weights the run ends with: the best epoch's, or every epoch's
            // when the last ones are kept.
            if (s.CheckpointPath is not null && (improved || !s.RestoreBest))
            {
                ModuleCheckpoint.Save(s.CheckpointPath, model, metadata(epoch, metrics));
            }
            epochCompleted?.Invoke(record);
            if (outOfTime)
            {
                break;
            }
            if (s.Patience is { } patience && sinceBest >= patience && epoch < s.Epochs)
            {
                stoppedByPatience = true;
                break;
            }
        }
        if (best is not null)
        {
            model.LoadStateDict(best);
        }
        model.Train();
        return new TokenTrainingOutcome(history, bestEpoch, bestValidation, stoppedByPatience, outOfTime && history.Count < s.Epochs, step);
    }
}
