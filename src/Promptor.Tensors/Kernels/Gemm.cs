namespace Promptor.Tensors.Kernels;

/// <summary>
/// Row-major single-precision matrix multiply, <c>C = alpha · op(A) · op(B) + beta · C</c>,
/// where <c>op(X)</c> is <c>X</c> or its transpose. <c>op(A)</c> is <c>m × k</c>, <c>op(B)</c> is
/// <c>k × n</c>, <c>C</c> is <c>m × n</c>; <c>lda</c>, <c>ldb</c>, <c>ldc</c> are the row strides of the
/// matrices as stored. <c>beta == 0</c> overwrites <c>C</c> without reading it.
/// </summary>
public static class Gemm
{
    /// <summary>Computes one matrix product; see the type summary for the layout.</summary>
    public static void Multiply(
        bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
        => GemmReference.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>
    /// Computes <paramref name="batch"/> independent products of densely stored matrices; the
    /// i-th product reads A at <c>i · strideA</c>, B at <c>i · strideB</c> and writes C at
    /// <c>i · strideC</c>. A stride of 0 broadcasts one matrix over the batch.
    /// </summary>
    public static void MultiplyBatched(
        bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int strideA, ReadOnlySpan<float> b, int strideB,
        float beta, Span<float> c, int strideC, int batch)
    {
        int lda = transA ? m : k, ldb = transB ? k : n;
        for (int i = 0; i < batch; i++)
        {
            Multiply(transA, transB, m, n, k, alpha,
                a.Slice(i * strideA), lda, b.Slice(i * strideB), ldb,
                beta, c.Slice(i * strideC), n);
        }
    }
}
