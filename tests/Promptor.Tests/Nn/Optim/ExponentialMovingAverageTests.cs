using Promptor.Nn;
using Promptor.Nn.Layers;
using Promptor.Nn.Optim;
using Promptor.Tensors;

namespace Promptor.Tests.Nn.Optim;

public class ExponentialMovingAverageTests
{
    private static Sequential Model() => new(new Linear(3, 4, new Generator(1)), new BatchNorm1d(4), new Linear(4, 2, new Generator(2)));

    /// <summary>Moves every parameter to a new pseudo-random value, as an optimizer step would.</summary>
    private static void Perturb(Module model, int step)
    {
        var g = new Generator((ulong)(100 + step));
        foreach (var p in model.Parameters())
        {
            var noise = Tensor.RandomNormal(g, p.Shape).Data;
            for (int i = 0; i < p.Data.Length; i++)
            {
                p.Data[i] += noise[i];
            }
        }
    }

    [Theory]
    [InlineData(0.9, false)]
    [InlineData(0.99, true)]
    public void AveragesFollowTheRecurrenceWithTheWarmupDecay(double decay, bool warmup)
    {
        var model = Model();
        var average = new ExponentialMovingAverage(model, decay, warmup);
        var expected = model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Data.Select(v => (double)v).ToArray());
        for (int n = 0; n < 30; n++)
        {
            Perturb(model, n);
            double d = warmup ? Math.Min(decay, (1.0 + n) / (10.0 + n)) : decay;
            Assert.Equal(d, average.CurrentDecay, 12);
            average.Update();
            foreach (var (name, parameter) in model.NamedParameters())
            {
                var e = expected[name];
                for (int i = 0; i < e.Length; i++)
                {
                    e[i] = d * e[i] + (1 - d) * parameter.Data[i];
                }
            }
        }
        Assert.Equal(30, average.Updates);
        foreach (var (name, parameter) in model.NamedParameters())
        {
            var tensor = average.Averages[name];
            for (int i = 0; i < tensor.Data.Length; i++)
            {
                Assert.Equal(expected[name][i], tensor.Data[i], 1e-4);
            }
            Assert.NotEqual(tensor.Data, parameter.Data);
        }
    }

    [Fact]
    public void WarmupStartsNearTheLiveWeightsAndDecayZeroCopiesThem()
    {
        var model = Model();
        var warm = new ExponentialMovingAverage(model, 0.999);
        var copy = new ExponentialMovingAverage(model, 0);
        var weight = model.NamedParameters().First();
        var initial = weight.Parameter.Data.ToArray();
        Perturb(model, 0);
        warm.Update();
        copy.Update();
        Assert.Equal(weight.Parameter.Data, copy.Averages[weight.Name].Data);
        // The first warm-up update keeps only a tenth of the initial weights, the second 2/11.
        for (int i = 0; i < initial.Length; i++)
        {
            Assert.Equal(0.1f * initial[i] + 0.9f * weight.Parameter.Data[i], warm.Averages[weight.Name].Data[i], 6);
        }
        Assert.Equal(2.0 / 11.0, warm.CurrentDecay, 12);
    }

    [Fact]
    public void RunningStatisticsAreAveragedAndCountersTakenFromTheLiveModule()
    {
        var model = Model();
        var average = new ExponentialMovingAverage(model, 0.5, warmup: false);
        var before = model.StateDict().ToDictionary(p => p.Key, p => p.Value.ToArray());
        Perturb(model, 1);
        var bn = (BatchNorm1d)model[1];
        bn.RunningMean.Data[0] = 7f;
        bn.BatchesTracked.Data[0] = 5f;
        average.Update();

        var state = average.StateDict(model);
        Assert.Equal(model.StateDict().Keys.Order(), state.Keys.Order());
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias", "1.running_mean", "1.running_var"], average.Averages.Keys);
        Assert.Equal(0.5f * 0f + 0.5f * 7f, state["1.running_mean"].Data[0]);
        Assert.Same(bn.BatchesTracked, state["1.num_batches_tracked"]);
        foreach (var (name, parameter) in model.NamedParameters())
        {
            for (int i = 0; i < parameter.Data.Length; i++)
            {
                Assert.Equal(0.5f * before[name][i] + 0.5f * parameter.Data[i], state[name].Data[i], 6);
            }
        }

        var other = Model();
        other.LoadStateDict(state);
        Assert.Equal(state["0.weight"].Data, ((Linear)other[0]).Weight.Data);
        Assert.Equal(3.5f, ((BatchNorm1d)other[1]).RunningMean.Data[0]);
        Assert.Equal(5f, ((BatchNorm1d)other[1]).BatchesTracked.Data[0]);
    }

    [Fact]
    public void LoadRestoresAveragesAndTheUpdateCountOrNamesWhatDoesNotFit()
    {
        var model = Model();
        var average = new ExponentialMovingAverage(model, 0.9);
        for (int n = 0; n < 5; n++)
        {
            Perturb(model, n);
            average.Update();
        }
        var saved = average.Averages.ToDictionary(p => p.Key, p => p.Value.Clone());

        var restored = new ExponentialMovingAverage(model, 0.9);
        restored.Load(saved, average.Updates);
        Assert.Equal(average.CurrentDecay, restored.CurrentDecay);
        Perturb(model, 5);
        average.Update();
        restored.Update();
        foreach (var (name, tensor) in average.Averages)
        {
            Assert.Equal(tensor.Data, restored.Averages[name].Data);
        }

        var missing = new Dictionary<string, Tensor>(saved);
        missing.Remove("2.bias");
        Assert.Contains("'2.bias'", Assert.Throws<ArgumentException>(() => restored.Load(missing, 1)).Message, StringComparison.Ordinal);
        var wrongShape = new Dictionary<string, Tensor>(saved) { ["0.weight"] = Tensor.Zeros(2, 2) };
        Assert.Contains("'0.weight'", Assert.Throws<ArgumentException>(() => restored.Load(wrongShape, 1)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialMovingAverage(model, 1.0));
    }
}
