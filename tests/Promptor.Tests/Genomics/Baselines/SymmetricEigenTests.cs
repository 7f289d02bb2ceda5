using Promptor.Genomics.Baselines;

namespace Promptor.Tests.Genomics.Baselines;

public class SymmetricEigenTests
{
    [Fact]
    public void TwoByTwoHasTheTextbookEigenpairs()
    {
        // [[2, 1], [1, 2]]: eigenvalues 3 and 1 along (1, 1)/√2 and (1, −1)/√2.
        var (values, vectors) = SymmetricEigen.Decompose([2, 1, 1, 2], 2);
        Assert.Equal(3, values[0], 12);
        Assert.Equal(1, values[1], 12);
        Assert.Equal(1, Math.Abs(vectors[0] + vectors[2]) / Math.Sqrt(2), 12);
        Assert.Equal(0, vectors[0] - vectors[2], 12);
    }

    [Fact]
    public void RandomCovarianceIsReconstructedByOrthonormalVectors()
    {
        const int n = 12;
        var rng = new Random(3);
        var x = Enumerable.Range(0, 40 * n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var a = new double[n * n];
        for (int r = 0; r < 40; r++)
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    a[i * n + j] += x[r * n + i] * x[r * n + j];
                }
            }
        }
        var (values, v) = SymmetricEigen.Decompose(a, n);
        for (int k = 1; k < n; k++)
        {
            Assert.True(values[k] <= values[k - 1]);
        }
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double vtv = 0, vlv = 0;
                for (int k = 0; k < n; k++)
                {
                    vtv += v[k * n + i] * v[k * n + j];
                    vlv += v[i * n + k] * values[k] * v[j * n + k];
                }
                Assert.Equal(i == j ? 1 : 0, vtv, 10);
                Assert.Equal(a[i * n + j], vlv, 10);
            }
        }
    }
}
