using Promptor.Tensors.Kernels;

namespace Promptor.Tests.Tensors.Kernels;

using static Promptor.Tests.Tensors.GradCheck;

public class NormKernelsTests
{
    [Theory]
    [InlineData(3000, 128, true)]   // 47 blocks of 64 rows, over the cores
    [InlineData(70, 100, false)]    // 2 blocks, the last one short; no affine parameters
    [InlineData(5, 48, true)]       // one block: the serial kernel
    public void BlockedLayerNormBackwardEqualsTheSerialKernelWhateverTheThreads(int rows, int c, bool affine)
    {
        var x = Random(1, rows, c).Data;
        var dy = Random(2, rows, c).Data;
        float[]? gamma = affine ? Random(3, c).Data : null;
        var mean = new float[rows];
        var rstd = new float[rows];
        var y = new float[rows * c];
        NormKernels.LayerNormForwardParallel(x, gamma, null, y, mean, rstd, c, 1e-5f);

        (float[] Dx, float[] DGamma, float[] DBeta) Run(bool blocked, int threads)
        {
            // Gradients accumulate: start from non-zero buffers.
            var dx = Enumerable.Repeat(0.25f, rows * c).ToArray();
            var dGamma = Enumerable.Repeat(-1f, c).ToArray();
            var dBeta = Enumerable.Repeat(2f, c).ToArray();
            using (Gemm.LimitThreads(threads))
            {
                if (blocked)
                {
                    NormKernels.LayerNormBackwardBlocked(dy, x, gamma, mean, rstd, dx, affine ? dGamma : null, affine ? dBeta : null, c);
                }
                else
                {
                    NormKernels.LayerNormBackward(dy, x, gamma, mean, rstd, dx, affine ? dGamma : Span<float>.Empty, affine ? dBeta : Span<float>.Empty, c);
                }
            }
            return (dx, dGamma, dBeta);
        }

        var serial = Run(blocked: false, threads: 1);
        var one = Run(blocked: true, threads: 1);
        var two = Run(blocked: true, threads: 2);
        // The partial sums make the result a function of the shape alone.
        Assert.Equal(one.Dx, two.Dx);
        Assert.Equal(one.DGamma, two.DGamma);
        Assert.Equal(one.DBeta, two.DBeta);
        // Rows are independent, so dx is bit-equal; dGamma and dBeta differ only in summation order.
        Assert.Equal(serial.Dx, one.Dx);
        Assert.Equal(serial.DGamma, one.DGamma, new Tolerance(1e-4f));
        Assert.Equal(serial.DBeta, one.DBeta, new Tolerance(1e-4f));
        if (!affine)
        {
            Assert.All(one.DGamma, v => Assert.Equal(-1f, v));
        }
    }

    private sealed class Tolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance * Math.Max(1f, Math.Abs(x));

        public int GetHashCode(float obj) => 0;
    }
}
