using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Promptor.Tensors.Kernels;

// Dimension letters: R rows (all leading dims flattened), I input features, O output features.

/// <summary>
/// The affine map of a linear layer for inference, <c>y = act(x Wᵀ + b + residual)</c>, with the
/// bias and residual folded into the product: C is first filled with them and the GEMM then
/// accumulates into it (beta = 1), so neither needs a pass of its own; the optional activation (ReLU
/// or GELU) is one row-parallel pass afterwards. A bias alone before an activation is instead added in that pass. <see cref="ForwardReference"/> is the naive oracle.
/// </summary>
internal static class LinearInferenceKernels
{
    /// <summary>Floats a row-parallel pass must touch before it is split over threads.</summary>
    private const int ParallelElements = 1 << 16;

    /// <summary>
    /// y (R, O) = act(x (R, I) · weight (O, I)ᵀ + bias (O) + residual (R, O)); empty bias or residual
    /// spans are skipped. <paramref name="y"/> may be the residual's own array.
    /// </summary>
    public static void Forward(float[] x, float[] weight, float[]? bias, float[]? residual, float[] y, int rows, int inFeatures, int outFeatures, LinearActivation activation)
    {
        Debug.Assert(x.Length >= rows * inFeatures && weight.Length >= outFeatures * inFeatures && y.Length >= rows * outFeatures, "Linear spans do not match (R, I) × (O, I)");
        if (activation != LinearActivation.None && bias is not null && residual is null)
        {
            // A bias before an activation: the product overwrites y (beta = 0) and one row-parallel
            // pass adds the bias and activates while each row is still in cache, instead of
            // pre-filling y with the bias and then activating in a pass of its own.
            Gemm.Multiply(false, true, rows, outFeatures, inFeatures, 1f, x, inFeatures, weight, inFeatures,
                0f, y.AsSpan(0, rows * outFeatures), outFeatures);
            ForRows(rows, outFeatures, (start, count) =>
            {
                for (int r = start; r < start + count; r++)
                {
                    var row = y.AsSpan(r * outFeatures, outFeatures);
                    if (activation == LinearActivation.Relu)
                    {
                        AddBiasRelu(row, bias);
                    }
                    else
                    {
                        TensorPrimitives.Add(row, bias, row);
                        ActivationKernels.GeluErfForward(row, row);
                    }
                }
            });
            return;
        }
        bool prefilled = bias is not null || residual is not null;
        if (prefilled)
        {
            ForRows(rows, outFeatures, (start, count) =>
            {
                for (int r = start; r < start + count; r++)
                {
                    var row = y.AsSpan(r * outFeatures, outFeatures);
                    if (residual is null)
                    {
                        bias!.CopyTo(row);
                    }
                    else if (bias is null)
                    {
                        if (!ReferenceEquals(residual, y))
                        {
                            residual.AsSpan(r * outFeatures, outFeatures).CopyTo(row);
                        }
                    }
                    else
                    {
                        TensorPrimitives.Add(residual.AsSpan(r * outFeatures, outFeatures), bias, row);
                    }
                }
            });
        }
        Gemm.Multiply(false, true, rows, outFeatures, inFeatures, 1f, x, inFeatures, weight, inFeatures,
            prefilled ? 1f : 0f, y.AsSpan(0, rows * outFeatures), outFeatures);
        if (activation != LinearActivation.None)
        {
            ForRows(rows, outFeatures, (start, count) =>
            {
                var block = y.AsSpan(start * outFeatures, count * outFeatures);
                if (activation == LinearActivation.Relu)
                {
                    TensorPrimitives.Max(block, 0f, block);
                }
                else
                {
                    ActivationKernels.GeluErfForward(block, block);
                }
            });
        }
    }

    /// <summary>row = max(row + bias, 0), one pass.</summary>
    private static void AddBiasRelu(Span<float> row, ReadOnlySpan<float> bias)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + Vector512<float>.Count <= row.Length; i += Vector512<float>.Count)
            {
                var sum = Vector512.Create<float>(row.Slice(i, Vector512<float>.Count)) + Vector512.Create<float>(bias.Slice(i, Vector512<float>.Count));
                Vector512.Max(sum, Vector512<float>.Zero).CopyTo(row.Slice(i, Vector512<float>.Count));
            }
        }
        for (; i < row.Length; i++)
        {
            row[i] = MathF.Max(row[i] + bias[i], 0f);
        }
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
