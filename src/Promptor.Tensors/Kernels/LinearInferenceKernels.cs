using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Promptor.Tensors.Kernels;

// Dimension letters: R rows (all leading dims flattened), I input features, O output features.

/// <summary>
/// The affine map of a linear layer for inference, <c>y = act(x Wᵀ + b + residual)</c>: bias, residual
/// and activation (ReLU or GELU) are the product's epilogue (<see cref="Gemm.MultiplyFused"/>),
/// applied to each tile of y while it is in cache, so none needs a pass of its own.
/// <see cref="ForwardReference"/> is the naive oracle.
/// </summary>
internal static class LinearInferenceKernels
{
    /// <summary>Floats a row-parallel pass must touch before it is split over threads.</summary>
    private const int ParallelElements = 1 << 16;

    /// <summary>
    /// y (R, O) = act(x (R, I) · weight (O, I)ᵀ + bias (O) + residual (R, O)); empty bias or residual
    /// spans are skipped. <paramref name="y"/> may be the residual's own array. With
    /// <paramref name="packed"/>, the weight's panels packed once are used instead of packing it again.
    /// </summary>
    public static void Forward(float[] x, float[] weight, float[]? bias, float[]? residual, float[] y, int rows, int inFeatures, int outFeatures,
        LinearActivation activation, PackedWeight? packed = null)
    {
        Debug.Assert(x.Length >= rows * inFeatures && weight.Length >= outFeatures * inFeatures && y.Length >= rows * outFeatures, "Linear spans do not match (R, I) × (O, I)");
        // Bias, residual and activation are applied to each tile of y as the product finishes it. A
        // residual that is y's own array is kept by accumulating onto it (beta = 1).
        bool inPlace = residual is not null && ReferenceEquals(residual, y);
        int size = rows * outFeatures;
        if (packed is not null)
        {
            Gemm.MultiplyFusedPrepacked(rows, x, inFeatures, packed, inPlace ? 1f : 0f, y.AsSpan(0, size), outFeatures,
                bias is null ? default : bias.AsSpan(0, outFeatures),
                residual is null || inPlace ? default : residual.AsSpan(0, size),
                activation);
            return;
        }
        Gemm.MultiplyFused(false, true, rows, outFeatures, inFeatures, x, inFeatures, weight, inFeatures,
            inPlace ? 1f : 0f, y.AsSpan(0, size), outFeatures,
            bias is null ? default : bias.AsSpan(0, outFeatures),
            residual is null || inPlace ? default : residual.AsSpan(0, size),
            activation);
    }

    /// <summary>The double-precision oracle of <see cref="Forward"/>.</summary>
    public static void ForwardReference(float[] x, float[] weight, float[]? bias, float[]? residual, float[] y, int rows, int inFeatures, int outFeatures, LinearActivation activation)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < outFeatures; o++)
            {
                double acc = (bias is null ? 0 : bias[o]) + (residual is null ? 0 : residual[r * outFeatures + o]);
                for (int i = 0; i < inFeatures; i++)
                {
                    acc += (double)x[r * inFeatures + i] * weight[o * inFeatures + i];
                }
                y[r * outFeatures + o] = (float)(activation switch
                {
                    LinearActivation.Relu => Math.Max(acc, 0),
                    LinearActivation.Gelu => 0.5 * acc * (1.0 + ActivationKernels.Erf(acc / Math.Sqrt(2.0))),
                    _ => acc,
                });
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/>(start, count) over row blocks covering <paramref name="rows"/>
    /// rows of <paramref name="width"/> floats: on the calling thread for small inputs, else in a few
    /// blocks per core.
    /// </summary>
    internal static void ForRows(int rows, int width, Action<int, int> body)
    {
        int threads = Math.Min(Gemm.ThreadsForThisThread, Environment.ProcessorCount);
        if (threads <= 1 || (long)rows * width < ParallelElements || rows < 2)
        {
            body(0, rows);
            return;
        }
        int blocks = Math.Min(rows, 4 * threads);
        WorkerTeam.For(blocks, threads, i =>
        {
            int start = (int)((long)rows * i / blocks), end = (int)((long)rows * (i + 1) / blocks);
            body(start, end - start);
        });
    }
}
