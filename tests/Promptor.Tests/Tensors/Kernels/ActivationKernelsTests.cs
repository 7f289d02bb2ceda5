using Promptor.Tensors.Kernels;

namespace Promptor.Tests.Tensors.Kernels;

public class ActivationKernelsTests
{
    [Fact]
    public void VectorisedReluGradientEqualsTheScalarOneBitForBit()
    {
        var rng = new Random(11);
        for (int n = 0; n <= 70; n++)
        {
            // Signs at random, with exact zeros, negative zeros and NaN mixed in: all pass no gradient.
            var x = Enumerable.Range(0, n).Select(i => (i % 11) switch
            {
                3 => 0f,
                5 => -0f,
                7 => float.NaN,
                _ => (float)(rng.NextDouble() - 0.5),
            }).ToArray();
            var dy = Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray();
            var fast = Enumerable.Range(0, n).Select(i => 0.25f * i).ToArray();
            var slow = (float[])fast.Clone();
            ActivationKernels.ReluBackward(x, dy, fast);
            ActivationKernels.ReluBackwardReference(x, dy, slow);
            Assert.Equal(slow, fast);
        }
    }

    [Fact]
    public void VectorisedGeluMatchesTheDoubleReferenceAtEveryLength()
    {
        for (int n = 0; n <= 256; n++)
        {
            var x = new float[n];
            var dy = new float[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = -7f + 14f * i / Math.Max(1, n - 1);
                dy[i] = 1f + 0.01f * i;
            }
            var fast = new float[n];
            var slow = new float[n];
            ActivationKernels.GeluErfForward(x, fast);
            ActivationKernels.GeluErfForwardReference(x, slow);
            var dFast = Enumerable.Repeat(0.5f, n).ToArray();
            var dSlow = Enumerable.Repeat(0.5f, n).ToArray();
            ActivationKernels.GeluErfBackward(x, fast, dy, dFast);
            ActivationKernels.GeluErfBackwardReference(x, dy, dSlow);
            for (int i = 0; i < n; i++)
            {
                Assert.True(Math.Abs(fast[i] - slow[i]) <= 2e-6 * (1 + Math.Abs(slow[i])), $"n={n} i={i}: {fast[i]} vs {slow[i]}");
                Assert.True(Math.Abs(dFast[i] - dSlow[i]) <= 2e-6 * (1 + Math.Abs(dSlow[i])), $"grad n={n} i={i}: {dFast[i]} vs {dSlow[i]}");
            }
        }
    }
}
