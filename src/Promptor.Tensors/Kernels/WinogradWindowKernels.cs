using System.Buffers;
using System.Runtime.Intrinsics;

namespace Promptor.Tensors.Kernels;

/// <summary>
/// The window products of the channels-last convolutions (<see cref="Conv1dWindowKernels"/>) by
/// Winograd's minimal filtering F(3, 3): 5 multiplications give 3 outputs of a 3-tap filter, against
/// 9 for the direct product. A filter of K taps is cut into S = ⌈K/3⌉ segments of 3 taps (zero taps
/// pad the last one); output tile j (positions 3j … 3j+2) is the sum over segments s of F(3, 3)
/// applied to input tile j + s (positions 3(j+s) … 3(j+s)+4). Because tiles and segments share the
/// step 3, each input tile is transformed once and read by S output tiles, so in the transformed
/// domain the convolution is again a window product, one per transform point ξ:
/// <c>M_ξ[j] = Σ_s V_ξ[j+s] · U_ξ[s]</c> — five window GEMMs over rows of S·Cin instead of one over
/// rows of K·Cin, 5·S/(3·K) of the multiply-adds (5/9 at K = 9).
/// </summary>
/// <remarks>
/// <para>
/// Transforms on the points 0, 1, −1, 2, ∞ (Lavin and Gray, "Fast Algorithms for Convolutional
/// Neural Networks", 2016, written here for correlation): input tile d (5 positions) →
/// <c>V = Bᵀ d</c>; filter segment g (3 taps) → <c>U = G g</c>; output tile <c>y = Aᵀ (U ⊙ V)</c>.
/// Every transform is applied per channel; the sums over channels stay inside the GEMMs.
/// </para>
/// <para>
/// The weight gradient is the transposed chain: <c>dM_ξ[j] = (A dy_j)_ξ</c>,
/// <c>dU_ξ[s] = Σ_j V_ξ[j+s]ᵀ dM_ξ[j]</c> (a transposed window GEMM), <c>dg = Gᵀ dU</c>.
/// </para>
/// <para>
/// Rounding: the transforms add a few float roundings per product; against a double oracle the
/// error is about three times the direct product's (≈ 4·10⁻⁷ of a unit-scale output at Cin = 128,
/// K = 9). Oracle: the direct window product, <see cref="Gemm.MultiplyOverlapping"/>.
/// </para>
/// </remarks>
internal static class WinogradWindowKernels
{
    /// <summary>Outputs per tile (and taps per filter segment).</summary>
    public const int Step = 3;

    /// <summary>Transform points per tile: Step + 3 − 1.</summary>
    public const int Points = 5;

    /// <summary>Input tile → transformed tile, <c>V_ξ = Σ_e Bᵀ[ξ, e] d_e</c>.</summary>
    private static readonly float[] InputTransform =
    [
        1f, -0.5f, -1f, 0.5f, 0f,
        0f, 1f, 0.5f, -0.5f, 0f,
        0f, -1f / 3f, 0.5f, -1f / 6f, 0f,
        0f, -1f / 6f, 0f, 1f / 6f, 0f,
        0f, 2f, -1f, -2f, 1f,
    ];

    /// <summary>Filter segment → transformed filter, <c>U_ξ = Σ_v G[ξ, v] g_v</c> (5 × 3).</summary>
    private static readonly float[] FilterTransform =
    [
        1f, 0f, 0f,
        1f, 1f, 1f,
        1f, -1f, 1f,
        1f, 2f, 4f,
        0f, 0f, 1f,
    ];

    /// <summary>Transformed products → output tile, <c>y_u = Σ_ξ Aᵀ[u, ξ] M_ξ</c> (3 × 5).</summary>
    private static readonly float[] OutputTransform =
    [
        1f, 1f, 1f, 1f, 0f,
        0f, 1f, -1f, 2f, 0f,
        0f, 1f, 1f, 4f, 1f,
    ];

    /// <summary>Whether window products run by Winograd where <see cref="Worthwhile"/> (a switch for benchmarks; on by default).</summary>
    internal static bool Enabled = true;

    /// <summary>Filter segments of 3 taps for a K-tap filter.</summary>
    public static int Segments(int taps) => (taps + Step - 1) / Step;

    /// <summary>
    /// Whether Winograd pays for a window product of <paramref name="taps"/> taps from
    /// <paramref name="inChannels"/> to <paramref name="outChannels"/> channels: it must save at
    /// least a fifth of the multiply-adds (5·S ≤ 2·K: K = 3, 5, 6, 8, 9, 11, 12, 14, 15, …), and
    /// its GEMMs must stay wide enough to run near the kernel's speed.
    /// </summary>
    public static bool Worthwhile(int taps, int inChannels, int outChannels)
        => Enabled && taps >= Step && Points * Segments(taps) <= 2 * taps
           && inChannels >= 16 && outChannels >= 16 && Segments(taps) * inChannels >= 64;

    /// <summary>
    /// <c>output[r, :] = Σ_k input[r + k, :] · weight[k·Cin … (k+1)·Cin − 1, :]</c> for rows
    /// <c>r &lt; rows</c>: the window product <c>Gemm.MultiplyOverlapping(false, false, rows, Cout,
    /// K·Cin, 1, input, Cin, weight, Cout, 0, output, Cout)</c>, through Winograd when
    /// <see cref="Worthwhile"/>. input: at least <c>(rows + K − 1) · Cin</c> floats; weight
    /// <c>(K·Cin, Cout)</c>; output <c>(rows, Cout)</c>, overwritten.
    /// </summary>
    public static void Product(ReadOnlySpan<float> input, int inChannels, ReadOnlySpan<float> weight, int taps,
        int outChannels, int rows, Span<float> output)
    {
        if (!Worthwhile(taps, inChannels, outChannels))
        {
            Gemm.MultiplyOverlapping(false, false, rows, outChannels, taps * inChannels, 1f,
                input, inChannels, weight, outChannels, 0f, output, outChannels);
            return;
        }

        int segments = Segments(taps), tiles = CeilDiv(rows, Step), inputTiles = tiles + segments - 1;
        int depth = segments * inChannels;
        float[] filters = ArrayPool<float>.Shared.Rent(Points * depth * outChannels);
        float[] transformed = ArrayPool<float>.Shared.Rent(Points * inputTiles * inChannels);
        float[] products = ArrayPool<float>.Shared.Rent(Points * tiles * outChannels);
        try
        {
            TransformFilters(weight, taps, inChannels, outChannels, filters);
            TransformInput(input[..((rows + taps - 1) * inChannels)], inChannels, inputTiles, transformed);
            for (int point = 0; point < Points; point++)
            {
                Gemm.MultiplyOverlapping(false, false, tiles, outChannels, depth, 1f,
                    transformed.AsSpan(point * inputTiles * inChannels, inputTiles * inChannels), inChannels,
                    filters.AsSpan(point * depth * outChannels, depth * outChannels), outChannels,
                    0f, products.AsSpan(point * tiles * outChannels, tiles * outChannels), outChannels);
            }
            TransformOutput(products, tiles, outChannels, rows, output);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(filters);
            ArrayPool<float>.Shared.Return(transformed);
            ArrayPool<float>.Shared.Return(products);
        }
    }

    /// <summary>
    /// The weight gradient of <see cref="Product"/>: <c>weightGrad[k·Cin + ci, co] = Σ_r input[r + k, ci]
    /// · outputGrad[r, co]</c> over <c>r &lt; rows</c>, i.e. <c>Gemm.MultiplyOverlapping(true, false, K·Cin,
    /// Cout, rows, 1, input, Cin, outputGrad, Cout, beta, weightGrad, Cout)</c>: written when
    /// <paramref name="beta"/> is 0, added to when it is 1.
    /// </summary>
    public static void WeightGradient(ReadOnlySpan<float> input, int inChannels, ReadOnlySpan<float> outputGrad,
        int taps, int outChannels, int rows, float beta, Span<float> weightGrad)
    {
        if (!Worthwhile(taps, inChannels, outChannels))
        {
            Gemm.MultiplyOverlapping(true, false, taps * inChannels, outChannels, rows, 1f,
                input, inChannels, outputGrad, outChannels, beta, weightGrad, outChannels);
            return;
        }

        int segments = Segments(taps), tiles = CeilDiv(rows, Step), inputTiles = tiles + segments - 1;
        int depth = segments * inChannels;
        float[] transformed = ArrayPool<float>.Shared.Rent(Points * inputTiles * inChannels);
        float[] gradients = ArrayPool<float>.Shared.Rent(Points * tiles * outChannels);
        float[] filterGrads = ArrayPool<float>.Shared.Rent(Points * depth * outChannels);
        try
        {
            TransformInput(input[..((rows + taps - 1) * inChannels)], inChannels, inputTiles, transformed);
            TransformOutputGradient(outputGrad[..(rows * outChannels)], outChannels, tiles, gradients);
            for (int point = 0; point < Points; point++)
            {
                // dU_ξ = Σ_j (window j of V_ξ, S·Cin wide)ᵀ · dM_ξ[j]: the windows transposed times dM_ξ.
                Gemm.MultiplyOverlapping(true, false, depth, outChannels, tiles, 1f,
                    transformed.AsSpan(point * inputTiles * inChannels, inputTiles * inChannels), inChannels,
                    gradients.AsSpan(point * tiles * outChannels, tiles * outChannels), outChannels,
                    0f, filterGrads.AsSpan(point * depth * outChannels, depth * outChannels), outChannels);
            }
            TransformFilterGradient(filterGrads, taps, inChannels, outChannels, beta, weightGrad);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(transformed);
            ArrayPool<float>.Shared.Return(gradients);
            ArrayPool<float>.Shared.Return(filterGrads);
        }
    }

    /// <summary>
    /// weight <c>(K·Cin, Cout)</c> → U <c>(5, S·Cin, Cout)</c>: <c>U_ξ[s·Cin + ci] = Σ_v G[ξ, v]
    /// W[(3s + v)·Cin + ci]</c>, taps past K read as zero.
    /// </summary>
    private static void TransformFilters(ReadOnlySpan<float> weight, int taps, int inChannels, int outChannels, float[] filters)
    {
        int segments = Segments(taps), width = inChannels * outChannels, depth = segments * width;
        Array.Clear(filters, 0, Points * depth);
        for (int point = 0; point < Points; point++)
        {
            for (int tap = 0; tap < taps; tap++)
            {
                float g = FilterTransform[point * Step + tap % Step];
                if (g == 0f)
                {
                    continue;
                }
                var to = filters.AsSpan(point * depth + tap / Step * width, width);
                MultiplyAdd(weight.Slice(tap * width, width), g, to);
            }
        }
    }

    /// <summary>
    /// dU <c>(5, S·Cin, Cout)</c> → weight gradient <c>(K·Cin, Cout)</c>: <c>dW[(3s + v)·Cin + ci] (+)=
    /// Σ_ξ G[ξ, v] dU_ξ[s·Cin + ci]</c>.
    /// </summary>
    private static void TransformFilterGradient(float[] filterGrads, int taps, int inChannels, int outChannels, float beta, Span<float> weightGrad)
    {
        int segments = Segments(taps), width = inChannels * outChannels, depth = segments * width;
        for (int tap = 0; tap < taps; tap++)
        {
            var to = weightGrad.Slice(tap * width, width);
            if (beta == 0f)
            {
                to.Clear();
            }
            for (int point = 0; point < Points; point++)
            {
                float g = FilterTransform[point * Step + tap % Step];
                if (g != 0f)
                {
                    MultiplyAdd(filterGrads.AsSpan(point * depth + tap / Step * width, width), g, to);
                }
            }
        }
    }

    /// <summary>
    /// input rows → V <c>(5, tiles, Cin)</c>: tile i reads rows 3i … 3i+4 (rows past the input read
    /// as zero), <c>V_ξ[i] = Σ_e Bᵀ[ξ, e] d[3i + e]</c>. Runs over tile blocks on the cores.
    /// </summary>
    private static unsafe void TransformInput(ReadOnlySpan<float> input, int channels, int tiles, float[] transformed)
    {
        int rows = input.Length / channels;
        long plane = (long)tiles * channels;
        fixed (float* source = input, target = transformed)
        {
            float* from = source, to = target;
            LinearInferenceKernels.ForRows(tiles, Points * channels, (start, count) =>
            {
                for (int i = start; i < start + count; i++)
                {
                    int first = Step * i, available = Math.Clamp(rows - first, 0, Points);
                    float* d = from + (long)first * channels, v = to + (long)i * channels;
                    int c = 0;
                    if (Vector512.IsHardwareAccelerated && available == Points)
                    {
                        var half = Vector512.Create(0.5f);
                        var third = Vector512.Create(1f / 3f);
                        var sixth = Vector512.Create(1f / 6f);
                        for (; c + 16 <= channels; c += 16)
                        {
                            var d0 = Vector512.Load(d + c);
                            var d1 = Vector512.Load(d + channels + c);
                            var d2 = Vector512.Load(d + 2 * channels + c);
                            var d3 = Vector512.Load(d + 3 * channels + c);
                            var d4 = Vector512.Load(d + 4 * channels + c);
                            var d13 = d1 - d3;
                            (d0 - d2 - half * d13).Store(v + c);                                    // d0 − d1/2 − d2 + d3/2
                            Vector512.FusedMultiplyAdd(half, d2 - d3, d1).Store(v + plane + c);   // d1 + d2/2 − d3/2
                            Vector512.FusedMultiplyAdd(half, d2, -(third * d1) - sixth * d3).Store(v + 2 * plane + c);
                            (-(sixth * d13)).Store(v + 3 * plane + c);                              // (d3 − d1)/6
                            Vector512.FusedMultiplyAdd(Vector512.Create(2f), d13, d4 - d2).Store(v + 4 * plane + c);
                        }
                    }
                    for (; c < channels; c++)
                    {
                        for (int point = 0; point < Points; point++)
                        {
                            float sum = 0f;
                            for (int e = 0; e < available; e++)
                            {
                                sum = MathF.FusedMultiplyAdd(InputTransform[point * Points + e], d[(long)e * channels + c], sum);
                            }
                            v[point * plane + c] = sum;
                        }
                    }
                }
            });
        }
    }

    /// <summary>M <c>(5, tiles, Cout)</c> → output rows: <c>y[3j + u] = Σ_ξ Aᵀ[u, ξ] M_ξ[j]</c> for rows below <paramref name="rows"/>.</summary>
    private static unsafe void TransformOutput(float[] products, int tiles, int channels, int rows, Span<float> output)
    {
        long plane = (long)tiles * channels;
        fixed (float* source = products, target = output)
        {
            float* from = source, to = target;
            LinearInferenceKernels.ForRows(tiles, Points * channels, (start, count) =>
            {
                for (int j = start; j < start + count; j++)
                {
                    int outputs = Math.Min(Step, rows - Step * j);
                    float* m = from + (long)j * channels, y = to + (long)Step * j * channels;
                    int c = 0;
                    if (Vector512.IsHardwareAccelerated && outputs == Step)
                    {
                        var two = Vector512.Create(2f);
                        var four = Vector512.Create(4f);
                        for (; c + 16 <= channels; c += 16)
                        {
                            var m0 = Vector512.Load(m + c);
                            var m1 = Vector512.Load(m + plane + c);
                            var m2 = Vector512.Load(m + 2 * plane + c);
                            var m3 = Vector512.Load(m + 3 * plane + c);
                            var m4 = Vector512.Load(m + 4 * plane + c);
                            (m0 + (m1 + m2) + m3).Store(y + c);
                            Vector512.FusedMultiplyAdd(two, m3, m1 - m2).Store(y + channels + c);
                            Vector512.FusedMultiplyAdd(four, m3, (m1 + m2) + m4).Store(y + 2 * channels + c);
                        }
                    }
                    for (; c < channels; c++)
                    {
                        for (int u = 0; u < outputs; u++)
                        {
                            float sum = 0f;
                            for (int point = 0; point < Points; point++)
                            {
                                sum = MathF.FusedMultiplyAdd(OutputTransform[u * Points + point], m[point * plane + c], sum);
                            }
                            y[(long)u * channels + c] = sum;
                        }
                    }
                }
            });
        }
    }

    /// <summary>
    /// Output gradient rows → dM <c>(5, tiles, Cout)</c>: <c>dM_ξ[j] = Σ_u Aᵀ[u, ξ] dy[3j + u]</c>, rows
    /// past the gradient read as zero.
    /// </summary>
    private static unsafe void TransformOutputGradient(ReadOnlySpan<float> outputGrad, int channels, int tiles, float[] gradients)
    {
        int rows = outputGrad.Length / channels;
        long plane = (long)tiles * channels;
        fixed (float* source = outputGrad, target = gradients)
        {
            float* from = source, to = target;
            LinearInferenceKernels.ForRows(tiles, Points * channels, (start, count) =>
            {
                for (int j = start; j < start + count; j++)
                {
                    int outputs = Math.Min(Step, rows - Step * j);
                    float* dy = from + (long)Step * j * channels, dm = to + (long)j * channels;
                    int c = 0;
                    if (Vector512.IsHardwareAccelerated && outputs == Step)
                    {
                        var two = Vector512.Create(2f);
                        var four = Vector512.Create(4f);
                        for (; c + 16 <= channels; c += 16)
                        {
                            var y0 = Vector512.Load(dy + c);
                            var y1 = Vector512.Load(dy + channels + c);
                            var y2 = Vector512.Load(dy + 2 * channels + c);
                            var y02 = y0 + y2;
                            y0.Store(dm + c);
                            (y02 + y1).Store(dm + plane + c);
                            (y02 - y1).Store(dm + 2 * plane + c);
                            Vector512.FusedMultiplyAdd(four, y2, Vector512.FusedMultiplyAdd(two, y1, y0)).Store(dm + 3 * plane + c);
                            y2.Store(dm + 4 * plane + c);
                        }
                    }
                    for (; c < channels; c++)
                    {
                        for (int point = 0; point < Points; point++)
                        {
                            float sum = 0f;
                            for (int u = 0; u < outputs; u++)
                            {
                                sum = MathF.FusedMultiplyAdd(OutputTransform[u * Points + point], dy[(long)u * channels + c], sum);
                            }
                            dm[point * plane + c] = sum;
                        }
                    }
                }
            });
        }
    }

    /// <summary><c>to += scale · from</c>.</summary>
    private static void MultiplyAdd(ReadOnlySpan<float> from, float scale, Span<float> to)
        => System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(from, scale, to, to);

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;
}
