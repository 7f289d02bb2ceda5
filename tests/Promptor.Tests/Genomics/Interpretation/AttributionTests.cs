using Promptor.Genomics.Interpretation;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Tests.Genomics.Interpretation;

public class AttributionTests
{
    /// <summary>A linear "model" y[b, t] = Σ_i x[b, i] · W[t, i] over the flattened (L, 4) input.</summary>
    private static Func<Tensor, Tensor> Linear(Tensor weights) =>
        x => x.Reshape(x.Shape[0], x.Shape[1] * 4).MatMul(weights, transposeB: true);

    private static float Predict(Func<Tensor, Tensor> f, float[] x, int treatment)
    {
        using (Tape.NoGrad())
        {
            var y = f(new Tensor(new Shape(1, x.Length / 4, 4), x));
            return y.Data[treatment];
        }
    }

    [Fact]
    public void GradientTimesInputMatchesTheDirectionalDerivativeAlongTheInput()
    {
        var model = AttributionFixture.TinyModel(11);
        var x = AttributionFixture.RandomSequence(53, 12);
        var result = GradientAttribution.Run(model, x);
        Assert.Equal("grad", result.Method);
        Assert.Equal(new[] { 0, 1, 2 }, result.Treatments);
        const float eps = 1e-2f;
        var totals = result.Totals();
        for (int t = 0; t < 3; t++)
        {
            // Σ x ⊙ ∇f = d/dε f((1 + ε) x) at ε = 0.
            double numeric = (Predict(model.Forward, x.Data.Select(v => v * (1 + eps)).ToArray(), t)
                - Predict(model.Forward, x.Data.Select(v => v * (1 - eps)).ToArray(), t)) / (2 * eps);
            Assert.True(Math.Abs(numeric - totals[t]) <= 1e-3 + 1e-2 * Math.Abs(numeric), $"treatment {t}: {numeric} vs {totals[t]}");
            Assert.Equal(Predict(model.Forward, x.Data, t), result.Prediction[t], 1e-5f);
        }
        // Absent bases get no score; the parameters get no gradient; the model mode is restored.
        for (int i = 0; i < x.Size; i++)
        {
            if (x.Data[i] == 0f)
            {
                Assert.Equal(0f, result.Scores[i]);
            }
        }
        Assert.Contains(result.Scores, s => s != 0f);
        Assert.All(model.Parameters(), p => Assert.False(p.HasGrad));
        Assert.All(model.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void OneTreatmentAloneEqualsItsRowAmongAll()
    {
        var model = AttributionFixture.TinyModel(13);
        var x = AttributionFixture.RandomSequence(53, 14);
        var all = GradientAttribution.Run(model, x);
        var one = GradientAttribution.Run(model, x, [2]);
        Assert.Equal(all.Scores.AsSpan(2 * 53 * 4, 53 * 4).ToArray(), one.Scores);
    }

    [Theory]
    [InlineData(AttributionBaseline.Uniform, 1)]
    [InlineData(AttributionBaseline.Shuffled, 3)]
    public void IntegratedGradientsOfALinearModelAreInputMinusBaselineTimesWeights(AttributionBaseline baseline, int steps)
    {
        var weights = Tensor.RandomNormal(new Generator(15), new Shape(2, 10 * 4));
        var f = Linear(weights);
        var x = AttributionFixture.RandomSequence(10, 16);
        var options = new IntegratedGradientsOptions { Steps = steps, Baseline = baseline, BatchSize = 2 };
        var result = IntegratedGradients.Run(f, x, options: options);
        var reference = IntegratedGradients.Baseline(x.Data, options);
        for (int t = 0; t < 2; t++)
        {
            for (int i = 0; i < 40; i++)
            {
                Assert.Equal((x.Data[i] - reference[i]) * weights.Data[t * 40 + i], result.Scores[t * 40 + i], 1e-5f);
            }
        }
    }

    [Fact]
    public void IntegratedGradientsAreCompleteOnTheModel()
    {
        var model = AttributionFixture.TinyModel(17);
        var x = AttributionFixture.RandomSequence(53, 18);
        foreach (var baseline in new[] { AttributionBaseline.Uniform, AttributionBaseline.Shuffled })
        {
            var options = new IntegratedGradientsOptions { Steps = 64, Baseline = baseline, BatchSize = 50 };
            var result = IntegratedGradients.Run(model, x, [0, 2], options);
            var reference = IntegratedGradients.Baseline(x.Data, options);
            var totals = result.Totals();
            for (int r = 0; r < 2; r++)
            {
                int t = result.Treatments[r];
                double expected = Predict(model.Forward, x.Data, t) - Predict(model.Forward, reference, t);
                Assert.Equal(Predict(model.Forward, reference, t), result.BaselinePrediction![r], 1e-5f);
                Assert.True(Math.Abs(expected) > 1e-3, "a meaningful difference to explain");
                Assert.True(Math.Abs(totals[r] - expected) <= 0.02 * Math.Abs(expected) + 1e-4,
                    $"{baseline}, treatment {t}: scores sum to {totals[r]}, f(x) − f(x') = {expected}");
            }
        }
    }

    [Fact]
    public void TheShuffledBaselineKeepsTheBaseCompositionAndDependsOnTheSeed()
    {
        var x = AttributionFixture.RandomSequence(40, 19);
        var a = IntegratedGradients.Baseline(x.Data, new IntegratedGradientsOptions { Baseline = AttributionBaseline.Shuffled, Seed = 1 });
        var b = IntegratedGradients.Baseline(x.Data, new IntegratedGradientsOptions { Baseline = AttributionBaseline.Shuffled, Seed = 2 });
        for (int basis = 0; basis < 4; basis++)
        {
            Assert.Equal(Enumerable.Range(0, 40).Sum(i => x.Data[i * 4 + basis]), Enumerable.Range(0, 40).Sum(i => a[i * 4 + basis]));
        }
        Assert.NotEqual(a, b);
        Assert.All(IntegratedGradients.Baseline(x.Data, new IntegratedGradientsOptions()), v => Assert.Equal(0.25f, v));
    }

    [Fact]
    public void BadOptionsAndTreatmentsAreRejected()
    {
        var model = AttributionFixture.TinyModel(21);
        var x = AttributionFixture.RandomSequence(53, 22);
        Assert.Throws<ArgumentException>(() => IntegratedGradients.Run(model, x, options: new IntegratedGradientsOptions { Steps = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientAttribution.Run(model, x, [3]));
        Assert.Throws<ArgumentException>(() => GradientAttribution.Run(model, x, []));
    }
}
