using Promptor.Tensors;
using Promptor.Tensors.Kernels;

namespace Promptor.Tests.Tensors;

public class DropoutTests
{
    [Fact]
    public void SameSeedGivesTheSameMaskAndOtherSeedsDiffer()
    {
        var x = GradCheck.Random(1, 4, 64);
        var a = x.Dropout(0.3f, new Generator(42), training: true);
        var b = x.Dropout(0.3f, new Generator(42), training: true);
        var c = x.Dropout(0.3f, new Generator(43), training: true);
        Assert.Equal(a.Data, b.Data);
        Assert.NotEqual(a.Data, c.Data);

        // One generator advances: two calls in a row draw different masks.
        var g = new Generator(42);
        var first = x.Dropout(0.3f, g, training: true);
        var second = x.Dropout(0.3f, g, training: true);
        Assert.Equal(a.Data, first.Data);
        Assert.NotEqual(first.Data, second.Data);
    }

    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.5f)]
    [InlineData(0.9f)]
    public void DropsAFractionPAndPreservesTheMean(float p)
    {
        const int n = 1 << 18;
        var x = Tensor.Ones(n);
        var y = x.Dropout(p, new Generator(7), training: true);
        float kept = 1f / (1f - p);
        int dropped = 0;
        double sum = 0;
        foreach (float v in y.Data)
        {
            if (v != 0f && v != kept)
            {
                Assert.Fail($"value {v} is neither 0 nor 1/(1-p) = {kept}");
            }
            dropped += v == 0f ? 1 : 0;
            sum += v;
        }
        // Binomial(n, p): allow 5 standard deviations.
        double sd = Math.Sqrt(n * p * (1 - p));
        Assert.InRange(dropped, n * p - 5 * sd, n * p + 5 * sd);
        double meanSd = Math.Sqrt(p / (1 - p) / n);
        Assert.InRange(sum / n, 1 - 5 * meanSd, 1 + 5 * meanSd);
    }

    [Fact]
    public void EvalModeAndZeroProbabilityAreIdentity()
    {
        var x = GradCheck.Random(2, 3, 5);
        Assert.Same(x, x.Dropout(0.5f, new Generator(1), training: false));
        Assert.Same(x, x.Dropout(0f, new Generator(1), training: true));
    }

    [Fact]
    public void GradientUsesTheSameMask()
    {
        var x = new Tensor(new Shape(3, 40), GradCheck.Random(3, 3, 40).Data, requiresGrad: true);
        var y = x.Dropout(0.25f, new Generator(9), training: true);
        y.Sum().Backward();
        for (int i = 0; i < x.Size; i++)
        {
            Assert.Equal(y.Data[i] == 0f ? 0f : 1f / 0.75f, x.Grad!.Data[i]);
        }
        GradCheck.Check(t => t.Dropout(0.25f, new Generator(9), training: true), GradCheck.Random(4, 3, 40), name: "dropout");
    }

    [Fact]
    public void LargeTensorsDroppedBlockByBlockEqualTheWholeMaskOfTheDraw()
    {
        // Above the parallel threshold the mask is regenerated in blocks on the cores, in forward and
        // again in backward; every block must use its own elements' indices into the one mask.
        const int n = (1 << 18) + 37;
        const float p = 0.3f;
        var x = new Tensor(new Shape(n), GradCheck.Random(5, n).Data, requiresGrad: true);
        var y = x.Dropout(p, new Generator(11), training: true);
        var mask = new float[n];
        DropoutKernels.FillMask(new Generator(11).NextUInt64(), mask, p);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(x.Data[i] * mask[i], y.Data[i]);
        }
        y.Sum().Backward();
        Assert.Equal(mask, x.Grad!.Data);
    }

    [Theory]
    [InlineData(3 * 40, 0.25f)]
    [InlineData((1 << 18) + 37, 0.1f)]   // above the parallel threshold: blocks on the cores
    [InlineData(1000, 0.9f)]
    public void ReluDropoutEqualsReluThenDropoutBitForBit(int n, float p)
    {
        var data = GradCheck.Random(6, n).Data;
        var upstream = GradCheck.Random(7, n);
        var fusedInput = new Tensor(new Shape(n), (float[])data.Clone(), requiresGrad: true);
        var fused = fusedInput.ReluDropout(p, new Generator(12), training: true);
        (fused * upstream).Sum().Backward();
        var input = new Tensor(new Shape(n), (float[])data.Clone(), requiresGrad: true);
        var composed = input.Relu().Dropout(p, new Generator(12), training: true);
        (composed * upstream).Sum().Backward();

        Assert.Equal(composed.Data, fused.Data);
        Assert.Equal(input.Grad!.Data, fusedInput.Grad!.Data);
        Assert.Contains(fused.Data, v => v > 0);
        Assert.Contains(fusedInput.Grad.Data, v => v == 0);
    }

    [Fact]
    public void ReluDropoutGradientAndItsIdentityCases()
    {
        // Inputs at least 0.2 from the kink, so the finite differences never cross it.
        var away = GradCheck.Random(8, 3, 40);
        for (int i = 0; i < away.Size; i++)
        {
            away.Data[i] += MathF.CopySign(0.2f, away.Data[i]);
        }
        GradCheck.Check(t => t.ReluDropout(0.3f, new Generator(9), training: true), away, name: "relu dropout");
        var x = GradCheck.Random(9, 2, 50);
        Assert.Equal(x.Relu().Data, x.ReluDropout(0.5f, new Generator(1), training: false).Data);
        Assert.Equal(x.Relu().Data, x.ReluDropout(0f, new Generator(1), training: true).Data);
        Assert.Throws<ArgumentOutOfRangeException>(() => x.ReluDropout(1f, new Generator(1), training: true));
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    public void ProbabilityOutsideZeroOneThrows(float p)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Ones(4).Dropout(p, new Generator(1), training: true));
    }
}
