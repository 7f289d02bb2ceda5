using System.Numerics.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Views a reduction over <paramref name="axis"/> as <c>(outer, n, inner)</c>: the product of
    /// the dims before the axis, the axis length and the product of the dims after it.
    /// </summary>
    internal static (int Outer, int N, int Inner) AxisView(Shape shape, int axis)
    {
        int a = shape.NormalizeAxis(axis);
        return (shape.SizeOf(0, a), shape.Dims[a], shape.SizeOf(a + 1, shape.Rank));
    }

    private static Shape ReducedShape(Shape shape, int axis, bool keepDim)
        => keepDim ? shape.With(axis, 1) : shape.Without(axis);

    /// <summary>Sum of all elements, as a scalar.</summary>
    public static Tensor Sum(this Tensor x)
    {
        var y = Tensor.Scalar(TensorPrimitives.Sum(x.Data));
        return Tape.Record(y, [x], dy => TensorPrimitives.Add(x.GradData, dy.Data[0], x.GradData));
    }

    /// <summary>Sum over <paramref name="axis"/>; <paramref name="keepDim"/> keeps it with size 1.</summary>
    public static Tensor Sum(this Tensor x, int axis, bool keepDim = false)
    {
        var (outer, n, inner) = AxisView(x.Shape, axis);
        var y = new Tensor(ReducedShape(x.Shape, axis, keepDim));
        var xd = x.Data;
        var yd = y.Data;
        for (int o = 0; o < outer; o++)
        {
            var yRow = yd.AsSpan(o * inner, inner);
            if (inner == 1)
            {
                yRow[0] = TensorPrimitives.Sum(xd.AsSpan(o * n, n));
                continue;
            }
            for (int j = 0; j < n; j++)
            {
                TensorPrimitives.Add(yRow, xd.AsSpan((o * n + j) * inner, inner), yRow);
            }
        }
        return Tape.Record(y, [x], dy =>
        {
            var dx = x.GradData;
            for (int o = 0; o < outer; o++)
            {
                var dyRow = dy.Data.AsSpan(o * inner, inner);
                for (int j = 0; j < n; j++)
                {
                    var dxRow = dx.AsSpan((o * n + j) * inner, inner);
                    TensorPrimitives.Add(dxRow, dyRow, dxRow);
                }
            }
        });
    }

    /// <summary>Sum over several axes.</summary>
    public static Tensor Sum(this Tensor x, int[] axes, bool keepDim = false)
    {
        var sorted = axes.Select(x.Shape.NormalizeAxis).Distinct().OrderDescending();
        var y = x;
        foreach (int a in sorted)
        {
            y = Sum(y, a, keepDim);
        }
        return y;
    }

    /// <summary>Mean of all elements, as a scalar.</summary>
    public static Tensor Mean(this Tensor x) => MulScalar(Sum(x), 1f / x.Size);

    /// <summary>Mean over <paramref name="axis"/>.</summary>
    public static Tensor Mean(this Tensor x, int axis, bool keepDim = false)
        => MulScalar(Sum(x, axis, keepDim), 1f / x.Shape[axis]);

    /// <summary>Mean over several axes.</summary>
    public static Tensor Mean(this Tensor x, int[] axes, bool keepDim = false)
    {
        int count = axes.Select(x.Shape.NormalizeAxis).Distinct().Aggregate(1, (c, a) => c * x.Shape.Dims[a]);
        return MulScalar(Sum(x, axes, keepDim), 1f / count);
    }

    /// <summary>
    /// Maximum over <paramref name="axis"/> and the index of the first maximum of each slice
    /// (row-major over the reduced shape). The gradient flows to that index only.
    /// </summary>
    public static (Tensor Values, int[] Indices) MaxWithIndices(this Tensor x, int axis, bool keepDim = false)
    {
        var (outer, n, inner) = AxisView(x.Shape, axis);
        if (n == 0)
        {
            throw new ArgumentException($"Max over an empty axis of shape {x.Shape}.");
        }
        var y = new Tensor(ReducedShape(x.Shape, axis, keepDim));
        var idx = new int[outer * inner];
        var xd = x.Data;
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int baseOff = o * n * inner + i;
                int best = 0;
                float bestV = xd[baseOff];
                for (int j = 1; j < n; j++)
                {
                    float v = xd[baseOff + j * inner];
                    // NaN propagates, as in PyTorch.
                    if (v > bestV || (float.IsNaN(v) && !float.IsNaN(bestV)))
                    {
                        bestV = v;
                        best = j;
                    }
                }
                y.Data[o * inner + i] = bestV;
                idx[o * inner + i] = best;
            }
        }
        Tape.Record(y, [x], dy =>
        {
            var dx = x.GradData;
            for (int o = 0; o < outer; o++)
            {
                for (int i = 0; i < inner; i++)
                {
                    dx[o * n * inner + idx[o * inner + i] * inner + i] += dy.Data[o * inner + i];
                }
            }
        }, nameof(MaxWithIndices));
        return (y, idx);
    }

    /// <summary>Maximum over <paramref name="axis"/>.</summary>
    public static Tensor Max(this Tensor x, int axis, bool keepDim = false) => MaxWithIndices(x, axis, keepDim).Values;

    /// <summary>Minimum over <paramref name="axis"/>.</summary>
    public static Tensor Min(this Tensor x, int axis, bool keepDim = false) => Neg(Max(Neg(x), axis, keepDim));

    /// <summary>Maximum of all elements, as a scalar.</summary>
    public static Tensor Max(this Tensor x) => Max(Reshape(x, x.Size), 0);

    /// <summary>Variance over <paramref name="axis"/> (biased unless <paramref name="unbiased"/>).</summary>
    public static Tensor Var(this Tensor x, int axis, bool keepDim = false, bool unbiased = false)
    {
        int n = x.Shape[axis];
        var centered = Sub(x, Mean(x, axis, keepDim: true));
        return MulScalar(Sum(Square(centered), axis, keepDim), 1f / (unbiased ? n - 1 : n));
    }

    /// <summary><c>log Σ exp(x)</c> over <paramref name="axis"/>, computed stably by shifting by the maximum.</summary>
    public static Tensor LogSumExp(this Tensor x, int axis, bool keepDim = false)
    {
        var (outer, n, inner) = AxisView(x.Shape, axis);
        var y = new Tensor(ReducedShape(x.Shape, axis, keepDim));
        var xd = x.Data;
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int b = o * n * inner + i;
                float m = float.NegativeInfinity;
                for (int j = 0; j < n; j++)
                {
                    m = MathF.Max(m, xd[b + j * inner]);
                }
                double s = 0;
                if (!float.IsNegativeInfinity(m))
                {
                    for (int j = 0; j < n; j++)
                    {
                        s += Math.Exp(xd[b + j * inner] - m);
                    }
                }
                y.Data[o * inner + i] = float.IsNegativeInfinity(m) ? m : m + (float)Math.Log(s);
            }
        }
        return Tape.Record(y, [x], dy =>
        {
            var dx = x.GradData;
            for (int o = 0; o < outer; o++)
            {
                for (int i = 0; i < inner; i++)
                {
                    int b = o * n * inner + i;
                    float lse = y.Data[o * inner + i], g = dy.Data[o * inner + i];
                    for (int j = 0; j < n; j++)
                    {
                        dx[b + j * inner] += g * MathF.Exp(xd[b + j * inner] - lse);
                    }
                }
            }
        });
    }
}
