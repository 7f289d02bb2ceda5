using Promptor.Tensors;
using Promptor.Tensors.Kernels;

namespace Promptor.Tests.Tensors.Kernels;

public class GemmSplitKTests
{
    [Theory]
    [InlineData(false, true, 128, 60, 9000, 0f)]
    [InlineData(true, false, 60, 33, 5000, 1f)]
    [InlineData(false, false, 7, 9, 70000, 0.5f)]
    [InlineData(true, true, 16, 16, 4096, 0f)]
    public void DeepProductsSplitOverDepthMatchTheReference(bool transA, bool transB, int m, int n, int k, float beta)
    {
        var g = new Generator(11);
        var a = Tensor.RandomNormal(g, new Shape(m * k)).Data;
        var b = Tensor.RandomNormal(g, new Shape(k * n)).Data;
        var c = Tensor.RandomNormal(g, new Shape(m * n)).Data;
        var expected = (float[])c.Clone();
        if (beta == 0f)
        {
            Array.Fill(c, float.NaN); // beta = 0 must not read C
        }
        int lda = transA ? m : k, ldb = transB ? k : n;
        GemmReference.Multiply(transA, transB, m, n, k, 1.5f, a, lda, b, ldb, beta, expected, n);
        Gemm.Multiply(transA, transB, m, n, k, 1.5f, a, lda, b, ldb, beta, c, n);
        for (int i = 0; i < c.Length; i++)
        {
            Assert.True(Math.Abs(c[i] - expected[i]) <= 2e-3 * Math.Sqrt(k), $"[{i}] {c[i]} vs {expected[i]}");
        }
    }
}
