namespace Promptor.Genomics.Models.Seq2Seq;

/// <summary>Options of <see cref="Seq2SeqTrainer"/>.</summary>
public sealed record Seq2SeqTrainerOptions
{
    /// <summary>Passes over the training pairs. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Pairs per step. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Peak learning rate of AdamW. Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Decoupled weight decay on weights of rank ≥ 2. Default 0.01.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Linear warm-up steps before the cosine decay (capped at the total steps). Default 200.</summary>
    public int WarmupSteps { get; init; } = 200;

    /// <summary>The cosine schedule's floor as a fraction of the peak. Default 0.05.</summary>
    public double MinLearningRateRatio { get; init; } = 0.05;

    /// <summary>Clip the global gradient norm to this value; null to disable. Default 1.</summary>
    public float? ClipNorm { get; init; } = 1f;

    /// <summary>Label smoothing ε of the cross-entropy. Default 0.</summary>
    public float LabelSmoothing { get; init; }

    /// <summary>
    /// Wall-clock budget in seconds: training stops after the first step that ends past it (the
    /// epoch is then evaluated as usual). Null (default) for none.
    /// </summary>
    public double? MaxSeconds { get; init; }

    /// <summary>Reload the best validation epoch's weights at the end. Default true.</summary>
    public bool RestoreBest { get; init; } = true;

    /// <summary>Safetensors file written at every new best epoch; null (default) writes none.</summary>
    public string? CheckpointPath { get; init; }

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
        Require(LabelSmoothing >= 0 && LabelSmoothing < 1, $"LabelSmoothing must be in [0, 1), got {LabelSmoothing}.");
        Require(MaxSeconds is null or > 0, $"MaxSeconds must be positive, got {MaxSeconds}.");
    }
}
