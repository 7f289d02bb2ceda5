using Promptor.Genomics.Models;

namespace Promptor.Genomics.Workflows;

/// <summary>
/// Options of <see cref="YeastDemo"/>: the default model on the bundled yeast stress task
/// (DESIGN.md), trained on all chromosomes but IV and XV, selected on XV, evaluated on IV.
/// </summary>
public sealed record DemoOptions
{
    /// <summary>Folder holding the bundled data (<c>data/</c>); null (default) searches upwards from the working and program folders.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Where the run is written. Default <c>promptor-demo</c>.</summary>
    public string OutputDirectory { get; init; } = "promptor-demo";

    /// <summary>Replace a run already in <see cref="OutputDirectory"/>. Default false: an existing run is an error.</summary>
    public bool Force { get; init; }

    /// <summary>Training epochs (early stopping may end sooner). Default 6, sized to finish in under 10 minutes on 2 cores.</summary>
    public int Epochs { get; init; } = 6;

    /// <summary>Peak learning rate of AdamW (warm-up then cosine). Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Seed of initialisation, shuffling, augmentation and dropout. Default 1.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Caps the training batches per epoch (quick checks); null (default) uses every training gene.</summary>
    public int? MaxBatchesPerEpoch { get; init; }

    /// <summary>
    /// The model; null (default) uses <see cref="CondPromoterOptions"/> defaults with the task's
    /// treatment count (the treatment count of a given value is overridden).
    /// </summary>
    public CondPromoterOptions? Model { get; init; }

    /// <summary>Throws when the options are inconsistent.</summary>
    public void Validate()
    {
        if (Epochs <= 0)
        {
            throw new ArgumentException($"Epochs must be positive, got {Epochs}.");
        }
        if (!(LearningRate > 0))
        {
            throw new ArgumentException($"The learning rate must be positive, got {LearningRate}.");
        }
        if (string.IsNullOrWhiteSpace(OutputDirectory))
        {
            throw new ArgumentException("An output folder is required.");
        }
    }
}
