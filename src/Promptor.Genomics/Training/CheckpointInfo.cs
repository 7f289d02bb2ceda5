namespace Promptor.Genomics.Training;

/// <summary>What a Promptor checkpoint's metadata says about its weights.</summary>
/// <param name="Model">Model kind, options and options hash.</param>
/// <param name="PromptorVersion">The Promptor version that wrote it.</param>
/// <param name="Treatments">The treatment names, in output order.</param>
/// <param name="Scaler">The target standardisation to undo on predictions (identity when targets were not standardised).</param>
/// <param name="Task">Regression or classification.</param>
/// <param name="DownThreshold">Classification threshold of "down".</param>
/// <param name="UpThreshold">Classification threshold of "up".</param>
/// <param name="Epoch">The epoch after which the weights were saved (0 = untrained).</param>
public sealed record CheckpointInfo(
    ModelDescription Model,
    string PromptorVersion,
    IReadOnlyList<string> Treatments,
    ScalerSnapshot Scaler,
    TaskKind Task,
    float DownThreshold,
    float UpThreshold,
    int Epoch);
