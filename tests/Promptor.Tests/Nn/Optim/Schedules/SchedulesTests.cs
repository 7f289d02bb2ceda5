using Promptor.Nn;
using Promptor.Nn.Optim;
using Promptor.Nn.Optim.Schedules;
using Promptor.Tensors;

namespace Promptor.Tests.Nn.Optim.Schedules;

public class SchedulesTests
{
    [Fact]
    public void ConstantKeepsTheBase()
    {
        Assert.Equal(1.0, new ConstantSchedule().Multiplier(0));
        Assert.Equal(0.3, new ConstantSchedule(0.3).Multiplier(12345));
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(2, 1.0)]
    [InlineData(3, 0.5)]
    [InlineData(5, 0.5)]
    [InlineData(6, 0.25)]
    [InlineData(30, 0.0009765625)]
    public void StepDecayHalvesEveryThreeSteps(long step, double expected) =>
        Assert.Equal(expected, new StepDecay(3, 0.5).Multiplier(step), 15);

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(1, 0.1)]
    [InlineData(5, 0.5)]
    [InlineData(10, 1.0)]
    [InlineData(35, 0.868198051533946)] // 0.1 + 0.9·½(1 + cos(π/4))
    [InlineData(60, 0.55)]
    [InlineData(110, 0.1)]
    [InlineData(500, 0.1)]
    public void WarmupCosineValues(long step, double expected) =>
        Assert.Equal(expected, new WarmupCosine(10, 110, 0.1).Multiplier(step), 12);

    [Fact]
    public void WarmupCosineEdgeCases()
    {
        var noWarmup = new WarmupCosine(0, 100);
        Assert.Equal(1.0, noWarmup.Multiplier(0));
        Assert.Equal(0.5, noWarmup.Multiplier(50), 12);
        Assert.Equal(0.0, noWarmup.Multiplier(100), 12);
        var onlyWarmup = new WarmupCosine(4, 4, 0.2);
        Assert.Equal(0.75, onlyWarmup.Multiplier(3));
        Assert.Equal(0.2, onlyWarmup.Multiplier(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupCosine(10, 5));
    }

    [Fact]
    public void ApplyScalesEveryGroupsBaseRate()
    {
        var a = new Parameter(Tensor.Ones(1));
        var b = new Parameter(Tensor.Ones(1));
        var opt = new AdamW([new ParamGroup([a]), new ParamGroup([b]) { LearningRate = 0.1 }], learningRate: 1e-3);
        var schedule = new WarmupCosine(4, 8);
        Assert.Equal(0.5, schedule.Apply(opt, 2));
        Assert.Equal(5e-4, opt.Groups[0].LearningRate, 15);
        Assert.Equal(0.05, opt.Groups[1].LearningRate, 15);
        schedule.Apply(opt, 4);
        Assert.Equal(1e-3, opt.Groups[0].LearningRate, 15);
        Assert.Equal(1e-3, opt.Groups[0].BaseLearningRate);
    }

    [Fact]
    public void ReduceOnPlateauPatienceCooldownAndFloorMatchPyTorch()
    {
        // torch.optim.lr_scheduler.ReduceLROnPlateau(mode='min', factor=0.5, patience=2,
        // threshold=0, threshold_mode='abs', cooldown=1, min_lr=0.2) with base lr 1.
        double[] metrics = [10, 9, 9, 9, 9, 9, 9, 9, 9, 8, 8, 8, 8, 8, 8, 8, 8];
        double[] expected = [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.2, 0.2, 0.2, 0.2, 0.2];
        var s = new ReduceOnPlateau(PlateauMode.Min, factor: 0.5, patience: 2, threshold: 0, thresholdMode: ThresholdMode.Absolute, cooldown: 1, minRatio: 0.2);
        var reduced = new List<int>();
        for (int i = 0; i < metrics.Length; i++)
        {
            if (s.Report(metrics[i]))
            {
                reduced.Add(i);
            }
            Assert.Equal(expected[i], s.Multiplier(i), 15);
        }
        Assert.Equal([4, 8, 12], reduced);
        Assert.Equal(3, s.Reductions);
        Assert.Equal(8, s.Best);
    }

    [Fact]
    public void ReduceOnPlateauMaxModeWithRelativeThresholdMatchesPyTorch()
    {
        // mode='max', factor=0.1, patience=1, threshold=0.01 (rel), cooldown=0.
        double[] metrics = [0.5, 0.504, 0.506, 0.52, 0.52, 0.521, 0.6, 0.6];
        double[] expected = [1.0, 1.0, 1.0, 1.0, 1.0, 0.1, 0.1, 0.1];
        var s = new ReduceOnPlateau(PlateauMode.Max, factor: 0.1, patience: 1, threshold: 0.01);
        for (int i = 0; i < metrics.Length; i++)
        {
            s.Report(metrics[i]);
            Assert.Equal(expected[i], s.CurrentMultiplier, 15);
        }
    }

    [Fact]
    public void ReduceOnPlateauNaNIsNoImprovementAndStateRoundTrips()
    {
        var s = new ReduceOnPlateau(patience: 0, factor: 0.5);
        Assert.False(s.Report(1.0));
        Assert.True(s.Report(double.NaN));
        Assert.Equal(0.5, s.CurrentMultiplier);

        var fresh = new ReduceOnPlateau(patience: 0, factor: 0.5);
        var initial = fresh.GetState();
        Assert.Equal("Infinity", initial["best"]);
        var copy = new ReduceOnPlateau(patience: 0, factor: 0.5);
        copy.LoadState(s.GetState());
        Assert.Equal(s.GetState(), copy.GetState());
        Assert.Equal(s.Report(2.0), copy.Report(2.0));
        Assert.Equal(s.CurrentMultiplier, copy.CurrentMultiplier);
        copy.LoadState(initial);
        Assert.Equal(double.PositiveInfinity, copy.Best);
        Assert.Throws<ArgumentException>(() => copy.LoadState(new Dictionary<string, string> { ["multiplier"] = "1" }));
    }
}
