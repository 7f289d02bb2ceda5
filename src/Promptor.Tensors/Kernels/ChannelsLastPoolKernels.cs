using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Promptor.Tensors.Kernels;

/// <summary>
/// Max pooling over the positions of a channels-last tensor <c>(N, L, C)</c>: windows of k
/// positions every k (floor mode), each channel on its own; the first maximum on ties, NaN wins
/// (as <see cref="PoolKernels"/>).
/// </summary>
internal static class ChannelsLastPoolKernels
{
    /// <summary>y <c>(N, ⌊L/k⌋, C)</c> and, per output, the flat index of its maximum in x.</summary>
    public static void MaxForward(ReadOnlySpan<float> x, Span<float> y, Span<int> argmax, int n, int l, int c, int k)
    {
        int lo = l / k;
        Debug.Assert(x.Length >= n * l * c && y.Length >= n * lo * c && argmax.Length >= n * lo * c);
        for (int b = 0; b < n; b++)
        {
            for (int p = 0; p < lo; p++)
            {
                int start = (b * l + p * k) * c, output = (b * lo + p) * c;
                int ch = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    var lane = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
                    for (; ch + 8 <= c; ch += 8)
                    {
                        var best = Vector256.Create(x.Slice(start + ch, 8));
                        var bestIndex = lane + Vector256.Create(start + ch);
                        for (int j = 1; j < k; j++)
                        {
                            var v = Vector256.Create(x.Slice(start + j * c + ch, 8));
                            var better = Vector256.GreaterThan(v, best)
                                | Vector256.AndNot(Vector256.Equals(best, best), Vector256.Equals(v, v));
                            best = Vector256.ConditionalSelect(better, v, best);
                            bestIndex = Vector256.ConditionalSelect(better.AsInt32(), lane + Vector256.Create(start + j * c + ch), bestIndex);
                        }
                        best.CopyTo(y.Slice(output + ch, 8));
                        bestIndex.CopyTo(argmax.Slice(output + ch, 8));
                    }
                }
                for (; ch < c; ch++)
                {
                    (y[output + ch], argmax[output + ch]) = ScalarMax(x, start + ch, c, k);
                }
            }
        }
    }

    /// <summary>The scalar form of <see cref="MaxForward"/>: the reference its vector path is tested against.</summary>
    public static void MaxForwardReference(ReadOnlySpan<float> x, Span<float> y, Span<int> argmax, int n, int l, int c, int k)
    {
        int lo = l / k;
        for (int b = 0; b < n; b++)
        {
            for (int p = 0; p < lo; p++)
            {
                for (int ch = 0; ch < c; ch++)
                {
                    (y[(b * lo + p) * c + ch], argmax[(b * lo + p) * c + ch]) = ScalarMax(x, (b * l + p * k) * c + ch, c, k);
                }
            }
        }
    }

    /// <summary>Pooled values only, for inference.</summary>
    public static void MaxForwardInference(ReadOnlySpan<float> x, Span<float> y, int n, int l, int c, int k)
    {
        int lo = l / k;
        for (int b = 0; b < n; b++)
        {
            for (int p = 0; p < lo; p++)
            {
                var dst = y.Slice((b * lo + p) * c, c);
                int start = (b * l + p * k) * c;
                x.Slice(start, c).CopyTo(dst);
                for (int j = 1; j < k; j++)
                {
                    TensorPrimitives.Max(dst, x.Slice(start + j * c, c), dst);
                }
            }
        }
    }

    /// <summary>dx[argmax[i]] += dy[i].</summary>
    public static void MaxBackward(ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, Span<float> dx)
    {
        for (int i = 0; i < dy.Length; i++)
        {
            dx[argmax[i]] += dy[i];
        }
    }

    /// <summary>The maximum of <c>x[first + j·step]</c>, j &lt; k, and its index in x: the first on ties, NaN wins.</summary>
    internal static (float Value, int Index) ScalarMax(ReadOnlySpan<float> x, int first, int step, int k)
    {
        int best = first;
        float bestV = x[first];
        for (int j = 1; j < k; j++)
        {
            float v = x[first + j * step];
            if (v > bestV || (float.IsNaN(v) && !float.IsNaN(bestV)))
            {
                (best, bestV) = (first + j * step, v);
            }
        }
        return (bestV, best);
    }
}
