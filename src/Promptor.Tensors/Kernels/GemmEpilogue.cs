using System.Runtime.Intrinsics;

namespace Promptor.Tensors.Kernels;

/// <summary>
/// What a product does to each tile of C once its last depth slice is stored, while the tile is
/// still in L1: <c>C = act(C + addend + bias)</c>, with <c>bias</c> one value per column, the addend a
/// matrix laid out like C (same row stride) and <c>act</c> ReLU, exact GELU or nothing. It spares a linear
/// layer the passes over its output that would otherwise add the bias, the residual or apply the
/// activation. Pointers are at the origin of the (sub-)problem they belong to; null means none.
/// </summary>
internal readonly unsafe struct GemmEpilogue(float* bias, float* addend, LinearActivation activation)
{
    /// <summary>Per-column values added to C, at the problem's first column; null for none.</summary>
    public readonly float* Bias = bias;

    /// <summary>A matrix added to C, at the problem's first element with C's row stride; null for none.</summary>
    public readonly float* Addend = addend;

    /// <summary>The activation applied after the additions (ReLU or exact GELU), or none.</summary>
    public readonly LinearActivation Activation = activation;

    /// <summary>True when there is nothing to do.</summary>
    public bool IsNone => Bias == null && Addend == null && Activation == LinearActivation.None;

    /// <summary>The epilogue of the part of C that starts <paramref name="row"/> rows and <paramref name="column"/> columns in.</summary>
    public GemmEpilogue Shift(int row, int column, int ldc) => IsNone ? this : new(
        Bias == null ? null : Bias + column,
        Addend == null ? null : Addend + (long)row * ldc + column,
        Activation);

    /// <summary>Applies the epilogue to <paramref name="rows"/> × <paramref name="cols"/> values of C at <paramref name="c"/> (row stride <paramref name="ldc"/>).</summary>
    public void Apply(float* c, int ldc, int rows, int cols)
    {
        if (IsNone)
        {
            return;
        }

        for (int i = 0; i < rows; i++)
        {
            float* row = c + (long)i * ldc;
            float* add = Addend == null ? null : Addend + (long)i * ldc;
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; j + 16 <= cols; j += 16)
                {
                    var v = Vector512.Load(row + j);
                    if (add != null)
                    {
                        v += Vector512.Load(add + j);
                    }
                    if (Bias != null)
                    {
                        v += Vector512.Load(Bias + j);
                    }
                    if (Activation == LinearActivation.Relu)
                    {
                        v = Vector512.Max(v, Vector512<float>.Zero);
                    }
                    else if (Activation == LinearActivation.Gelu)
                    {
                        v = ActivationKernels.GeluErf(v);
                    }
                    v.Store(row + j);
                }
            }
            for (; j < cols; j++)
            {
                float v = row[j];
                if (add != null)
                {
                    v += add[j];
                }
                if (Bias != null)
                {
                    v += Bias[j];
                }
                row[j] = Activation switch
                {
                    LinearActivation.Relu => Math.Max(v, 0f),
                    LinearActivation.Gelu => ActivationKernels.GeluErf(v),
                    _ => v,
                };
            }
        }
    }
}
