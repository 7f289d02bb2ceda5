namespace Promptor.Genomics.Training;

/// <summary>How <see cref="Evaluation"/> runs a model and reads its outputs.</summary>
public sealed record EvaluationSettings
{
    /// <summary>The standardisation the model was trained on, undone on predictions. Default null: none.</summary>
    public TargetScaler? Scaler { get; init; }

    /// <summary>Regression (default) or classification (the model outputs 3 logits per treatment).</summary>
    public TaskKind Task { get; init; } = TaskKind.Regression;

    /// <summary>Classification: responses at or below this are "down". Default −0.58.</summary>
    public float DownThreshold { get; init; } = -0.58f;

    /// <summary>Classification: responses at or above this are "up". Default 0.58.</summary>
    public float UpThreshold { get; init; } = 0.58f;

    /// <summary>Average the outputs for each sequence and its reverse complement. Default true.</summary>
    public bool ReverseComplementAveraging { get; init; } = true;

    /// <summary>Sequences per forward pass (memory only; results do not depend on it). Default 256.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>The settings matching a trainer's options and fitted scaler.</summary>
    public static EvaluationSettings From(TrainerOptions options, TargetScaler? scaler)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new EvaluationSettings
        {
            Scaler = scaler,
            Task = options.Task,
            DownThreshold = options.DownThreshold,
            UpThreshold = options.UpThreshold,
            ReverseComplementAveraging = options.ReverseComplementAveraging,
            BatchSize = options.EvaluationBatchSize,
        };
    }

    /// <summary>The settings recorded in a checkpoint (reverse-complement averaging as given).</summary>
    public static EvaluationSettings From(CheckpointInfo info, bool reverseComplementAveraging = true)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new EvaluationSettings
        {
            Scaler = info.Scaler.ToScaler(),
            Task = info.Task,
            DownThreshold = info.DownThreshold,
            UpThreshold = info.UpThreshold,
            ReverseComplementAveraging = reverseComplementAveraging,
        };
    }
}
