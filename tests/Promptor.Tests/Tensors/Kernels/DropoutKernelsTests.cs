using Promptor.Tensors.Kernels;

namespace Promptor.Tests.Tensors.Kernels;

public class DropoutKernelsTests
{
    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.5f)]
    [InlineData(0.97f)]
    public void VectorisedMaskEqualsTheElementByElementOneAtEveryLength(float p)
    {
        for (int n = 0; n <= 100; n++)
        {
            var fast = new float[n];
            var slow = new float[n];
            DropoutKernels.FillMask(0x0123456789ABCDEFUL, fast, p);
            DropoutKernels.FillMaskReference(0x0123456789ABCDEFUL, slow, p);
            Assert.Equal(slow, fast);
        }
    }

    [Fact]
    public void ScaleAndAccumulateUseTheMaskAtTheirOffsetAtEveryLength()
    {
        const ulong key = 0xFEDCBA9876543210UL;
        const float p = 0.3f;
        const uint first = 1000;
        var full = new float[first + 50];
        DropoutKernels.FillMaskReference(key, full, p);
        for (int n = 0; n <= 50; n++)
        {
            var x = Enumerable.Range(0, n).Select(i => 1f + i).ToArray();
            var y = new float[n];
            var dx = Enumerable.Repeat(2f, n).ToArray();
            DropoutKernels.Forward(x, y, first, key, p);
            DropoutKernels.Backward(x, dx, first, key, p);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(x[i] * full[first + i], y[i]);
                Assert.Equal(2f + x[i] * full[first + i], dx[i]);
            }
        }
    }

    [Fact]
    public void EachHalfOfTheKeyChangesTheMaskAndNeighbouringMasksAreUncorrelated()
    {
        const int n = 1 << 16;
        float[] Mask(ulong key)
        {
            var m = new float[n];
            DropoutKernels.FillMask(key, m, 0.5f);
            return m;
        }
        var a = Mask(1);
        // Flipping one bit of either 32-bit half of the key gives an unrelated mask: about half of the
        // decisions agree (5 standard deviations of Binomial(n, ½)), not all of them.
        foreach (ulong other in new[] { 3UL, 1UL | (1UL << 32), 2UL })
        {
            var b = Mask(other);
            int agree = Enumerable.Range(0, n).Count(i => (a[i] == 0) == (b[i] == 0));
            Assert.InRange(agree, n / 2 - 5 * 128, n / 2 + 5 * 128);
        }
        // Adjacent elements of one mask are independent: each of the four (kept, kept) patterns of a
        // pair occurs about a quarter of the time.
        var pairs = new int[4];
        for (int i = 0; i + 1 < n; i += 2)
        {
            pairs[(a[i] == 0 ? 0 : 2) + (a[i + 1] == 0 ? 0 : 1)]++;
        }
        double expected = n / 8.0, sd = Math.Sqrt(n / 2.0 * 0.25 * 0.75);
        Assert.All(pairs, count => Assert.InRange(count, expected - 5 * sd, expected + 5 * sd));
    }
}
