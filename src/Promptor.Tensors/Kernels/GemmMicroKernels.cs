using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Promptor.Tensors.Kernels;

/// <summary>
/// A register-blocked GEMM micro-kernel: it computes one <c>Mr × Nr</c> tile of C from a packed
/// A micro-panel (<c>kc</c> steps of <c>Mr</c> consecutive floats) and a packed B micro-panel
/// (<c>kc</c> steps of <c>Nr</c> consecutive floats), then stores <c>alpha · tile + beta · C</c>
/// (<c>beta == 0</c> does not read C). The blocked driver <see cref="GemmManaged"/> is generic
/// over this interface, so each kernel is specialised and <c>Mr</c>/<c>Nr</c> are JIT constants.
/// </summary>
internal unsafe interface IGemmMicroKernel
{
    /// <summary>Rows of the register tile (the A packing width).</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of the register tile (the B packing width).</summary>
    static abstract int Nr { get; }

    /// <summary>Whether the instructions this kernel needs exist on this machine.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>Computes the full tile; <paramref name="c"/> has row stride <paramref name="ldc"/>.</summary>
    static abstract void Run(int kc, float* a, float* b, float* c, int ldc, float alpha, float beta);

    /// <summary>
    /// Computes the full tile like <see cref="Run"/>, but reads A unpacked: row <c>i</c> of the
    /// tile is <c>kc</c> consecutive floats at <c>a + i · lda</c>. Broadcasting each A value from
    /// its own row costs the same loads as from a packed panel, so a non-transposed A need not be
    /// copied first.
    /// </summary>
    static abstract void RunRows(int kc, float* a, int lda, float* b, float* c, int ldc, float alpha, float beta);
}

/// <summary>
/// AVX-512: 8 rows × 32 columns held in 16 <see cref="Vector512{T}"/> accumulators. Each k step
/// loads two B vectors and broadcasts 8 A values, giving 16 independent FMAs — enough to cover
/// the FMA latency on both ports while staying well under the 2 loads per cycle limit.
/// </summary>
internal readonly unsafe struct Avx512Kernel8x32 : IGemmMicroKernel
{
    public static int Mr => 8;
    public static int Nr => 32;
    public static bool IsSupported => Avx512F.IsSupported;

    /// <inheritdoc cref="IGemmMicroKernel.Run"/>
    public static void Run(int kc, float* a, float* b, float* c, int ldc, float alpha, float beta)
        => Tile(kc, a, 1, 8, b, c, ldc, alpha, beta);

    /// <inheritdoc cref="IGemmMicroKernel.RunRows"/>
    public static void RunRows(int kc, float* a, int lda, float* b, float* c, int ldc, float alpha, float beta)
        => Tile(kc, a, lda, 1, b, c, ldc, alpha, beta);

    /// <summary>
    /// The tile, with A's value of row i at step p read at <c>a[i · rowStep + p · kStep]</c>: a packed
    /// panel (1, 8) or rows in place (lda, 1).
    /// </summary>
    // NoInlining keeps the register allocation of this loop independent of the blocking loops
    // around it (inlined there, the accumulators can end up spilled); AggressiveOptimization
    // compiles it fully optimized from the first call.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile(int kc, float* a, long rowStep, long kStep, float* b, float* c, int ldc, float alpha, float beta)
    {
        // The C tile is touched only after the k loop; requesting its lines now hides those
        // misses behind the FMAs. A caller's row need not start on a cache line, so each
        // 32-float row may span three lines: fetch the first, middle and last float.
        for (int i = 0; i < 8; i++)
        {
            float* row = c + i * ldc;
            Sse.Prefetch0(row);
            Sse.Prefetch0(row + 16);
            Sse.Prefetch0(row + 31);
        }

        float* a0 = a, a1 = a + rowStep, a2 = a + 2 * rowStep, a3 = a + 3 * rowStep;
        float* a4 = a + 4 * rowStep, a5 = a + 5 * rowStep, a6 = a + 6 * rowStep, a7 = a + 7 * rowStep;
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;

        // Accumulators are plain locals, so the JIT keeps all 16 in zmm registers — provided
        // nothing in this method can call out (every vector register is caller-saved on x64
        // Unix, so a single possible call makes the JIT spill them to the stack).
        for (long p = 0, end = kc * kStep; p < end; p += kStep)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> ai = Vector512.Create(a0[p]);
            c00 = Vector512.FusedMultiplyAdd(ai, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector512.Create(a1[p]);
            c10 = Vector512.FusedMultiplyAdd(ai, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector512.Create(a2[p]);
            c20 = Vector512.FusedMultiplyAdd(ai, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector512.Create(a3[p]);
            c30 = Vector512.FusedMultiplyAdd(ai, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector512.Create(a4[p]);
            c40 = Vector512.FusedMultiplyAdd(ai, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector512.Create(a5[p]);
            c50 = Vector512.FusedMultiplyAdd(ai, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(ai, b1, c51);
            ai = Vector512.Create(a6[p]);
            c60 = Vector512.FusedMultiplyAdd(ai, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(ai, b1, c61);
            ai = Vector512.Create(a7[p]);
            c70 = Vector512.FusedMultiplyAdd(ai, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(ai, b1, c71);
            b += 32;
        }

        Vector512<float> va = Vector512.Create(alpha);
        StoreRow(c, c00, c01, va, beta);
        StoreRow(c + ldc, c10, c11, va, beta);
        StoreRow(c + 2 * ldc, c20, c21, va, beta);
        StoreRow(c + 3 * ldc, c30, c31, va, beta);
        StoreRow(c + 4 * ldc, c40, c41, va, beta);
        StoreRow(c + 5 * ldc, c50, c51, va, beta);
        StoreRow(c + 6 * ldc, c60, c61, va, beta);
        StoreRow(c + 7 * ldc, c70, c71, va, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector512<float> lo, Vector512<float> hi, Vector512<float> alpha, float beta)
    {
        if (beta == 0f)
        {
            (lo * alpha).Store(c);
            (hi * alpha).Store(c + 16);
        }
        else
        {
            Vector512<float> vb = Vector512.Create(beta);
            Vector512.FusedMultiplyAdd(lo, alpha, Vector512.Load(c) * vb).Store(c);
            Vector512.FusedMultiplyAdd(hi, alpha, Vector512.Load(c + 16) * vb).Store(c + 16);
        }
    }
}


/// <summary>
/// AVX2 + FMA: 6 rows × 16 columns in 12 <see cref="Vector256{T}"/> accumulators; with the two B
/// vectors and one broadcast that is 15 of the 16 ymm registers, the classic Haswell shape.
/// </summary>
internal readonly unsafe struct Avx2Kernel6x16 : IGemmMicroKernel
{
    public static int Mr => 6;
    public static int Nr => 16;
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    /// <inheritdoc cref="IGemmMicroKernel.Run"/>
    public static void Run(int kc, float* a, float* b, float* c, int ldc, float alpha, float beta)
        => Tile(kc, a, 1, 6, b, c, ldc, alpha, beta);

    /// <inheritdoc cref="IGemmMicroKernel.RunRows"/>
    public static void RunRows(int kc, float* a, int lda, float* b, float* c, int ldc, float alpha, float beta)
        => Tile(kc, a, lda, 1, b, c, ldc, alpha, beta);

    /// <summary>The tile, with A's value of row i at step p read at <c>a[i · rowStep + p · kStep]</c>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile(int kc, float* a, long rowStep, long kStep, float* b, float* c, int ldc, float alpha, float beta)
    {
        float* a0 = a, a1 = a + rowStep, a2 = a + 2 * rowStep, a3 = a + 3 * rowStep, a4 = a + 4 * rowStep, a5 = a + 5 * rowStep;
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default, c50 = default, c51 = default;
        for (long p = 0, end = kc * kStep; p < end; p += kStep)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> ai = Vector256.Create(a0[p]);
            c00 = Fma.MultiplyAdd(ai, b0, c00);
            c01 = Fma.MultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a1[p]);
            c10 = Fma.MultiplyAdd(ai, b0, c10);
            c11 = Fma.MultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a2[p]);
            c20 = Fma.MultiplyAdd(ai, b0, c20);
            c21 = Fma.MultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a3[p]);
            c30 = Fma.MultiplyAdd(ai, b0, c30);
            c31 = Fma.MultiplyAdd(ai, b1, c31);
            ai = Vector256.Create(a4[p]);
            c40 = Fma.MultiplyAdd(ai, b0, c40);
            c41 = Fma.MultiplyAdd(ai, b1, c41);
            ai = Vector256.Create(a5[p]);
            c50 = Fma.MultiplyAdd(ai, b0, c50);
            c51 = Fma.MultiplyAdd(ai, b1, c51);
            b += 16;
        }

        Vector256<float> va = Vector256.Create(alpha);
        StoreRow(c, c00, c01, va, beta);
        StoreRow(c + ldc, c10, c11, va, beta);
        StoreRow(c + 2 * ldc, c20, c21, va, beta);
        StoreRow(c + 3 * ldc, c30, c31, va, beta);
        StoreRow(c + 4 * ldc, c40, c41, va, beta);
        StoreRow(c + 5 * ldc, c50, c51, va, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector256<float> lo, Vector256<float> hi, Vector256<float> alpha, float beta)
    {
        if (beta == 0f)
        {
            (lo * alpha).Store(c);
            (hi * alpha).Store(c + 8);
        }
        else
        {
            Vector256<float> vb = Vector256.Create(beta);
            Fma.MultiplyAdd(lo, alpha, Vector256.Load(c) * vb).Store(c);
            Fma.MultiplyAdd(hi, alpha, Vector256.Load(c + 8) * vb).Store(c + 8);
        }
    }
}

/// <summary>
/// Portable fallback: 4 rows × 2 <see cref="Vector{T}"/> columns (8 accumulators), correct on any
/// hardware (software vectors where SIMD is absent), used when neither AVX-512 nor AVX2 exists.
/// </summary>
internal readonly unsafe struct PortableKernel4xV2 : IGemmMicroKernel
{
    public static int Mr => 4;
    public static int Nr => 2 * Vector<float>.Count;
    public static bool IsSupported => true;

    /// <inheritdoc cref="IGemmMicroKernel.Run"/>
    public static void Run(int kc, float* a, float* b, float* c, int ldc, float alpha, float beta)
        => Tile(kc, a, 1, 4, b, c, ldc, alpha, beta);

    /// <inheritdoc cref="IGemmMicroKernel.RunRows"/>
    public static void RunRows(int kc, float* a, int lda, float* b, float* c, int ldc, float alpha, float beta)
        => Tile(kc, a, lda, 1, b, c, ldc, alpha, beta);

    /// <summary>The tile, with A's value of row i at step p read at <c>a[i · rowStep + p · kStep]</c>.</summary>
    private static void Tile(int kc, float* a, long rowStep, long kStep, float* b, float* c, int ldc, float alpha, float beta)
    {
        int w = Vector<float>.Count;
        float* a0 = a, a1 = a + rowStep, a2 = a + 2 * rowStep, a3 = a + 3 * rowStep;
        Vector<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector<float> c20 = default, c21 = default, c30 = default, c31 = default;
        for (long p = 0, end = kc * kStep; p < end; p += kStep)
        {
            Vector<float> b0 = Vector.Load(b);
            Vector<float> b1 = Vector.Load(b + w);
            c00 += new Vector<float>(a0[p]) * b0;
            c01 += new Vector<float>(a0[p]) * b1;
            c10 += new Vector<float>(a1[p]) * b0;
            c11 += new Vector<float>(a1[p]) * b1;
            c20 += new Vector<float>(a2[p]) * b0;
            c21 += new Vector<float>(a2[p]) * b1;
            c30 += new Vector<float>(a3[p]) * b0;
            c31 += new Vector<float>(a3[p]) * b1;
            b += 2 * w;
        }

        StoreRow(c, c00, c01, alpha, beta);
        StoreRow(c + ldc, c10, c11, alpha, beta);
        StoreRow(c + 2 * ldc, c20, c21, alpha, beta);
        StoreRow(c + 3 * ldc, c30, c31, alpha, beta);
    }

    private static void StoreRow(float* c, Vector<float> lo, Vector<float> hi, float alpha, float beta)
    {
        int w = Vector<float>.Count;
        if (beta == 0f)
        {
            (lo * alpha).Store(c);
            (hi * alpha).Store(c + w);
        }
        else
        {
            (lo * alpha + Vector.Load(c) * beta).Store(c);
            (hi * alpha + Vector.Load(c + w) * beta).Store(c + w);
        }
    }
}
