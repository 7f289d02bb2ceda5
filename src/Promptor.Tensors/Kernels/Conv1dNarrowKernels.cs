using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Promptor.Tensors.Kernels;

// Dimension letters as in Conv1dKernels: N batch, Cin input channels, Cout output channels,
// L input length, Lo output length, K taps, D dilation.

/// <summary>
/// Direct 1-D convolution for narrow inputs: few input channels times taps (one-hot DNA has 4
/// channels, so a first layer of 15 taps is only 60 deep), stride 1. Lowering such a layer to GEMM
/// unfolds a <c>(Cin·K, Lo)</c> matrix per sample and scatters a wide output for a product only
/// Cin·K deep, so the memory passes cost more than the arithmetic. Here each pass keeps 8 output
/// channels × 16 positions in registers: per tap, one load of the zero-padded input row and 8 fused
/// multiply-adds with broadcast weights; the bias is added on the store. Work is spread over the
/// cores by (sample, channel block). <see cref="Conv1dKernels.ForwardReference"/> is the oracle.
/// </summary>
internal static class Conv1dNarrowKernels
{
    /// <summary>The deepest patch (Cin·K) this kernel takes; deeper layers are GEMM-sized.</summary>
    public const int MaxPatch = 64;

    private const int Channels = 8;
    private const int Lanes = 16;

    /// <summary>Whether <see cref="Forward"/> takes this geometry.</summary>
    public static bool Supports(in Conv1dGeometry g)
        => Vector512.IsHardwareAccelerated && g.Stride == 1 && g.Patch <= MaxPatch && g.LOut > 0 && g.N > 0;

    /// <summary>y (N, Cout, Lo) = conv(x (N, Cin, L), weight (Cout, Cin, K)) + bias (Cout; null for none). Overwrites y.</summary>
    public static void Forward(float[] x, float[] weight, float[]? bias, float[] y, Conv1dGeometry g)
        => Run(x, weight, bias, y, g, pool: 0);

    /// <summary>
    /// y (N, Cout, P) = relu(maxpool(conv(x) + bias)) with windows of <paramref name="pool"/> positions
    /// and stride <paramref name="pool"/>, P = ⌊(Lo − pool)/pool⌋ + 1 (as <see cref="Ops.MaxPool1d"/>):
    /// each block's convolution rows stay in a small scratch and only the pooled, rectified values are
    /// written. Overwrites y.
    /// </summary>
    public static void ForwardPoolRelu(float[] x, float[] weight, float[]? bias, float[] y, Conv1dGeometry g, int pool)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pool, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(g.LOut, pool);
        Run(x, weight, bias, y, g, pool);
    }

    /// <summary>The pooled output length of <see cref="ForwardPoolRelu"/>.</summary>
    public static int PooledLength(in Conv1dGeometry g, int pool) => (g.LOut - pool) / pool + 1;

    private static unsafe void Run(float[] x, float[] weight, float[]? bias, float[] y, Conv1dGeometry g, int pool)
    {
        int lo = g.LOut, patch = g.Patch, blocks = (g.Cout + Channels - 1) / Channels;
        int loPadded = (lo + Lanes - 1) / Lanes * Lanes;
        int width = loPadded + (g.K - 1) * g.Dilation;                      // padded input row
        int pooled = pool > 0 ? PooledLength(g, pool) : 0;
        // Weights per channel block, tap-major: packed[(block·patch + p)·8 + c] = W[block·8 + c, p].
        var packed = new float[blocks * patch * Channels];
        for (int co = 0; co < g.Cout; co++)
        {
            for (int p = 0; p < patch; p++)
            {
                packed[((co / Channels) * patch + p) * Channels + co % Channels] = weight[co * patch + p];
            }
        }
        int rowsScratch = pool > 0 ? Channels * loPadded : 0;
        LinearInferenceKernels.ForRows(g.N * blocks, Channels * lo, (start, count) =>
        {
            float[] scratch = ArrayPool<float>.Shared.Rent(g.Cin * width + Channels * Lanes + rowsScratch);
            try
            {
                int sample = -1;
                for (int item = start; item < start + count; item++)
                {
                    int n = item / blocks, block = item % blocks;
                    int rows = Math.Min(Channels, g.Cout - block * Channels);
                    if (n != sample)
                    {
                        PadSample(x.AsSpan(n * g.Cin * g.L, g.Cin * g.L), scratch.AsSpan(0, g.Cin * width), width, g);
                        sample = n;
                    }
                    fixed (float* xp = scratch, wp = packed, yp = y)
                    {
                        float* tail = xp + g.Cin * width, convRows = tail + Channels * Lanes;
                        float* w = wp + (long)block * patch * Channels;
                        if (pool == 0)
                        {
                            Block(xp, width, w, yp + ((long)n * g.Cout + block * Channels) * lo, lo, rows, lo, bias, block * Channels, g, tail);
                            continue;
                        }
                        Block(xp, width, w, convRows, loPadded, rows, lo, bias, block * Channels, g, tail);
                        for (int c = 0; c < rows; c++)
                        {
                            var output = new Span<float>(yp + ((long)n * g.Cout + block * Channels + c) * pooled, pooled);
                            PoolKernels.MaxForwardInference(new ReadOnlySpan<float>(convRows + (long)c * loPadded, lo), output, 1, lo, pool, pool);
                            TensorPrimitives.Max(output, 0f, output);
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        });
    }

    /// <summary>xp (Cin, width): xp[ci, u] = x[ci, u − PadLeft] inside x, zero elsewhere.</summary>
    private static void PadSample(ReadOnlySpan<float> xn, Span<float> xp, int width, in Conv1dGeometry g)
    {
        xp.Clear();
        for (int ci = 0; ci < g.Cin; ci++)
        {
            int first = Math.Max(0, g.PadLeft);
            int count = Math.Min(g.L - Math.Max(0, -g.PadLeft), width - first);
            if (count > 0)
            {
                xn.Slice(ci * g.L + Math.Max(0, -g.PadLeft), count).CopyTo(xp.Slice(ci * width + first, count));
            }
        }
    }

    /// <summary>
    /// Up to 8 output channels (<paramref name="rows"/>) of one sample, all <paramref name="lo"/>
    /// positions, into yRows with row stride <paramref name="stride"/> (at least Lo; a stride that
    /// holds whole vectors takes every store directly); <paramref name="tail"/> holds 16 floats for
    /// a last partial vector.
    /// </summary>
    private static unsafe void Block(float* xp, int width, float* w, float* yRows, int stride, int rows, int lo, float[]? bias, int firstChannel,
        in Conv1dGeometry g, float* tail)
    {
        Span<float> b = stackalloc float[Channels];
        for (int c = 0; c < rows; c++)
        {
            b[c] = bias is null ? 0f : bias[firstChannel + c];
        }
        int taps = g.K, dilation = g.Dilation;
        for (int t0 = 0; t0 < lo; t0 += Lanes)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            float* wk = w;
            for (int ci = 0; ci < g.Cin; ci++)
            {
                float* row = xp + ci * width + t0;
                for (int k = 0; k < taps; k++, wk += Channels)
                {
                    var xv = Vector512.Load(row + k * dilation);
                    a0 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[0]), xv, a0);
                    a1 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[1]), xv, a1);
                    a2 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[2]), xv, a2);
                    a3 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[3]), xv, a3);
                    a4 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[4]), xv, a4);
                    a5 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[5]), xv, a5);
                    a6 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[6]), xv, a6);
                    a7 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[7]), xv, a7);
                }
            }
            Span<Vector512<float>> sums = [a0, a1, a2, a3, a4, a5, a6, a7];
            bool whole = t0 + Lanes <= stride;
            for (int c = 0; c < rows; c++)
            {
                var value = sums[c] + Vector512.Create(b[c]);
                if (whole)
                {
                    value.Store(yRows + (long)c * stride + t0);
                }
                else
                {
                    value.Store(tail);
                    new ReadOnlySpan<float>(tail, lo - t0).CopyTo(new Span<float>(yRows + (long)c * stride + t0, lo - t0));
                }
            }
        }
    }
}
