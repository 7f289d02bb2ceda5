using System.Diagnostics;

namespace Promptor.Tensors.Kernels;

// Dimension letters: R rows (N·C flattened), L input length, Lo output length, K window, S stride.

/// <summary>
/// 1-D max and average pooling over the last axis of (R, L), floor mode: window t covers
/// <c>[t·S, t·S + K)</c> and <c>Lo = ⌊(L − K) / S⌋ + 1</c>, so trailing elements that do not fill a
/// window are dropped. These loops are already the naive form, so there is no separate reference.
/// </summary>
internal static class PoolKernels
{
    /// <summary>
    /// y (R, Lo) = window maxima of x (R, L); <paramref name="argmax"/> (R, Lo) receives the flat
    /// index into x of each maximum (the first one on ties; NaN wins, as in PyTorch).
    /// </summary>
    public static void MaxForward(ReadOnlySpan<float> x, Span<float> y, Span<int> argmax, int rows, int l, int k, int s)
    {
        int lo = (l - k) / s + 1;
        DebugCheck(x, y, rows, l, lo);
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * l, l);
            var yr = y.Slice(r * lo, lo);
            var ar = argmax.Slice(r * lo, lo);
            for (int t = 0; t < lo; t++)
            {
                int start = t * s;
                int best = start;
                float bestV = xr[start];
                for (int j = start + 1; j < start + k; j++)
                {
                    // Branch-free select: on random data a branch here mispredicts half the time.
                    float v = xr[j];
                    bool better = v > bestV | (float.IsNaN(v) & !float.IsNaN(bestV));
                    best = better ? j : best;
                    bestV = better ? v : bestV;
                }
                yr[t] = bestV;
                ar[t] = r * l + best;
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
