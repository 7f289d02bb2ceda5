namespace Promptor.Tensors.Kernels;

/// <summary>
/// The naive triple-loop GEMM, kept as the oracle every fast path is tested against
/// (row-major, <c>C = alpha · op(A) · op(B) + beta · C</c>).
/// </summary>
public static class GemmReference
{
    /// <summary>Row-major GEMM in double accumulation; see <see cref="Gemm.Multiply"/> for the argument layout.</summary>
    public static void Multiply(
        bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += (double)av * bv;
                }
                // beta == 0 overwrites (BLAS semantics: NaN already in C must not leak through).
                float prior = beta == 0f ? 0f : beta * c[i * ldc + j];
                c[i * ldc + j] = (float)(alpha * sum) + prior;
            }
        }
    }
}
