using Promptor.Cli.Commands;
using Promptor.Genomics.Workflows;

namespace Promptor.Tests.Cli;

/// <summary>How <c>promptor demo</c> turns its flags into training settings.</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public void DefaultDemoKeepsTheTenMinuteBudget()
    {
        var options = DemoCommand.Options(full: false, epochs: null, learningRate: null);
        Assert.Equal(new DemoOptions().Epochs, options.Epochs);
        Assert.Equal(64, options.BatchSize);
        Assert.Null(options.Model);
        Assert.True(options.ReverseComplement);
        Assert.Equal(0, options.WeightAverageDecay);
    }

    [Fact]
    public void FullUsesTheMeasuredRecipeAndFlagsStillOverrideIt()
    {
        var full = DemoCommand.Options(full: true, epochs: null, learningRate: null);
        Assert.Equal(12, full.Epochs);
        Assert.Equal(32, full.BatchSize);
        Assert.Equal(5, full.Patience);
        Assert.True(full.Model!.AttendedBatchNorm);
        Assert.False(full.ReverseComplement);
        Assert.Equal(0.999, full.WeightAverageDecay);

        var overridden = DemoCommand.Options(full: true, epochs: 3, learningRate: 5e-4, weightAverage: 0);
        Assert.Equal(3, overridden.Epochs);
        Assert.Equal(5e-4, overridden.LearningRate);
        Assert.Equal(0, overridden.WeightAverageDecay);
        Assert.True(overridden.Model!.AttendedBatchNorm);
    }

    [Fact]
    public void InvalidBatchSizeOrPatienceIsRejected()
    {
        Assert.Throws<ArgumentException>(() => (new DemoOptions() with { BatchSize = 0 }).Validate());
        Assert.Throws<ArgumentException>(() => (new DemoOptions() with { Patience = -1 }).Validate());
        Assert.Throws<ArgumentException>(() => (new DemoOptions() with { WeightAverageDecay = 1 }).Validate());
    }
}
