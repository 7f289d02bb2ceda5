namespace Promptor.Genomics.Baselines;

/// <summary>
/// Eigen-decomposition of a small dense symmetric matrix by cyclic Jacobi rotations (in double):
/// each rotation zeroes one off-diagonal pair; sweeps repeat until the off-diagonal mass is
/// negligible. Quadratic convergence, exact orthogonality of the accumulated rotations; meant for
/// matrices of a few dozen rows, such as the treatment × treatment covariance of a target table.
/// </summary>
internal static class SymmetricEigen
{
    private const int MaxSweeps = 100;

    /// <summary>
    /// The eigenvalues of the <paramref name="n"/> × <paramref name="n"/> row-major symmetric
    /// <paramref name="matrix"/> in descending order, and the matching unit eigenvectors as the columns
    /// of an <c>(n, n)</c> row-major array.
    /// </summary>
    public static (double[] Values, double[] Vectors) Decompose(ReadOnlySpan<double> matrix, int n)
    {
        if (matrix.Length != n * n)
        {
            throw new ArgumentException($"Expected {n} × {n} = {n * n} values, got {matrix.Length}.", nameof(matrix));
        }
        var a = matrix.ToArray();
        var v = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            v[i * n + i] = 1;
        }
        double scale = 0;
        foreach (double x in a)
        {
            scale += x * x;
        }
        for (int sweep = 0; sweep < MaxSweeps && OffDiagonal(a, n) > 1e-30 * Math.Max(scale, double.Epsilon); sweep++)
        {
            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    if (a[p * n + q] != 0)
                    {
                        Rotate(a, v, n, p, q);
                    }
                }
            }
        }
        var order = Enumerable.Range(0, n).OrderByDescending(i => a[i * n + i]).ToArray();
        var values = new double[n];
        var vectors = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            values[j] = a[order[j] * n + order[j]];
            for (int k = 0; k < n; k++)
            {
                vectors[k * n + j] = v[k * n + order[j]];
            }
        }
        return (values, vectors);
    }

    private static double OffDiagonal(double[] a, int n)
    {
        double sum = 0;
        for (int p = 0; p < n; p++)
        {
            for (int q = p + 1; q < n; q++)
            {
                sum += a[p * n + q] * a[p * n + q];
            }
        }
        return sum;
    }

    // A ← Jᵀ A J and V ← V J with the rotation J in the (p, q) plane that zeroes A[p, q].
    private static void Rotate(double[] a, double[] v, int n, int p, int q)
    {
        double apq = a[p * n + q];
        double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        double tan = (theta >= 0 ? 1 : -1) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
        double cos = 1 / Math.Sqrt(tan * tan + 1), sin = tan * cos;
        for (int k = 0; k < n; k++)
        {
            double akp = a[k * n + p], akq = a[k * n + q];
            a[k * n + p] = cos * akp - sin * akq;
            a[k * n + q] = sin * akp + cos * akq;
        }
        for (int k = 0; k < n; k++)
        {
            double apk = a[p * n + k], aqk = a[q * n + k];
            a[p * n + k] = cos * apk - sin * aqk;
            a[q * n + k] = sin * apk + cos * aqk;
        }
        for (int k = 0; k < n; k++)
        {
            double vkp = v[k * n + p], vkq = v[k * n + q];
            v[k * n + p] = cos * vkp - sin * vkq;
            v[k * n + q] = sin * vkp + cos * vkq;
        }
    }
}
