using Promptor.Genomics.Examples;
using Promptor.Tests.Genomics.Reports.Svg;
using Promptor.Tests.Nn;

namespace Promptor.Tests.Genomics.Examples;

public class NadarayaWatsonExampleTests
{
    private static readonly System.Xml.Linq.XNamespace Ns = SvgTestUtil.Ns;

    [Fact]
    public void ParametricBeatsNonParametricBeatsAveragePooling()
    {
        var r = NadarayaWatsonExample.Run();
        Assert.True(r.ParametricMse < r.NonParametricMse, $"parametric {r.ParametricMse} vs non-parametric {r.NonParametricMse}");
        Assert.True(r.NonParametricMse < r.AverageMse, $"non-parametric {r.NonParametricMse} vs average {r.AverageMse}");
        // Training narrows the kernel (|w| grows from its U(0, 1) start) and lowers the leave-one-out loss.
        Assert.InRange(r.InitialW, 0, 1);
        Assert.True(Math.Abs(r.LearnedW) > 1, $"w = {r.LearnedW}");
        Assert.True(r.TrainingLoss[^1] < r.TrainingLoss[0], string.Join(", ", r.TrainingLoss));
    }

    [Fact]
    public void TheOrderingHoldsForMostSeeds()
    {
        int holds = 0;
        for (ulong seed = 1; seed <= 20; seed++)
        {
            var r = NadarayaWatsonExample.Run(new NadarayaWatsonExampleOptions { Seed = seed });
            if (r.ParametricMse < r.NonParametricMse && r.NonParametricMse < r.AverageMse)
            {
                holds++;
            }
        }
        Assert.True(holds >= 17, $"ordering held for {holds} of 20 seeds");
    }

    [Fact]
    public void ReproducesTheClassicSetup()
    {
        var r = NadarayaWatsonExample.Run(new NadarayaWatsonExampleOptions { Seed = 7 });
        Assert.Equal(50, r.TrainingX.Length);
        Assert.Equal(50, r.ValidationX.Length);
        Assert.Equal(0, r.ValidationX[0]);
        Assert.Equal(4.9, r.ValidationX[^1], 5);
        Assert.All(r.TrainingX, x => Assert.InRange(x, 0, 5));
        Assert.Equal(r.TrainingX.Order(), r.TrainingX);
        Assert.Equal(2 * Math.Sin(2.5) + Math.Pow(2.5, 0.8), r.ValidationTruth[25], 5);
        double noiseVariance = r.TrainingX.Select((x, i) => Math.Pow(r.TrainingY[i] - NadarayaWatsonExample.TrueFunction(x), 2)).Average();
        Assert.InRange(noiseVariance, 0.25 * 0.5, 0.25 * 1.8);
        Assert.All(r.AveragePrediction, y => Assert.Equal(r.TrainingY.Average(), y, 5));
        for (int i = 0; i < 50; i++)
        {
            double sum = 0;
            for (int j = 0; j < 50; j++)
            {
                sum += r.ParametricWeights[i, j];
            }
            Assert.Equal(1.0, sum, 4);
        }
        // Same seed, same run.
        var again = NadarayaWatsonExample.Run(new NadarayaWatsonExampleOptions { Seed = 7 });
        Assert.Equal(r.ParametricPrediction, again.ParametricPrediction);
        Assert.Equal(r.LearnedW, again.LearnedW);
    }

    [Fact]
    public void FiguresAreWellFormedWithTheExpectedCurvesAndCells()
    {
        var r = NadarayaWatsonExample.Run();
        var fit = SvgTestUtil.Parse(NadarayaWatsonExample.FitPlot(r));
        var curves = SvgTestUtil.WithClass(fit, "polyline", "line").ToList();
        Assert.Equal(4, curves.Count); // truth, average, non-parametric, parametric
        Assert.All(curves, c => Assert.Equal(50, c.Attribute("points")!.Value.Split(' ').Length));
        Assert.Equal(50, SvgTestUtil.WithClass(fit, "g", "points").Single().Elements(Ns + "circle").Count());
        Assert.Equal(5, SvgTestUtil.WithClass(fit, "g", "legend").Single().Elements(Ns + "text").Count());

        var attention = SvgTestUtil.Parse(NadarayaWatsonExample.AttentionPlot(r));
        Assert.Equal(50 * 50, SvgTestUtil.WithClass(attention, "g", "cells").Single().Elements(Ns + "rect").Count());
        Assert.Single(SvgTestUtil.WithClass(attention, "g", "colorbar"));
    }

    [Fact]
    public void WriteFiguresCreatesTheFolderAndBothFiles()
    {
        string dir = Path.Combine(NnTestUtil.NewTempDirectory(), "nested", "out");
        try
        {
            var paths = NadarayaWatsonExample.WriteFigures(NadarayaWatsonExample.Run(), dir);
            Assert.Equal([Path.Combine(dir, "fit.svg"), Path.Combine(dir, "attention.svg")], paths);
            Assert.All(paths, p => SvgTestUtil.Parse(File.ReadAllText(p)));
            Assert.Equal(2, Directory.GetFiles(dir).Length); // no temporary files left behind
        }
        finally
        {
            NnTestUtil.DeleteDirectory(Path.GetDirectoryName(Path.GetDirectoryName(dir))!);
        }
    }

    [Fact]
    public void InvalidOptionsThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NadarayaWatsonExample.Run(new NadarayaWatsonExampleOptions { TrainingCount = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => NadarayaWatsonExample.Run(new NadarayaWatsonExampleOptions { LearningRate = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => NadarayaWatsonExample.Run(new NadarayaWatsonExampleOptions { NoiseStd = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => NadarayaWatsonExample.Run(new NadarayaWatsonExampleOptions { Epochs = -1 }));
    }
}
