using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Promptor.Tensors.Kernels;

// Dimension letters: R rows (N·C flattened), L input length, Lo output length, K window, S stride.

/// <summary>
/// 1-D max and average pooling over the last axis of (R, L), floor mode: window t covers
/// <c>[t·S, t·S + K)</c> and <c>Lo = ⌊(L − K) / S⌋ + 1</c>, so trailing elements that do not fill a
/// window are dropped. The max pool's vector paths have a scalar reference beside them; the other
/// loops are already the naive form.
/// </summary>
internal static class PoolKernels
{
    /// <summary>
    /// y (R, Lo) = window maxima of x (R, L); <paramref name="argmax"/> (R, Lo) receives the flat
    /// index into x of each maximum (the first one on ties; NaN wins, as in PyTorch). With AVX2,
    /// eight windows at a time: tap j of windows t..t+7 is one gather at stride S, and a vector
    /// compare selects both the value and its index, so no data-dependent branch is taken.
    /// Equals <see cref="MaxForwardReference"/> exactly.
    /// </summary>
    public static unsafe void MaxForward(ReadOnlySpan<float> x, Span<float> y, Span<int> argmax, int rows, int l, int k, int s)
    {
        int lo = (l - k) / s + 1;
        DebugCheck(x, y, rows, l, lo);
        Debug.Assert(argmax.Length >= rows * lo);
        const int lanes = 8;
        var steps = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * s;
        fixed (float* xp = x, yp = y)
        fixed (int* ap = argmax)
        {
            for (int r = 0; r < rows; r++)
            {
                float* xr = xp + (long)r * l;
                float* yr = yp + (long)r * lo;
                int* ar = ap + (long)r * lo;
                int t = 0;
                if (Avx2.IsSupported)
                {
                    for (; t + lanes <= lo; t += lanes)
                    {
                        float* start = xr + (long)t * s;
                        var index = Vector256.Create(r * l + t * s) + steps;
                        var best = Avx2.GatherVector256(start, steps, 4);
                        var bestIndex = index;
                        for (int j = 1; j < k; j++)
                        {
                            var v = Avx2.GatherVector256(start + j, steps, 4);
                            // v > best, or v is NaN and best is not (NaN compares false with everything).
                            var better = Vector256.GreaterThan(v, best)
                                | Vector256.AndNot(Vector256.Equals(best, best), Vector256.Equals(v, v));
                            best = Vector256.ConditionalSelect(better, v, best);
                            bestIndex = Vector256.ConditionalSelect(better.AsInt32(), index + Vector256.Create(j), bestIndex);
                        }
                        best.Store(yr + t);
                        bestIndex.Store(ar + t);
                    }
                }
                for (; t < lo; t++)
                {
                    (yr[t], ar[t]) = WindowMax(new ReadOnlySpan<float>(xr, l), t * s, k);
                    ar[t] += r * l;
                }
            }
        }
    }

    /// <summary>The scalar form of <see cref="MaxForward"/>, one window at a time: the reference its vector path is tested against.</summary>
    public static void MaxForwardReference(ReadOnlySpan<float> x, Span<float> y, Span<int> argmax, int rows, int l, int k, int s)
    {
        int lo = (l - k) / s + 1;
        DebugCheck(x, y, rows, l, lo);
        for (int r = 0; r < rows; r++)
        {
            for (int t = 0; t < lo; t++)
            {
                (y[r * lo + t], argmax[r * lo + t]) = WindowMax(x.Slice(r * l, l), t * s, k);
                argmax[r * lo + t] += r * l;
            }
        }
    }

    /// <summary>Maximum of <c>row[start .. start + k)</c> and its index in the row: the first on ties, NaN wins.</summary>
    private static (float Value, int Index) WindowMax(ReadOnlySpan<float> row, int start, int k)
    {
        int best = start;
        float bestV = row[start];
        for (int j = start + 1; j < start + k; j++)
        {
            // Branch-free select: on random data a branch here mispredicts half the time.
            float v = row[j];
            bool better = v > bestV | (float.IsNaN(v) & !float.IsNaN(bestV));
            best = better ? j : best;
            bestV = better ? v : bestV;
        }
        return (bestV, best);
    }

    /// <summary>
    /// y (R, Lo) = window maxima of x (R, L) without recording where they are, for inference (same
    /// values as <see cref="MaxForward"/>, NaN wins); no index array is written. With AVX2, eight
    /// windows at a time: tap j of windows t..t+7 is one gather at stride S, and a vector maximum
    /// folds the taps. A compare-and-select per element, as in <see cref="MaxForward"/>, is data
    /// dependent and mispredicts on about every other element.
    /// </summary>
    public static unsafe void MaxForwardInference(ReadOnlySpan<float> x, Span<float> y, int rows, int l, int k, int s)
    {
        int lo = (l - k) / s + 1;
        DebugCheck(x, y, rows, l, lo);
        const int lanes = 8;
        var steps = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * s;
        fixed (float* xp = x, yp = y)
        {
            for (int r = 0; r < rows; r++)
            {
                float* xr = xp + (long)r * l;
                float* yr = yp + (long)r * lo;
                int t = 0;
                if (Avx2.IsSupported)
                {
                    for (; t + lanes <= lo; t += lanes)
                    {
                        float* start = xr + (long)t * s;
                        var best = Avx2.GatherVector256(start, steps, 4);
                        for (int j = 1; j < k; j++)
                        {
                            best = Vector256.Max(best, Avx2.GatherVector256(start + j, steps, 4));
                        }
                        best.Store(yr + t);
                    }
                }
                for (; t < lo; t++)
                {
                    float* window = xr + (long)t * s;
                    float best = window[0];
                    for (int j = 1; j < k; j++)
                    {
                        best = MathF.Max(best, window[j]);
                    }
                    yr[t] = best;
                }
            }
        }
    }

    /// <summary>dx[argmax[i]] += dy[i]: each window's gradient goes to its maximum only.</summary>
    public static void MaxBackward(ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, Span<float> dx)
    {
        for (int i = 0; i < dy.Length; i++)
        {
            dx[argmax[i]] += dy[i];
        }
    }

    /// <summary>y (R, Lo) = window means of x (R, L).</summary>
    public static void AvgForward(ReadOnlySpan<float> x, Span<float> y, int rows, int l, int k, int s)
    {
        int lo = (l - k) / s + 1;
        DebugCheck(x, y, rows, l, lo);
        float inv = 1f / k;
        for (int r = 0; r < rows; r++)
        {
            // Scalar sums: windows are a few elements, too short for a vectorised call to pay off.
            var xr = x.Slice(r * l, l);
            var yr = y.Slice(r * lo, lo);
            for (int t = 0; t < lo; t++)
            {
                var window = xr.Slice(t * s, k);
                float sum = 0f;
                for (int j = 0; j < window.Length; j++)
                {
                    sum += window[j];
                }
                yr[t] = sum * inv;
            }
        }
    }

    /// <summary>dx (R, L) += dy / K spread over each window of x.</summary>
    public static void AvgBackward(ReadOnlySpan<float> dy, Span<float> dx, int rows, int l, int k, int s)
    {
        int lo = (l - k) / s + 1;
        DebugCheck(dx, dy, rows, l, lo);
        float inv = 1f / k;
        for (int r = 0; r < rows; r++)
        {
            var dxr = dx.Slice(r * l, l);
            var dyr = dy.Slice(r * lo, lo);
            for (int t = 0; t < lo; t++)
            {
                var window = dxr.Slice(t * s, k);
                float g = dyr[t] * inv;
                for (int j = 0; j < window.Length; j++)
                {
                    window[j] += g;
                }
            }
        }
    }

    [Conditional("DEBUG")]
    private static void DebugCheck(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int rows, int l, int lo)
    {
        Debug.Assert(x.Length == rows * l, "x length does not match (R, L)");
        Debug.Assert(y.Length == rows * lo, "y length does not match (R, Lo)");
    }
}
