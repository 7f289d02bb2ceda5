using Promptor.Genomics.Baselines;
using Promptor.Genomics.Models;
using Promptor.Genomics.Training;

namespace Promptor.Genomics.Workflows;

/// <summary>Options of <see cref="Ladder.Run"/>: which rungs, the shared model and trainer settings, and where to write.</summary>
public sealed record LadderOptions
{
    /// <summary>Every rung, bottom to top.</summary>
    public static IReadOnlyList<LadderRung> AllRungs { get; } = Enum.GetValues<LadderRung>();

    /// <summary>
    /// The small single-output network of <see cref="LadderRung.SeparateModels"/> (one per treatment): two
    /// 32-filter convolutions pooled by 4, width 32, no self-attention, multi-task head with one output.
    /// Small so that training one model per treatment costs about as much as one shared model.
    /// </summary>
    public static CondPromoterOptions SmallSeparateModel { get; } = new()
    {
        TreatmentCount = 1,
        Convolutions = [new(32, 15, 1, 4), new(32, 9, 1, 4)],
        ModelDim = 32,
        SelfAttentionBlocks = 0,
        SelfAttentionHeads = 4,
        CrossAttentionHeads = 4,
        HeadHidden = 32,
        Conditioning = ConditioningMethod.MultiTask,
    };

    /// <summary>The rungs to run, in table order. Default all of <see cref="AllRungs"/>.</summary>
    public IReadOnlyList<LadderRung> Rungs { get; init; } = AllRungs;

    /// <summary>
    /// The network shared by the neural rungs; each rung replaces <see cref="CondPromoterOptions.Conditioning"/>,
    /// and the treatment count and sequence length come from the data. Default null: <see cref="CondPromoterOptions"/> defaults.
    /// </summary>
    public CondPromoterOptions? Model { get; init; }

    /// <summary>The network of each separate per-treatment model. Default <see cref="SmallSeparateModel"/>.</summary>
    public CondPromoterOptions SeparateModel { get; init; } = SmallSeparateModel;

    /// <summary>
    /// Train separate models for at most this many treatments (the highlighted ones first, then in data
    /// order); the rung's means are then over those treatments only and its note says so. Default null: all.
    /// </summary>
    public int? SeparateModelLimit { get; init; }

    /// <summary>The trainer settings of every neural rung (its output folder is set per rung). Default <see cref="TrainerOptions"/> defaults.</summary>
    public TrainerOptions Trainer { get; init; } = new();

    /// <summary>The k-mer ridge rung. Default canonical 6-mers with the default λ grid.</summary>
    public KmerRidgeOptions KmerRidge { get; init; } = new();

    /// <summary>Treatments given their own column in the table (those absent from the data are skipped). Default those of DESIGN.md.</summary>
    public IReadOnlyList<string> HighlightedTreatments { get; init; } = YeastDemo.HighlightedTreatments;

    /// <summary>
    /// Folder for one run folder per neural rung (<c>multi-task/</c>, <c>cross-attention/</c>, …) and the
    /// tables <c>ladder.tsv</c> and <c>ladder.md</c>. Default null: train in memory and write nothing.
    /// </summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Replace the tables and rung runs already in <see cref="OutputDirectory"/>. Default false.</summary>
    public bool Force { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Rungs);
        if (Rungs.Count == 0)
        {
            throw new ArgumentException("The ladder needs at least one rung.");
        }
        if (Rungs.Distinct().Count() != Rungs.Count || Rungs.Any(r => !Enum.IsDefined(r)))
        {
            throw new ArgumentException($"Rungs must be distinct known rungs, got {string.Join(", ", Rungs)}.");
        }
        if (SeparateModelLimit is <= 0)
        {
            throw new ArgumentException($"SeparateModelLimit must be positive (or null for all), got {SeparateModelLimit}.");
        }
        if (Trainer.Task != TaskKind.Regression)
        {
            throw new ArgumentException("The ladder compares regression models (Pearson r); the trainer task must be Regression.");
        }
        if (Trainer.Resume)
        {
            throw new ArgumentException("The ladder trains every rung afresh; Resume is not supported.");
        }
        Trainer.Validate();
        KmerRidge.Validate();
        if (OutputDirectory is not null && OutputDirectory.Trim().Length == 0)
        {
            throw new ArgumentException("OutputDirectory must not be empty (use null to write nothing).");
        }
    }
}
