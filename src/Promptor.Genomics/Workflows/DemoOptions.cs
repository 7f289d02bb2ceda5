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

    /// <summary>Training genes per step. Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Epochs without a better validation mean Pearson before training stops (0: never). Default 6.</summary>
    public int Patience { get; init; } = 6;

    /// <summary>
    /// Reverse-complement augmentation in training and strand averaging in evaluation. Default true. The
    /// bundled promoters are anchored at the start codon, so the two strands are not equivalent inputs.
    /// </summary>
    public bool ReverseComplement { get; init; } = true;

    /// <summary>Decay of the moving average of the weights that is validated and kept (<see cref="Training.TrainerOptions.WeightAverageDecay"/>); 0 (default) keeps the trained weights.</summary>
    public double WeightAverageDecay { get; init; }

    /// <summary>
    /// The longer run of <c>promptor demo --full</c>, the recipe measured on this task (docs/benchmarks.md):
    /// attended vectors batch-normalised (<see cref="CondPromoterOptions.AttendedBatchNorm"/>), batches of
    /// 32, 12 epochs with early stopping after 5 epochs without improvement, no strand augmentation or
    /// averaging, and a moving average of the weights (decay 0.999). Over nine seeds its test mean
    /// Pearson was 0.196–0.230 (mean 0.211), against 0.159–0.227 (mean 0.198) without the average.
    /// </summary>
    public static DemoOptions Full { get; } = new()
    {
        Epochs = 12,
        BatchSize = 32,
        Patience = 5,
        ReverseComplement = false,
        WeightAverageDecay = 0.999,
        Model = new CondPromoterOptions { TreatmentCount = 34, AttendedBatchNorm = true },   // the run sets the task's count
    };

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
        if (BatchSize <= 0)
        {
            throw new ArgumentException($"The batch size must be positive, got {BatchSize}.");
        }
        if (Patience < 0)
        {
            throw new ArgumentException($"Patience must be ≥ 0, got {Patience}.");
        }
        if (!(WeightAverageDecay >= 0 && WeightAverageDecay < 1))
        {
            throw new ArgumentException($"The weight-average decay must be in [0, 1), got {WeightAverageDecay}.");
        }
        if (string.IsNullOrWhiteSpace(OutputDirectory))
        {
            throw new ArgumentException("An output folder is required.");
        }
    }
}
