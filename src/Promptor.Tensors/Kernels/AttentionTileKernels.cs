using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Promptor.Tensors.Kernels;

/// <summary>
/// The small products inside one attention tile (at most 64 × 64 × head width), computed straight
/// from registers: no packing, no threading, no per-call allocation. The general GEMM pays all three
/// on every tile, which at these sizes costs more than the arithmetic.
/// </summary>
/// <remarks>
/// <c>C[r, c] = alpha · Σ_p A(r, p) · B[p, c]</c> (or <c>C += …</c>) for <c>r &lt; m</c>,
/// <c>c &lt; n</c>, <c>p &lt; k</c>. A is read through a row stride and a column stride, so the same
/// kernel serves <c>A</c> and <c>Aᵀ</c> (<c>Pᵀ·dO</c>, <c>dSᵀ·Q</c>); B is row-major with row stride
/// <c>ldb</c>; <c>n</c> must be a multiple of 16 (callers pad their widths with zeros). Column blocks
/// of 64 run as 4 rows × 4 vectors, blocks of 32 as 8 rows × 2 vectors and blocks of 16 as
/// 8 rows × 1 vector — 8 to 16 independent FMA chains per depth step.
/// </remarks>
internal static unsafe class AttentionTileKernels
{
    /// <summary>Vector width in floats; every padded width is a multiple of it.</summary>
    public const int Lanes = 16;

    /// <summary>Rounds <paramref name="width"/> up to a multiple of <see cref="Lanes"/>.</summary>
    public static int Padded(int width) => (width + Lanes - 1) / Lanes * Lanes;

    /// <summary>Computes the product; see the type remarks.</summary>
    public static void Product(int m, int n, int k, float alpha, float* a, int aRowStride, int aColStride,
        float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        int col = 0;
        for (; col + 64 <= n; col += 64)
        {
            Block4x64(m, k, alpha, a, aRowStride, aColStride, b + col, ldb, c + col, ldc, accumulate);
        }
        for (; col + 32 <= n; col += 32)
        {
            Block8x32(m, k, alpha, a, aRowStride, aColStride, b + col, ldb, c + col, ldc, accumulate);
        }
        for (; col < n; col += 16)
        {
            Block8x16(m, k, alpha, a, aRowStride, aColStride, b + col, ldb, c + col, ldc, accumulate);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> value, float alpha, bool accumulate)
    {
        var scaled = value * alpha;
        Vector512.Store(accumulate ? Vector512.Load(c) + scaled : scaled, c);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Block4x64(int m, int k, float alpha, float* a, int ars, int acs, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        int r = 0;
        for (; r + 4 <= m; r += 4)
        {
            Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
            Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
            Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
            Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
            float* a0 = a + r * ars;
            for (int p = 0; p < k; p++)
            {
                float* bp = b + p * ldb;
                var b0 = Vector512.Load(bp);
                var b1 = Vector512.Load(bp + 16);
                var b2 = Vector512.Load(bp + 32);
                var b3 = Vector512.Load(bp + 48);
                float* ap = a0 + p * acs;
                var x = Vector512.Create(ap[0]);
                c00 = Vector512.FusedMultiplyAdd(x, b0, c00);
                c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
                c02 = Vector512.FusedMultiplyAdd(x, b2, c02);
                c03 = Vector512.FusedMultiplyAdd(x, b3, c03);
                x = Vector512.Create(ap[ars]);
                c10 = Vector512.FusedMultiplyAdd(x, b0, c10);
                c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
                c12 = Vector512.FusedMultiplyAdd(x, b2, c12);
                c13 = Vector512.FusedMultiplyAdd(x, b3, c13);
                x = Vector512.Create(ap[2 * ars]);
                c20 = Vector512.FusedMultiplyAdd(x, b0, c20);
                c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
                c22 = Vector512.FusedMultiplyAdd(x, b2, c22);
                c23 = Vector512.FusedMultiplyAdd(x, b3, c23);
                x = Vector512.Create(ap[3 * ars]);
                c30 = Vector512.FusedMultiplyAdd(x, b0, c30);
                c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
                c32 = Vector512.FusedMultiplyAdd(x, b2, c32);
                c33 = Vector512.FusedMultiplyAdd(x, b3, c33);
            }
            float* cr = c + r * ldc;
            Store(cr, c00, alpha, accumulate);
            Store(cr + 16, c01, alpha, accumulate);
            Store(cr + 32, c02, alpha, accumulate);
            Store(cr + 48, c03, alpha, accumulate);
            cr += ldc;
            Store(cr, c10, alpha, accumulate);
            Store(cr + 16, c11, alpha, accumulate);
            Store(cr + 32, c12, alpha, accumulate);
            Store(cr + 48, c13, alpha, accumulate);
            cr += ldc;
            Store(cr, c20, alpha, accumulate);
            Store(cr + 16, c21, alpha, accumulate);
            Store(cr + 32, c22, alpha, accumulate);
            Store(cr + 48, c23, alpha, accumulate);
            cr += ldc;
            Store(cr, c30, alpha, accumulate);
            Store(cr + 16, c31, alpha, accumulate);
            Store(cr + 32, c32, alpha, accumulate);
            Store(cr + 48, c33, alpha, accumulate);
        }
        for (; r < m; r++)
        {
            Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
            float* a0 = a + r * ars;
            for (int p = 0; p < k; p++)
            {
                float* bp = b + p * ldb;
                var x = Vector512.Create(a0[p * acs]);
                c00 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp), c00);
                c01 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp + 16), c01);
                c02 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp + 32), c02);
                c03 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp + 48), c03);
            }
            float* cr = c + r * ldc;
            Store(cr, c00, alpha, accumulate);
            Store(cr + 16, c01, alpha, accumulate);
            Store(cr + 32, c02, alpha, accumulate);
            Store(cr + 48, c03, alpha, accumulate);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Block8x32(int m, int k, float alpha, float* a, int ars, int acs, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        int r = 0;
        for (; r + 8 <= m; r += 8)
        {
            Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
            Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
            Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
            Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
            float* a0 = a + r * ars;
            for (int p = 0; p < k; p++)
            {
                float* bp = b + p * ldb;
                var b0 = Vector512.Load(bp);
                var b1 = Vector512.Load(bp + 16);
                float* ap = a0 + p * acs;
                var x = Vector512.Create(ap[0]);
                c00 = Vector512.FusedMultiplyAdd(x, b0, c00);
                c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
                x = Vector512.Create(ap[ars]);
                c10 = Vector512.FusedMultiplyAdd(x, b0, c10);
                c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
                x = Vector512.Create(ap[2 * ars]);
                c20 = Vector512.FusedMultiplyAdd(x, b0, c20);
                c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
                x = Vector512.Create(ap[3 * ars]);
                c30 = Vector512.FusedMultiplyAdd(x, b0, c30);
                c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
                x = Vector512.Create(ap[4 * ars]);
                c40 = Vector512.FusedMultiplyAdd(x, b0, c40);
                c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
                x = Vector512.Create(ap[5 * ars]);
                c50 = Vector512.FusedMultiplyAdd(x, b0, c50);
                c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
                x = Vector512.Create(ap[6 * ars]);
                c60 = Vector512.FusedMultiplyAdd(x, b0, c60);
                c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
                x = Vector512.Create(ap[7 * ars]);
                c70 = Vector512.FusedMultiplyAdd(x, b0, c70);
                c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
            }
            float* cr = c + r * ldc;
            Store(cr, c00, alpha, accumulate);
            Store(cr + 16, c01, alpha, accumulate);
            cr += ldc;
            Store(cr, c10, alpha, accumulate);
            Store(cr + 16, c11, alpha, accumulate);
            cr += ldc;
            Store(cr, c20, alpha, accumulate);
            Store(cr + 16, c21, alpha, accumulate);
            cr += ldc;
            Store(cr, c30, alpha, accumulate);
            Store(cr + 16, c31, alpha, accumulate);
            cr += ldc;
            Store(cr, c40, alpha, accumulate);
            Store(cr + 16, c41, alpha, accumulate);
            cr += ldc;
            Store(cr, c50, alpha, accumulate);
            Store(cr + 16, c51, alpha, accumulate);
            cr += ldc;
            Store(cr, c60, alpha, accumulate);
            Store(cr + 16, c61, alpha, accumulate);
            cr += ldc;
            Store(cr, c70, alpha, accumulate);
            Store(cr + 16, c71, alpha, accumulate);
        }
        for (; r < m; r++)
        {
            Vector512<float> c00 = default, c01 = default;
            float* a0 = a + r * ars;
            for (int p = 0; p < k; p++)
            {
                float* bp = b + p * ldb;
                var x = Vector512.Create(a0[p * acs]);
                c00 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp), c00);
                c01 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp + 16), c01);
            }
            float* cr = c + r * ldc;
            Store(cr, c00, alpha, accumulate);
            Store(cr + 16, c01, alpha, accumulate);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Block8x16(int m, int k, float alpha, float* a, int ars, int acs, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        int r = 0;
        for (; r + 8 <= m; r += 8)
        {
            Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
            Vector512<float> c4 = default, c5 = default, c6 = default, c7 = default;
            float* a0 = a + r * ars;
            for (int p = 0; p < k; p++)
            {
                var b0 = Vector512.Load(b + p * ldb);
                float* ap = a0 + p * acs;
                c0 = Vector512.FusedMultiplyAdd(Vector512.Create(ap[0]), b0, c0);
                c1 = Vector512.FusedMultiplyAdd(Vector512.Create(ap[ars]), b0, c1);
                c2 = Vector512.FusedMultiplyAdd(Vector512.Create(ap[2 * ars]), b0, c2);
                c3 = Vector512.FusedMultiplyAdd(Vector512.Create(ap[3 * ars]), b0, c3);
                c4 = Vector512.FusedMultiplyAdd(Vector512.Create(ap[4 * ars]), b0, c4);
                c5 = Vector512.FusedMultiplyAdd(Vector512.Create(ap[5 * ars]), b0, c5);
                c6 = Vector512.FusedMultiplyAdd(Vector512.Create(ap[6 * ars]), b0, c6);
                c7 = Vector512.FusedMultiplyAdd(Vector512.Create(ap[7 * ars]), b0, c7);
            }
            float* cr = c + r * ldc;
            Store(cr, c0, alpha, accumulate);
            Store(cr + ldc, c1, alpha, accumulate);
            Store(cr + 2 * ldc, c2, alpha, accumulate);
            Store(cr + 3 * ldc, c3, alpha, accumulate);
            Store(cr + 4 * ldc, c4, alpha, accumulate);
            Store(cr + 5 * ldc, c5, alpha, accumulate);
            Store(cr + 6 * ldc, c6, alpha, accumulate);
            Store(cr + 7 * ldc, c7, alpha, accumulate);
        }
        for (; r < m; r++)
        {
            Vector512<float> c0 = default;
            float* a0 = a + r * ars;
            for (int p = 0; p < k; p++)
            {
                c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[p * acs]), Vector512.Load(b + p * ldb), c0);
            }
            Store(c + r * ldc, c0, alpha, accumulate);
        }
    }

    /// <summary>
    /// <c>e^x</c> for the non-positive arguments of a shifted softmax, in single precision: <c>x·log₂e</c>
    /// is split into an integer n and <c>f ∈ [−½, ½]</c>, <c>2^f</c> comes from its degree-7 Taylor
    /// polynomial (relative error below 1e-8, under float rounding) and <c>2^n</c> from the exponent
    /// bits. Arguments below −87 (where <c>e^x</c> underflows single precision), including −∞, give 0.
    /// Cheaper than the library exponential, which evaluates in double precision.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        var y = Vector512.Min(Vector512.Max(x * 1.44269504f, Vector512.Create(-127f)), Vector512.Create(127f));
        var n = Vector512.Round(y);
        var f = y - n;
        var p = Vector512.Create(1.5252734e-5f);
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(1.5403530e-4f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(1.3333558e-3f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(9.6181291e-3f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(5.5504109e-2f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(2.4022651e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(6.9314718e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512<float>.One);
        var twoToN = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle();
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(-87f)), Vector512<float>.Zero, p * twoToN);
    }

    private static readonly Vector512<int> LaneIndex = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

    /// <summary>The lanes of the last vector of a <paramref name="cols"/>-wide row that hold real columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> TailLanes(int cols) => Vector512.LessThan(LaneIndex, Vector512.Create(cols - (Padded(cols) - Lanes))).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float HorizontalMax(Vector512<float> v)
    {
        var m256 = Vector256.Max(v.GetLower(), v.GetUpper());
        var m128 = Vector128.Max(m256.GetLower(), m256.GetUpper());
        return MathF.Max(MathF.Max(m128.GetElement(0), m128.GetElement(1)), MathF.Max(m128.GetElement(2), m128.GetElement(3)));
    }

    /// <summary>
    /// One online-softmax step on a score row of <paramref name="cols"/> (≤ 64) columns padded to a
    /// multiple of 16: with the running maximum <paramref name="max"/> and normaliser
    /// <paramref name="sum"/>, replaces the row by <c>exp(s − max′)</c> (padding lanes by 0), updates
    /// both and returns the factor <c>exp(max − max′)</c> by which earlier partial outputs must be
    /// rescaled (1 when the maximum did not grow). A row that is still fully masked becomes zeros.
    /// </summary>
    public static float OnlineSoftmaxRow(float* row, int cols, ref float max, ref float sum)
    {
        int vectors = Padded(cols) / Lanes;
        var tail = TailLanes(cols);
        var negativeInfinity = Vector512.Create(float.NegativeInfinity);
        var rowMax = negativeInfinity;
        for (int v = 0; v < vectors; v++)
        {
            var x = Vector512.Load(row + v * Lanes);
            if (v == vectors - 1)
            {
                x = Vector512.ConditionalSelect(tail, x, negativeInfinity);
            }
            rowMax = Vector512.Max(rowMax, x);
        }
        float newMax = MathF.Max(max, HorizontalMax(rowMax));
        if (float.IsNegativeInfinity(newMax))
        {
            new Span<float>(row, vectors * Lanes).Clear();
            return 1f;
        }
        var shift = Vector512.Create(newMax);
        var total = Vector512<float>.Zero;
        for (int v = 0; v < vectors; v++)
        {
            var x = Vector512.Load(row + v * Lanes);
            if (v == vectors - 1)
            {
                x = Vector512.ConditionalSelect(tail, x, negativeInfinity);
            }
            var e = Exp(x - shift);
            total += e;
            Vector512.Store(e, row + v * Lanes);
        }
        float alpha = newMax == max ? 1f : MathF.Exp(max - newMax);
        sum = sum * alpha + Vector512.Sum(total);
        max = newMax;
        return alpha;
    }

    /// <summary>Replaces a score row by the probabilities <c>exp(s − lse)</c> (padding lanes, and every lane when <c>lse = −∞</c>, by 0).</summary>
    public static void ProbabilityRow(float* row, int cols, float logSumExp)
    {
        int vectors = Padded(cols) / Lanes;
        if (float.IsNegativeInfinity(logSumExp))
        {
            new Span<float>(row, vectors * Lanes).Clear();
            return;
        }
        var tail = TailLanes(cols);
        var shift = Vector512.Create(logSumExp);
        for (int v = 0; v < vectors; v++)
        {
            var x = Vector512.Load(row + v * Lanes);
            if (v == vectors - 1)
            {
                x = Vector512.ConditionalSelect(tail, x, Vector512.Create(float.NegativeInfinity));
            }
            Vector512.Store(Exp(x - shift), row + v * Lanes);
        }
    }

    /// <summary>The softmax backward on one row: <c>dS = scale · P ⊙ (dP − delta)</c>, written over <paramref name="dp"/>.</summary>
    public static void SoftmaxGradientRow(float* dp, float* p, int cols, float delta, float scale)
    {
        int vectors = Padded(cols) / Lanes;
        var d = Vector512.Create(delta);
        var s = Vector512.Create(scale);
        for (int v = 0; v < vectors; v++)
        {
            var x = Vector512.Load(dp + v * Lanes);
            Vector512.Store(Vector512.Load(p + v * Lanes) * (x - d) * s, dp + v * Lanes);
        }
    }
}
