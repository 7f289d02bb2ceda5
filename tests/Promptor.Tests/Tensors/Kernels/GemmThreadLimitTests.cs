using Promptor.Tensors.Kernels;

namespace Promptor.Tests.Tensors.Kernels;

public class GemmThreadLimitTests
{
    [Fact]
    public void ThreadLimitScopesNestRestoreAndStayOnTheirThread()
    {
        int max = Gemm.MaxThreads;
        Assert.Equal(max, Gemm.ThreadsForThisThread);
        using (Gemm.LimitThreads(1))
        {
            Assert.Equal(1, Gemm.ThreadsForThisThread);
            int other = 0;
            var thread = new Thread(() => other = Gemm.ThreadsForThisThread);
            thread.Start();
            thread.Join();
            Assert.Equal(max, other);
            using (Gemm.LimitThreads(8))
            {
                Assert.Equal(1, Gemm.ThreadsForThisThread);                  // an inner scope never raises the limit
            }
            Assert.Equal(1, Gemm.ThreadsForThisThread);
        }
        Assert.Equal(max, Gemm.ThreadsForThisThread);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.LimitThreads(0));
    }

    [Fact]
    public void ProductsAreTheSameUnderAOneThreadLimit()
    {
        const int m = 300, n = 200, k = 150;
        var a = Promptor.Tests.Tensors.GradCheck.Random(1, m, k).Data;
        var b = Promptor.Tests.Tensors.GradCheck.Random(2, k, n).Data;
        var free = new float[m * n];
        var limited = new float[m * n];
        Gemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, free, n);
        using (Gemm.LimitThreads(1))
        {
            Gemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, limited, n);
        }
        Assert.Equal(free, limited);
    }
}
