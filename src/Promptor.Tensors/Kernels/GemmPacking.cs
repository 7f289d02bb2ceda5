using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Promptor.Tensors.Kernels;

/// <summary>
/// Copies blocks of A and B into the layout the micro-kernels stream through: strips of
/// <c>width</c> rows of op(A) (or columns of op(B)), each stored step by step along k as
/// <c>width</c> consecutive floats, zero-padded past the matrix edge so every tile is full.
/// All four transpose cases reduce to two moves: the strip is either contiguous in memory for
/// each k step (<see cref="PackCopy"/>) or contiguous along k for each row (<see cref="PackTranspose"/>).
/// </summary>
/// <remarks>
/// The packers are compiled fully optimized from the first call (<see cref="MethodImplOptions.AggressiveOptimization"/>):
/// a tier-0 copy is several times slower, and on a busy machine the background tier-up can take seconds.
/// </remarks>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs <paramref name="count"/> lines of <paramref name="kc"/> values where line <c>i</c>
    /// step <c>p</c> sits at <c>src[p · ld + i]</c> (the strip is contiguous at each step).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackCopy(float* src, int ld, int count, int kc, int width, float* dst)
    {
        for (int s = 0; s < count; s += width, dst += kc * width)
        {
            int valid = Math.Min(width, count - s);
            float* from = src + s;
            if (valid == width && width % 8 == 0 && Vector256.IsHardwareAccelerated)
            {
                // A full strip is just kc short contiguous copies.
                for (int p = 0; p < kc; p++, from += ld)
                {
                    float* to = dst + p * width;
                    for (int j = 0; j < width; j += 8)
                    {
                        Vector256.Store(Vector256.Load(from + j), to + j);
                    }
                }
            }
            else
            {
                for (int p = 0; p < kc; p++, from += ld)
                {
                    float* to = dst + p * width;
                    int j = 0;
                    for (; j < valid; j++)
                    {
                        to[j] = from[j];
                    }

                    for (; j < width; j++)
                    {
                        to[j] = 0f;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs <paramref name="count"/> lines of <paramref name="kc"/> values where line <c>i</c>
    /// step <c>p</c> sits at <c>src[i · ld + p]</c> (each line is contiguous along k).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackTranspose(float* src, int ld, int count, int kc, int width, float* dst)
    {
        for (int s = 0; s < count; s += width, dst += kc * width)
        {
            int valid = Math.Min(width, count - s);
            float* from = src + (long)s * ld;
            int p = 0;
            if (valid == width && width % 8 == 0 && Avx.IsSupported)
            {
                // 8×8 register transposes turn 8 row loads into 8 k-step stores, instead of
                // 64 scalar gathers; this keeps packing A (non-transposed) off the profile.
                for (; p + 8 <= kc; p += 8)
                {
                    for (int g = 0; g < width; g += 8)
                    {
                        Transpose8x8(from + (long)g * ld + p, ld, dst + p * width + g, width);
                    }
                }
            }

            for (; p < kc; p++)
            {
                float* to = dst + p * width;
                int i = 0;
                for (; i < valid; i++)
                {
                    to[i] = from[(long)i * ld + p];
                }

                for (; i < width; i++)
                {
                    to[i] = 0f;
                }
            }
        }
    }

    /// <summary>Reads 8 rows of 8 floats (row stride <paramref name="ld"/>) and writes them transposed (row stride <paramref name="ldDst"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, int ld, float* dst, int ldDst)
    {
        Vector256<float> r0 = Avx.LoadVector256(src);
        Vector256<float> r1 = Avx.LoadVector256(src + ld);
        Vector256<float> r2 = Avx.LoadVector256(src + 2L * ld);
        Vector256<float> r3 = Avx.LoadVector256(src + 3L * ld);
        Vector256<float> r4 = Avx.LoadVector256(src + 4L * ld);
        Vector256<float> r5 = Avx.LoadVector256(src + 5L * ld);
        Vector256<float> r6 = Avx.LoadVector256(src + 6L * ld);
        Vector256<float> r7 = Avx.LoadVector256(src + 7L * ld);

        // Interleave pairs of rows, then pairs of pairs, then swap 128-bit halves.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);

        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + ldDst, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * ldDst, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * ldDst, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * ldDst, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * ldDst, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * ldDst, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * ldDst, Avx.Permute2x128(u3, u7, 0x31));
    }
}
