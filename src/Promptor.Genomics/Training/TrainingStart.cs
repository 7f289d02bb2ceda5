namespace Promptor.Genomics.Training;

/// <summary>What a training run is about to do, reported once before the first step.</summary>
/// <param name="Epochs">Maximum epochs.</param>
/// <param name="FirstEpoch">The first epoch this session runs (greater than 1 when resuming).</param>
/// <param name="StepsPerEpoch">Optimizer steps per epoch.</param>
/// <param name="TotalSteps">Steps of the whole run (the schedule's length).</param>
/// <param name="TrainGenes">Training genes.</param>
/// <param name="ValidationGenes">Validation genes.</param>
/// <param name="ParameterCount">Trainable values of the model.</param>
/// <param name="Resumed">Whether the run continues an interrupted one.</param>
/// <param name="OutputDirectory">Where the run is written, or null.</param>
public sealed record TrainingStart(
    int Epochs,
    int FirstEpoch,
    int StepsPerEpoch,
    long TotalSteps,
    int TrainGenes,
    int ValidationGenes,
    long ParameterCount,
    bool Resumed,
    string? OutputDirectory);
