using System.CommandLine;
using Promptor.Cli;
using Promptor.Cli.Options;
using Promptor.Genomics.Models;
using Promptor.Genomics.Training;

namespace Promptor.Tests.Cli;

public class OptionFlagsTests
{
    private static readonly string[] Treatments = ["a", "b", "c", "d"];

    private static (ModelFlags Model, TrainerFlags Trainer, ParseResult Parse) Parse(params string[] args)
    {
        var model = new ModelFlags();
        var trainer = new TrainerFlags();
        var command = new RootCommand();
        model.AddTo(command);
        trainer.AddTo(command);
        var parse = command.Parse(args);
        Assert.Empty(parse.Errors);
        return (model, trainer, parse);
    }

    [Fact]
    public void NoFlagsKeepTheLibraryDefaults()
    {
        var (model, trainer, parse) = Parse();

        var expected = new CondPromoterOptions { TreatmentCount = 4, SequenceLength = 500 };
        Assert.True(ModelOptionsJson.AreEqual(expected, model.Build(parse, Treatments, 500)));
        Assert.Equal(new TrainerOptions(), trainer.Build(parse));
    }

    [Fact]
    public void FlagsReplaceOnlyWhatTheyName()
    {
        var (model, trainer, parse) = Parse("--conditioning", "ConcatMlp", "--d-model", "64", "--heads", "4", "--conv-widths", "11", "7",
            "--dropout", "0.3", "--epochs", "3", "--max-batches", "5", "--no-rc-augment", "--weight-average", "0.99");

        var options = model.Build(parse, Treatments, 500);
        var training = trainer.Build(parse);

        Assert.Equal(ConditioningMethod.ConcatMlp, options.Conditioning);
        Assert.Equal(64, options.ModelDim);
        Assert.Equal(4, options.CrossAttentionHeads);
        Assert.Equal([new ConvLayerSpec(128, 11, 1, 4), new ConvLayerSpec(128, 7, 1, 4)], options.Convolutions); // filters and pools keep their defaults
        Assert.Equal(0.3f, options.Dropout);
        Assert.Equal(new TrainerOptions { Epochs = 3, MaxBatchesPerEpoch = 5, ReverseComplementAugmentation = false, WeightAverageDecay = 0.99 }, training);
    }

    [Fact]
    public void YeastDescriptorsComeFromTheTreatmentNames()
    {
        var (model, _, parse) = Parse("--descriptors", "yeast");

        var options = model.Build(parse, ["Heat 15'", "Peroxide 20'"], 1000);

        Assert.Equal([[1f, 0, 0, 0, 0, 0, 15, 0], [0f, 0, 0, 1, 0, 0, 20, 0]], options.TreatmentDescriptors!.Select(r => r.ToArray()));
    }

    [Fact]
    public void InconsistentFlagsAreOneLineCommandErrors()
    {
        var (model, trainer, parse) = Parse("--conv-filters", "8", "8", "8", "--d-model", "10", "--lr", "-1");

        var convolutions = Assert.Throws<CommandException>(() => model.Build(parse, Treatments, 500));
        var (model2, _, parse2) = Parse("--d-model", "10");
        var heads = Assert.Throws<CommandException>(() => model2.Build(parse2, Treatments, 500));
        var rate = Assert.Throws<CommandException>(() => trainer.Build(parse));

        Assert.Equal("3 convolutions differ from the default 2: give --conv-filters, --conv-widths and --conv-pools together", convolutions.Message);
        Assert.StartsWith("invalid model options: ModelDim 10 must be divisible by the head counts (8, 8).", heads.Message, StringComparison.Ordinal);
        Assert.StartsWith("invalid trainer options: LearningRate must be finite and positive", rate.Message, StringComparison.Ordinal);
    }
}
