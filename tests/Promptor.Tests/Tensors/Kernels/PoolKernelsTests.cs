using Promptor.Tensors.Kernels;

namespace Promptor.Tests.Tensors.Kernels;

/// <summary>The vectorised training max pool against its scalar reference: values and argmax indices exactly.</summary>
public sealed class PoolKernelsTests
{
    [Theory]
    [InlineData(3, 1000, 4, 4)]     // the promoter models' pool
    [InlineData(5, 97, 3, 2)]       // overlapping windows, a ragged tail of windows
    [InlineData(2, 70, 2, 5)]       // stride beyond the window: skipped elements
    [InlineData(4, 19, 1, 1)]       // window 1: the identity
    [InlineData(1, 64, 9, 3)]
    public void VectorPathEqualsTheScalarReferenceWithTiesAndNaN(int rows, int length, int kernel, int stride)
    {
        var random = new Random(rows * 1000 + length);
        // Few distinct values, so ties are common (the first maximum must win), and some NaNs
        // (a NaN wins over any number, the first NaN over later ones).
        var x = new float[rows * length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.Next(20) == 0 ? float.NaN : random.Next(-3, 4);
        }

        int lo = (length - kernel) / stride + 1;
        float[] y = new float[rows * lo], yRef = new float[rows * lo];
        int[] index = new int[rows * lo], indexRef = new int[rows * lo];
        PoolKernels.MaxForward(x, y, index, rows, length, kernel, stride);
        PoolKernels.MaxForwardReference(x, yRef, indexRef, rows, length, kernel, stride);

        Assert.Equal(indexRef, index);
        for (int i = 0; i < y.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(yRef[i]), BitConverter.SingleToInt32Bits(y[i]));
            Assert.True(float.IsNaN(y[i]) ? float.IsNaN(x[index[i]]) : x[index[i]] == y[i]);
        }
    }
}
