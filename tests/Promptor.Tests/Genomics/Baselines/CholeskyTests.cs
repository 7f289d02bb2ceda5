using Promptor.Genomics.Baselines;

namespace Promptor.Tests.Genomics.Baselines;

public class CholeskyTests
{
    /// <summary>A random SPD matrix XᵀX/k + δI, row-major n × n.</summary>
    private static double[] RandomSpd(int n, int seed, double ridge = 0.1)
    {
        var rng = new Random(seed);
        int k = n + 5;
        var x = new double[k * n];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = rng.NextDouble() * 2 - 1;
        }
        var a = new double[n * n];
        for (int r = 0; r < k; r++)
        {
            for (int i = 0; i < n; i++)
            {
                double xi = x[r * n + i];
                for (int j = 0; j < n; j++)
                {
                    a[i * n + j] += xi * x[r * n + j] / k;
                }
            }
        }
        for (int i = 0; i < n; i++)
        {
            a[i * n + i] += ridge;
        }
        return a;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(17)]
    [InlineData(96)]
    [InlineData(97)]
    [InlineData(203)]
    [InlineData(300)]
    public void BlockedFactorEqualsTheTextbookAlgorithm(int n)
    {
        var a = RandomSpd(n, seed: n);
        var fast = (double[])a.Clone();
        var reference = (double[])a.Clone();
        Assert.True(Cholesky.Factor(fast, n));
        Assert.True(Cholesky.FactorReference(reference, n));
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                Assert.Equal(reference[i * n + j], fast[i * n + j], 1e-10 * Math.Max(1, Math.Abs(reference[i * n + j])));
            }
        }
    }

    [Theory]
    [InlineData(5, 1)]
    [InlineData(150, 34)]
    [InlineData(250, 3)]
    public void SolveGivesSmallResiduals(int n, int t)
    {
        var a = RandomSpd(n, seed: 100 + n);
        var rng = new Random(7);
        var b = Enumerable.Range(0, n * t).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var l = (double[])a.Clone();
        Assert.True(Cholesky.Factor(l, n));
        var x = (double[])b.Clone();
        Cholesky.Solve(l, n, x, t);
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < t; c++)
            {
                double s = 0;
                for (int j = 0; j < n; j++)
                {
                    s += a[i * n + j] * x[j * t + c];
                }
                Assert.Equal(b[i * t + c], s, 1e-9);
            }
        }
    }

    [Fact]
    public void IndefiniteMatrixIsRejected()
    {
        int n = 120;
        var a = RandomSpd(n, seed: 3);
        a[100 * n + 100] = -1;
        Assert.False(Cholesky.Factor((double[])a.Clone(), n));
        Assert.False(Cholesky.FactorReference((double[])a.Clone(), n));
    }
}
