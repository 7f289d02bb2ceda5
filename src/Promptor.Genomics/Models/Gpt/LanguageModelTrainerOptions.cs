namespace Promptor.Genomics.Models.Gpt;

/// <summary>Options of <see cref="LanguageModelTrainer"/> (nanoGPT-like defaults).</summary>
public sealed record LanguageModelTrainerOptions
{
    /// <summary>The padding id: pads batches and is ignored as a target. Required.</summary>
    public required int PadId { get; init; }

    /// <summary>Passes over the training sequences. Default 20.</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>Sequences per step. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Peak learning rate of AdamW. Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Decoupled weight decay on weights of rank ≥ 2 (biases and norms get none). Default 0.1.</summary>
    public double WeightDecay { get; init; } = 0.1;

    /// <summary>AdamW β₁. Default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW β₂. Default 0.95 (nanoGPT).</summary>
    public double Beta2 { get; init; } = 0.95;

    /// <summary>Linear warm-up steps before the cosine decay (capped at the total steps). Default 100.</summary>
    public int WarmupSteps { get; init; } = 100;

    /// <summary>The cosine schedule's floor as a fraction of the peak. Default 0.1.</summary>
    public double MinLearningRateRatio { get; init; } = 0.1;

    /// <summary>Clip the global gradient norm to this value; null to disable. Default 1.</summary>
    public float? ClipNorm { get; init; } = 1f;

    /// <summary>Stop after this many epochs without a better validation loss (default 5); null never stops early.</summary>
    public int? Patience { get; init; } = 5;

    /// <summary>Reload the best validation epoch's weights at the end. Default true.</summary>
    public bool RestoreBest { get; init; } = true;

    /// <summary>Safetensors file written at every new best epoch (every epoch without validation); null (default) writes none.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>
    /// Wall-clock budget in seconds: training stops after the first step that ends past it (that
    /// epoch is still validated and may become the best). Null (default) for none.
    /// </summary>
    public double? MaxSeconds { get; init; }

    /// <summary>
    /// Batches per length-sorting pool (see <see cref="LengthBucketing"/>): batches hold sequences of
    /// similar length, so less compute goes into padding. 1 turns bucketing off (plain shuffled
    /// batches). Default 50.
    /// </summary>
    public int BucketPoolBatches { get; init; } = 50;

    /// <summary>Seed of the shuffling. Default 0.</summary>
    public ulong Seed { get; init; }

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
        Require(Epochs >= 0, $"Epochs must be ≥ 0, got {Epochs}.");
        Require(BatchSize > 0, $"BatchSize must be positive, got {BatchSize}.");
        Require(LearningRate >= 0 && double.IsFinite(LearningRate), $"LearningRate must be finite and ≥ 0, got {LearningRate}.");
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), $"WeightDecay must be finite and ≥ 0, got {WeightDecay}.");
        Require(WarmupSteps >= 0, $"WarmupSteps must be ≥ 0, got {WarmupSteps}.");
        Require(MinLearningRateRatio >= 0 && MinLearningRateRatio <= 1, $"MinLearningRateRatio must be in [0, 1], got {MinLearningRateRatio}.");
        Require(ClipNorm is null || (ClipNorm > 0 && float.IsFinite(ClipNorm.Value)), $"ClipNorm must be finite and > 0, got {ClipNorm}.");
        Require(BucketPoolBatches > 0, $"BucketPoolBatches must be positive, got {BucketPoolBatches}.");
        Require(Patience is null or > 0, $"Patience must be positive, got {Patience}.");
        Require(MaxSeconds is null or > 0, $"MaxSeconds must be positive, got {MaxSeconds}.");
    }
}
