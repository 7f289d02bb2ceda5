using System.Numerics.Tensors;
using Promptor.Tensors.Autograd;
using Promptor.Tensors.Kernels;

namespace Promptor.Tensors;

/// <summary>
/// Differentiable tensor operations. Each op runs a span kernel and records its backward step on
/// the <see cref="Tape"/>. Every op is also an extension method (<c>x.Exp()</c>).
/// </summary>
public static partial class Ops
{
    // ---- binary, with broadcasting --------------------------------------------------------------

    /// <summary><c>a + b</c> with NumPy broadcasting.</summary>
    public static Tensor Add(this Tensor a, Tensor b)
    {
        var y = BinaryForward<AddOperator>(a, b);
        return Tape.Record(y, [a, b], dy =>
        {
            // An operand of the output's shape (a residual stream) takes over dy's buffer as its
            // gradient when it has none yet, once the other operand has read dy.
            if (a.Shape == y.Shape)
            {
                Tape.AccumulateBroadcast(b, dy.Data, y.Shape);
                Tape.AccumulateOrAdopt(a, dy);
            }
            else if (b.Shape == y.Shape)
            {
                Tape.AccumulateBroadcast(a, dy.Data, y.Shape);
                Tape.AccumulateOrAdopt(b, dy);
            }
            else
            {
                Tape.AccumulateBroadcast(a, dy.Data, y.Shape);
                Tape.AccumulateBroadcast(b, dy.Data, y.Shape);
            }
        });
    }

    /// <summary><c>a − b</c> with NumPy broadcasting.</summary>
    public static Tensor Sub(this Tensor a, Tensor b)
    {
        var y = BinaryForward<SubtractOperator>(a, b);
        return Tape.Record(y, [a, b], dy =>
        {
            Tape.AccumulateBroadcast(a, dy.Data, y.Shape);
            if (b.RequiresGrad)
            {
                var neg = new float[dy.Size];
                TensorPrimitives.Negate(dy.Data, neg);
                Tape.AccumulateBroadcast(b, neg, y.Shape);
            }
        });
    }

    /// <summary><c>a · b</c> element-wise with NumPy broadcasting.</summary>
    public static Tensor Mul(this Tensor a, Tensor b)
    {
        var y = BinaryForward<MultiplyOperator>(a, b);
        return Tape.Record(y, [a, b], dy =>
        {
            var tmp = new float[dy.Size];
            if (a.RequiresGrad)
            {
                Broadcasting.Binary<MultiplyOperator>(dy.Data, dy.Shape, b.Data, b.Shape, tmp, y.Shape);
                Tape.AccumulateBroadcast(a, tmp, y.Shape);
            }
            if (b.RequiresGrad)
            {
                Broadcasting.Binary<MultiplyOperator>(dy.Data, dy.Shape, a.Data, a.Shape, tmp, y.Shape);
                Tape.AccumulateBroadcast(b, tmp, y.Shape);
            }
        });
    }

    /// <summary><c>a / b</c> element-wise with NumPy broadcasting.</summary>
    public static Tensor Div(this Tensor a, Tensor b)
    {
        var y = BinaryForward<DivideOperator>(a, b);
        return Tape.Record(y, [a, b], dy =>
        {
            var tmp = new float[dy.Size];
            // d/da = dy / b
            Broadcasting.Binary<DivideOperator>(dy.Data, dy.Shape, b.Data, b.Shape, tmp, y.Shape);
            Tape.AccumulateBroadcast(a, tmp, y.Shape);
            if (b.RequiresGrad)
            {
                // d/db = −dy · a / b² = −(dy / b) · y
                TensorPrimitives.Multiply(tmp, y.Data, tmp);
                TensorPrimitives.Negate(tmp, tmp);
                Tape.AccumulateBroadcast(b, tmp, y.Shape);
            }
        });
    }

    /// <summary>Element-wise maximum of two tensors with broadcasting (gradient to the larger; ties to <paramref name="a"/>).</summary>
    public static Tensor Maximum(this Tensor a, Tensor b)
    {
        var shape = Broadcasting.Shapes(a.Shape, b.Shape);
        var ab = BroadcastTo(a.Detach(), shape).Data;
        var bb = BroadcastTo(b.Detach(), shape).Data;
        var y = Tensor.Uninitialized(shape);
        TensorPrimitives.Max(ab, bb, y.Data);
        return Tape.Record(y, [a, b], dy =>
        {
            var da = new float[dy.Size];
            var db = new float[dy.Size];
            for (int i = 0; i < da.Length; i++)
            {
                if (ab[i] >= bb[i])
                {
                    da[i] = dy.Data[i];
                }
                else
                {
                    db[i] = dy.Data[i];
                }
            }
            Tape.AccumulateBroadcast(a, da, shape);
            Tape.AccumulateBroadcast(b, db, shape);
        });
    }

    private static Tensor BinaryForward<TOp>(Tensor a, Tensor b)
        where TOp : IBinaryOperator
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var shape = a.Shape == b.Shape ? a.Shape : Broadcasting.Shapes(a.Shape, b.Shape);
        var y = Tensor.Uninitialized(shape);
        if (!BinaryForwardParallel<TOp>(a, b, y))
        {
            Broadcasting.Binary<TOp>(a.Data, a.Shape, b.Data, b.Shape, y.Data, shape);
        }
        return y;
    }

    /// <summary>
    /// Large element-wise ops of the two common forms — equal shapes, or one operand repeated along
    /// the leading dims of the other (a bias over rows) — over row blocks on several cores. Returns
    /// false (nothing written) for other forms and small outputs.
    /// </summary>
    private static bool BinaryForwardParallel<TOp>(Tensor a, Tensor b, Tensor y)
        where TOp : IBinaryOperator
    {
        const int minimum = 1 << 17;
        if (y.Size < minimum || Math.Min(Gemm.ThreadsForThisThread, Environment.ProcessorCount) < 2)
        {
            return false;
        }
        float[] av = a.Data, bv = b.Data, yv = y.Data;
        if (a.Shape == b.Shape)
        {
            ForElementBlocks(yv.Length, (from, length) => TOp.SpanSpan(av.AsSpan(from, length), bv.AsSpan(from, length), yv.AsSpan(from, length)));
            return true;
        }
        bool bRepeats = a.Shape == y.Shape && IsTrailingBlock(b.Shape, y.Shape);
        bool aRepeats = b.Shape == y.Shape && IsTrailingBlock(a.Shape, y.Shape);
        if (!bRepeats && !aRepeats)
        {
            return false;
        }
        int inner = bRepeats ? b.Size : a.Size;
        LinearInferenceKernels.ForRows(yv.Length / inner, inner, (start, count) =>
        {
            for (int r = start; r < start + count; r++)
            {
                var row = yv.AsSpan(r * inner, inner);
                if (bRepeats)
                {
                    TOp.SpanSpan(av.AsSpan(r * inner, inner), bv, row);
                }
                else
                {
                    TOp.SpanSpan(av, bv.AsSpan(r * inner, inner), row);
                }
            }
        });
        return true;
    }

    /// <summary>True when <paramref name="s"/>, without leading 1s, equals the trailing dims of <paramref name="full"/> (so it repeats over full's leading dims).</summary>
    private static bool IsTrailingBlock(Shape s, Shape full)
    {
        int lead = 0;
        while (lead < s.Rank && s.Dims[lead] == 1)
        {
            lead++;
        }
        int rank = s.Rank - lead;
        if (rank == 0 || rank > full.Rank)
        {
            return false;
        }
        for (int i = 0; i < rank; i++)
        {
            if (s.Dims[lead + i] != full.Dims[full.Rank - rank + i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Materialises <paramref name="x"/> broadcast to <paramref name="shape"/> (gradient sums back).</summary>
    public static Tensor BroadcastTo(this Tensor x, Shape shape)
    {
        if (x.Shape == shape)
        {
            return x;
        }
        var target = Broadcasting.Shapes(x.Shape, shape);
        if (target != shape)
        {
            throw new ArgumentException($"Shape {x.Shape} does not broadcast to {shape}.");
        }
        var y = Tensor.Uninitialized(shape);
        Broadcasting.Binary<AddOperator>(x.Data, x.Shape, [0f], Shape.Scalar, y.Data, shape);
        return Tape.Record(y, [x], dy => Tape.AccumulateBroadcast(x, dy.Data, shape));
    }

    // ---- with a constant ------------------------------------------------------------------------

    /// <summary><c>x + c</c>.</summary>
    public static Tensor AddScalar(this Tensor x, float c)
    {
        var y = Tensor.Uninitialized(x.Shape);
        TensorPrimitives.Add(x.Data, c, y.Data);
        return Tape.Record(y, [x], dy => Tape.Accumulate(x, dy.Data));
    }

    /// <summary><c>x · c</c>.</summary>
    public static Tensor MulScalar(this Tensor x, float c)
    {
        var y = Tensor.Uninitialized(x.Shape);
        TensorPrimitives.Multiply(x.Data, c, y.Data);
        return Tape.Record(y, [x], dy => TensorPrimitives.MultiplyAdd(dy.Data, c, x.GradData, x.GradData));
    }

    /// <summary><c>−x</c>.</summary>
    public static Tensor Neg(this Tensor x) => MulScalar(x, -1f);

    /// <summary><c>c − x</c>.</summary>
    public static Tensor RSubScalar(this Tensor x, float c) => AddScalar(MulScalar(x, -1f), c);

    // ---- unary ----------------------------------------------------------------------------------

    /// <summary>Forward of a unary op over spans.</summary>
    private delegate void UnaryForward(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>Accumulates <c>dx += dy · f'(x)</c> given x, y = f(x) and dy.</summary>
    private delegate void UnaryBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);

    private static Tensor Unary(Tensor x, UnaryForward forward, UnaryBackward backward, string opName)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = Tensor.Uninitialized(x.Shape);
        float[] xv = x.Data, yv = y.Data;
        ForElementBlocks(yv.Length, (from, length) => forward(xv.AsSpan(from, length), yv.AsSpan(from, length)));
        return Tape.Record(y, [x], dy =>
        {
            float[] dyv = dy.Data, dxv = x.GradData;
            ForElementBlocks(yv.Length, (from, length) => backward(xv.AsSpan(from, length), yv.AsSpan(from, length),
                dyv.AsSpan(from, length), dxv.AsSpan(from, length)));
        }, opName);
    }

    /// <summary>
    /// Runs an element-wise <paramref name="body"/>(from, length) over <paramref name="length"/>
    /// elements: in one call for small inputs, else over blocks of 4,096 elements on the cores.
    /// </summary>
    private static void ForElementBlocks(int length, Action<int, int> body)
    {
        const int minimum = 1 << 17, block = 4096;
        if (length < minimum || Math.Min(Gemm.ThreadsForThisThread, Environment.ProcessorCount) < 2)
        {
            body(0, length);
            return;
        }
        LinearInferenceKernels.ForRows((length + block - 1) / block, block, (start, count) =>
        {
            int from = start * block;
            body(from, Math.Min(length, (start + count) * block) - from);
        });
    }

    /// <summary><c>eᕽ</c>.</summary>
    public static Tensor Exp(this Tensor x) => Unary(x, TensorPrimitives.Exp,
        static (_, y, dy, dx) => TensorPrimitives.MultiplyAdd(dy, y, dx, dx), nameof(Exp));

    /// <summary>Natural logarithm.</summary>
    public static Tensor Log(this Tensor x) => Unary(x, TensorPrimitives.Log,
        static (x, _, dy, dx) =>
        {
            for (int i = 0; i < dx.Length; i++)
            {
                dx[i] += dy[i] / x[i];
            }
        }, nameof(Log));

    /// <summary>Square root.</summary>
    public static Tensor Sqrt(this Tensor x) => Unary(x, TensorPrimitives.Sqrt,
        static (_, y, dy, dx) =>
        {
            for (int i = 0; i < dx.Length; i++)
            {
                dx[i] += 0.5f * dy[i] / y[i];
            }
        }, nameof(Sqrt));

    /// <summary><c>xᵖ</c> for a constant exponent.</summary>
    public static Tensor Pow(this Tensor x, float exponent) => Unary(x,
        (x, y) => TensorPrimitives.Pow(x, exponent, y),
        (x, _, dy, dx) =>
        {
            for (int i = 0; i < dx.Length; i++)
            {
                dx[i] += dy[i] * exponent * MathF.Pow(x[i], exponent - 1f);
            }
        }, nameof(Pow));

    /// <summary><c>x²</c>.</summary>
    public static Tensor Square(this Tensor x) => Unary(x,
        static (x, y) => TensorPrimitives.Multiply(x, x, y),
        static (x, _, dy, dx) =>
        {
            for (int i = 0; i < dx.Length; i++)
            {
                dx[i] += 2f * x[i] * dy[i];
            }
        }, nameof(Square));

    /// <summary>Absolute value (gradient 0 at 0, as PyTorch).</summary>
    public static Tensor Abs(this Tensor x) => Unary(x, TensorPrimitives.Abs,
        static (x, _, dy, dx) =>
        {
            for (int i = 0; i < dx.Length; i++)
            {
                dx[i] += x[i] > 0 ? dy[i] : x[i] < 0 ? -dy[i] : 0f;
            }
        }, nameof(Abs));

    /// <summary>Hyperbolic tangent.</summary>
    public static Tensor Tanh(this Tensor x) => Unary(x, TensorPrimitives.Tanh,
        static (_, y, dy, dx) =>
        {
            for (int i = 0; i < dx.Length; i++)
            {
                dx[i] += dy[i] * (1f - y[i] * y[i]);
            }
        }, nameof(Tanh));

    /// <summary>Logistic sigmoid <c>1 / (1 + e⁻ᕽ)</c>.</summary>
    public static Tensor Sigmoid(this Tensor x) => Unary(x, TensorPrimitives.Sigmoid,
        static (_, y, dy, dx) =>
        {
            for (int i = 0; i < dx.Length; i++)
            {
                dx[i] += dy[i] * y[i] * (1f - y[i]);
            }
        }, nameof(Sigmoid));

    /// <summary><c>max(x, 0)</c> (gradient 0 at 0).</summary>
    public static Tensor Relu(this Tensor x) => Unary(x,
        static (x, y) => TensorPrimitives.Max(x, 0f, y),
        static (x, _, dy, dx) => ActivationKernels.ReluBackward(x, dy, dx), nameof(Relu));

    /// <summary>Clamps values to <c>[min, max]</c> (gradient passes inside the range).</summary>
    public static Tensor Clamp(this Tensor x, float min, float max) => Unary(x,
        (x, y) => TensorPrimitives.Clamp(x, min, max, y),
        (x, _, dy, dx) =>
        {
            for (int i = 0; i < dx.Length; i++)
            {
                if (x[i] >= min && x[i] <= max)
                {
                    dx[i] += dy[i];
                }
            }
        }, nameof(Clamp));

    /// <summary><c>log(1 + eᕽ)</c>, computed stably as <c>max(x,0) + log1p(e^−|x|)</c>.</summary>
    public static Tensor Softplus(this Tensor x) => Unary(x,
        static (x, y) =>
        {
            for (int i = 0; i < y.Length; i++)
            {
                float v = x[i];
                y[i] = MathF.Max(v, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(v)));
            }
        },
        static (x, _, dy, dx) =>
        {
            for (int i = 0; i < dx.Length; i++)
            {
                dx[i] += dy[i] / (1f + MathF.Exp(-x[i]));
            }
        }, nameof(Softplus));

    /// <summary>
    /// GELU. Exact form <c>x · Φ(x)</c> by default; <paramref name="approximateTanh"/> selects
    /// <c>0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))</c> (PyTorch's <c>approximate="tanh"</c>).
    /// </summary>
    public static Tensor Gelu(this Tensor x, bool approximateTanh = false) => approximateTanh
        ? Unary(x, ActivationKernels.GeluTanhForward, ActivationKernels.GeluTanhBackward, "GeluTanh")
        : Unary(x, ActivationKernels.GeluErfForward, ActivationKernels.GeluErfBackward, nameof(Gelu));

    /// <summary>Sine (no gradient through frequency; for data generation and encodings).</summary>
    public static Tensor Sin(this Tensor x) => Unary(x, TensorPrimitives.Sin,
        static (x, _, dy, dx) =>
        {
            for (int i = 0; i < dx.Length; i++)
            {
                dx[i] += dy[i] * MathF.Cos(x[i]);
            }
        }, nameof(Sin));

    /// <summary>Cosine.</summary>
    public static Tensor Cos(this Tensor x) => Unary(x, TensorPrimitives.Cos,
        static (x, _, dy, dx) =>
        {
            for (int i = 0; i < dx.Length; i++)
            {
                dx[i] -= dy[i] * MathF.Sin(x[i]);
            }
        }, nameof(Cos));
}
