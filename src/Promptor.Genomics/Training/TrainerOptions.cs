using System.Text.Json.Serialization;

namespace Promptor.Genomics.Training;

/// <summary>
/// Options of <see cref="Trainer"/>, with documented defaults. Defaults follow what helped on the yeast
/// stress task (DESIGN.md): standardised targets, reverse-complement augmentation and averaging, and the
/// checkpoint chosen by mean validation Pearson r rather than loss. Serialised into <c>run.json</c>.
/// </summary>
public sealed record TrainerOptions
{
    /// <summary>Maximum number of epochs. Default 30.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Genes per training batch. Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Genes per evaluation batch (memory only; results do not depend on it). Default 256.</summary>
    public int EvaluationBatchSize { get; init; } = 256;

    /// <summary>Peak (base) learning rate of AdamW. Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>AdamW weight decay of weights of rank ≥ 2; biases and norms get none. Default 0.01.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>AdamW β₁. Default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW β₂. Default 0.999.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Linear warm-up as a fraction of all training steps, in [0, 1). Default 0.05. Ignored when <see cref="WarmupSteps"/> is set.</summary>
    public double WarmupFraction { get; init; } = 0.05;

    /// <summary>Linear warm-up length in steps, overriding <see cref="WarmupFraction"/>. Default null.</summary>
    public int? WarmupSteps { get; init; }

    /// <summary>The cosine decays to this fraction of the base learning rate, in [0, 1]. Default 0.01.</summary>
    public double MinLearningRateRatio { get; init; } = 0.01;

    /// <summary>Largest total gradient L2 norm; larger gradients are scaled down. Null disables clipping. Default 1.0.</summary>
    public float? GradientClipNorm { get; init; } = 1.0f;

    /// <summary>Stop after this many epochs without improvement of <see cref="SelectionMetric"/>; 0 never stops early. Default 6.</summary>
    public int Patience { get; init; } = 6;

    /// <summary>The validation metric for the best checkpoint and early stopping. Default mean Pearson r.</summary>
    public SelectionMetric SelectionMetric { get; init; } = SelectionMetric.MeanPearson;

    /// <summary>Reverse-complement each training sequence with probability 0.5. Default true.</summary>
    public bool ReverseComplementAugmentation { get; init; } = true;

    /// <summary>Evaluate and predict as <c>(f(x) + f(rc(x))) / 2</c>. Default true.</summary>
    public bool ReverseComplementAveraging { get; init; } = true;

    /// <summary>Standardise targets per treatment on the training genes (regression only). Default true.</summary>
    public bool StandardizeTargets { get; init; } = true;

    /// <summary>
    /// Seed of all training randomness: each epoch's shuffling, strand flips and dropout masks are drawn
    /// from generators derived from (seed, epoch), so a resumed run continues exactly. Default 1.
    /// (The model's initial weights come from the generator the caller builds it with.)
    /// </summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Regression (default) or down/unchanged/up classification.</summary>
    public TaskKind Task { get; init; } = TaskKind.Regression;

    /// <summary>Classification: responses at or below this are "down". Default −0.58 (log2 of 1/1.5).</summary>
    public float DownThreshold { get; init; } = -0.58f;

    /// <summary>Classification: responses at or above this are "up". Default 0.58 (log2 of 1.5).</summary>
    public float UpThreshold { get; init; } = 0.58f;

    /// <summary>Use at most this many batches per epoch (for quick runs). Default null: all of them.</summary>
    public int? MaxBatchesPerEpoch { get; init; }

    /// <summary>
    /// Folder for <c>best.safetensors</c>, <c>last.safetensors</c>, <c>resume.safetensors</c>,
    /// <c>metrics.tsv</c>, <c>metrics_per_treatment.tsv</c> and <c>run.json</c>; created if missing.
    /// Default null: train in memory and write nothing (no resume).
    /// </summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Report a step line every this many optimizer steps (0: only one line per epoch). Default 0.</summary>
    public int LogInterval { get; init; }

    /// <summary>Continue the run in <see cref="OutputDirectory"/> from its last completed epoch. Default false.</summary>
    public bool Resume { get; init; }

    /// <summary>Start afresh even when <see cref="OutputDirectory"/> already holds a run (it is replaced). Default false.</summary>
    public bool Overwrite { get; init; }

    /// <summary>
    /// Weight λ of an entropy penalty on the treatment cross-attention, for sparser maps: the loss becomes
    /// <c>loss + λ · mean entropy of the attention rows</c> (<see cref="Interpretation.AttentionEntropy"/>;
    /// a row over T' positions has entropy between 0 and ln T'). Applies to cross-attention
    /// <see cref="Models.CondPromoter"/>s only. Default 0: no penalty, and the option is then left out of
    /// <c>run.json</c> so existing runs compare and resume as before.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public float AttentionEntropyPenalty { get; init; }

    /// <summary>
    /// Decay d of an exponential moving average of the weights (<see cref="Nn.Optim.ExponentialMovingAverage"/>,
    /// with its warm-up), updated after every optimizer step; validation, the best and last checkpoints and
    /// the returned model then use the averaged weights, while training continues from the live ones.
    /// 0.999 averages over roughly the last thousand steps. Default 0: no averaging, and the option is then
    /// left out of <c>run.json</c> so existing runs compare and resume as before.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double WeightAverageDecay { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        static void Require(bool condition, string message)
        {
            if (!condition)
            {
                throw new ArgumentException(message);
            }
        }
        Require(Epochs >= 1, $"Epochs must be at least 1, got {Epochs}.");
        Require(BatchSize >= 1, $"BatchSize must be at least 1, got {BatchSize}.");
        Require(EvaluationBatchSize >= 1, $"EvaluationBatchSize must be at least 1, got {EvaluationBatchSize}.");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), $"LearningRate must be finite and positive, got {LearningRate}.");
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), $"WeightDecay must be finite and ≥ 0, got {WeightDecay}.");
        Require(Beta1 >= 0 && Beta1 < 1 && Beta2 >= 0 && Beta2 < 1, $"Beta1 and Beta2 must be in [0, 1), got {Beta1} and {Beta2}.");
        Require(WarmupFraction >= 0 && WarmupFraction < 1, $"WarmupFraction must be in [0, 1), got {WarmupFraction}.");
        Require(WarmupSteps is null or >= 0, $"WarmupSteps must be ≥ 0, got {WarmupSteps}.");
        Require(MinLearningRateRatio >= 0 && MinLearningRateRatio <= 1, $"MinLearningRateRatio must be in [0, 1], got {MinLearningRateRatio}.");
        Require(GradientClipNorm is null || (GradientClipNorm > 0 && float.IsFinite(GradientClipNorm.Value)),
            $"GradientClipNorm must be finite and positive (or null to disable), got {GradientClipNorm}.");
        Require(Patience >= 0, $"Patience must be ≥ 0 (0 disables early stopping), got {Patience}.");
        Require(Enum.IsDefined(SelectionMetric), $"Unknown SelectionMetric {SelectionMetric}.");
        Require(Enum.IsDefined(Task), $"Unknown Task {Task}.");
        Require(Task == TaskKind.Classification || SelectionMetric is not (SelectionMetric.MeanAuroc or SelectionMetric.MeanAupr),
            $"SelectionMetric {SelectionMetric} needs Task = Classification.");
        Require(float.IsFinite(DownThreshold) && float.IsFinite(UpThreshold) && DownThreshold < UpThreshold,
            $"DownThreshold must be below UpThreshold, got {DownThreshold} and {UpThreshold}.");
        Require(MaxBatchesPerEpoch is null or >= 1, $"MaxBatchesPerEpoch must be at least 1 (or null for all), got {MaxBatchesPerEpoch}.");
        Require(AttentionEntropyPenalty >= 0 && float.IsFinite(AttentionEntropyPenalty),
            $"AttentionEntropyPenalty must be finite and ≥ 0, got {AttentionEntropyPenalty}.");
        Require(WeightAverageDecay >= 0 && WeightAverageDecay < 1, $"WeightAverageDecay must be in [0, 1) (0 disables averaging), got {WeightAverageDecay}.");
        Require(LogInterval >= 0, $"LogInterval must be ≥ 0, got {LogInterval}.");
        Require(OutputDirectory is null || OutputDirectory.Trim().Length > 0, "OutputDirectory must not be empty (use null to write nothing).");
        Require(!Resume || OutputDirectory is not null, "Resume needs an OutputDirectory holding the run to continue.");
        Require(!(Resume && Overwrite), "Resume and Overwrite exclude each other.");
    }
}
