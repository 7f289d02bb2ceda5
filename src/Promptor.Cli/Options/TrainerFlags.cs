using System.CommandLine;
using Promptor.Genomics.Training;

namespace Promptor.Cli.Options;

/// <summary>Trainer flags mapped onto <see cref="TrainerOptions"/>; a flag left out keeps the library's default.</summary>
public sealed class TrainerFlags
{
    /// <summary>Maximum epochs.</summary>
    public Option<int?> Epochs { get; } = new("--epochs") { Description = "Maximum training epochs (default 30; early stopping may end sooner)" };

    /// <summary>Peak learning rate.</summary>
    public Option<double?> LearningRate { get; } = new("--lr") { Description = "Peak AdamW learning rate, after warm-up, before cosine decay (default 1e-3)" };

    /// <summary>Batch size.</summary>
    public Option<int?> BatchSize { get; } = new("--batch-size") { Description = "Genes per training batch (default 64)" };

    /// <summary>Weight decay.</summary>
    public Option<double?> WeightDecay { get; } = new("--weight-decay") { Description = "AdamW weight decay of weight matrices (default 0.01)" };

    /// <summary>Seed.</summary>
    public Option<ulong?> Seed { get; } = new("--seed") { Description = "Seed of initialisation, shuffling, strand flips and dropout (default 1)" };

    /// <summary>Early-stopping patience.</summary>
    public Option<int?> Patience { get; } = new("--patience") { Description = "Stop after this many epochs without a better validation Pearson r; 0 never stops early (default 6)" };

    /// <summary>Batch cap.</summary>
    public Option<int?> MaxBatches { get; } = new("--max-batches") { Description = "At most this many batches per epoch (quick runs)" };

    /// <summary>Turns reverse-complement augmentation off.</summary>
    public Option<bool> NoAugmentation { get; } = new("--no-rc-augment") { Description = "Do not flip training sequences to the reverse strand at random" };

    /// <summary>Weight averaging.</summary>
    public Option<double?> WeightAverage { get; } = new("--weight-average")
    {
        Description = "Validate and checkpoint an exponential moving average of the weights with this decay, e.g. 0.999 (0: off)",
    };

    /// <summary>Adds the flags to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { Epochs, LearningRate, BatchSize, WeightDecay, Seed, Patience, MaxBatches, NoAugmentation, WeightAverage })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The trainer options (without output folder), validated.</summary>
    /// <exception cref="CommandException">An invalid value.</exception>
    public TrainerOptions Build(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var o = new TrainerOptions();
        o = o with
        {
            Epochs = parse.GetValue(Epochs) ?? o.Epochs,
            LearningRate = parse.GetValue(LearningRate) ?? o.LearningRate,
            BatchSize = parse.GetValue(BatchSize) ?? o.BatchSize,
            WeightDecay = parse.GetValue(WeightDecay) ?? o.WeightDecay,
            Seed = parse.GetValue(Seed) ?? o.Seed,
            Patience = parse.GetValue(Patience) ?? o.Patience,
            MaxBatchesPerEpoch = parse.GetValue(MaxBatches) ?? o.MaxBatchesPerEpoch,
            ReverseComplementAugmentation = !parse.GetValue(NoAugmentation) && o.ReverseComplementAugmentation,
            WeightAverageDecay = parse.GetValue(WeightAverage) ?? o.WeightAverageDecay,
        };
        try
        {
            o.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CommandException($"invalid trainer options: {e.Message}", e);
        }
        return o;
    }
}
