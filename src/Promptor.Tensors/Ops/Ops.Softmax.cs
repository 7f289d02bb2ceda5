using System.Numerics.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Tensors;

public static partial class Ops
{
    /// <summary>Softmax over <paramref name="axis"/> (default last), shifted by the maximum for stability.</summary>
    public static Tensor Softmax(this Tensor x, int axis = -1)
    {
        var (outer, n, inner) = AxisView(x.Shape, axis);
        var y = Tensor.Uninitialized(x.Shape);
        SoftmaxForward(x.Data, y.Data, outer, n, inner, log: false);
        return Tape.Record(y, [x], dy =>
        {
            // dx = y ⊙ (dy − Σ dy⊙y)
            ForEachLane(outer, n, inner, (xs, ys, dys, dxs) =>
            {
                float dot = TensorPrimitives.Dot(dys, ys);
                for (int j = 0; j < ys.Length; j++)
                {
                    dxs[j] += ys[j] * (dys[j] - dot);
                }
            }, x.Data, y.Data, dy.Data, x.GradData);
        });
    }

    /// <summary>Log-softmax over <paramref name="axis"/> (default last): <c>x − logsumexp(x)</c>.</summary>
    public static Tensor LogSoftmax(this Tensor x, int axis = -1)
    {
        var (outer, n, inner) = AxisView(x.Shape, axis);
        var y = Tensor.Uninitialized(x.Shape);
        SoftmaxForward(x.Data, y.Data, outer, n, inner, log: true);
        return Tape.Record(y, [x], dy =>
        {
            // dx = dy − softmax ⊙ Σ dy
            ForEachLane(outer, n, inner, (xs, ys, dys, dxs) =>
            {
                float total = TensorPrimitives.Sum(dys);
                for (int j = 0; j < ys.Length; j++)
                {
                    dxs[j] += dys[j] - MathF.Exp(ys[j]) * total;
                }
            }, x.Data, y.Data, dy.Data, x.GradData);
        });
    }

    private static void SoftmaxForward(float[] x, float[] y, int outer, int n, int inner, bool log)
    {
        ForEachLane(outer, n, inner, (xs, ys, _, gatherBack) =>
        {
            float m = TensorPrimitives.Max(xs);
            if (float.IsNegativeInfinity(m))
            {
                // A fully masked lane (all −∞) gives zeros (log-softmax: −∞) rather than NaN, so a
                // padded query attends to nothing instead of poisoning the batch.
                ys.Fill(log ? float.NegativeInfinity : 0f);
                return;
            }
            TensorPrimitives.Subtract(xs, m, ys);
            if (log)
            {
                TensorPrimitives.Exp(ys, gatherBack);
                float lse = MathF.Log(TensorPrimitives.Sum(gatherBack));
                TensorPrimitives.Subtract(ys, lse, ys);
            }
            else
            {
                TensorPrimitives.Exp(ys, ys);
                TensorPrimitives.Divide(ys, TensorPrimitives.Sum(ys), ys);
            }
        }, x, y, new float[x.Length], new float[x.Length]);
    }

    private delegate void LaneAction(Span<float> a, Span<float> b, Span<float> c, Span<float> d);

    /// <summary>
    /// Runs <paramref name="action"/> on every lane along the axis of an <c>(outer, n, inner)</c>
    /// view of four same-shape buffers. When <c>inner == 1</c> lanes are contiguous and passed in
    /// place; otherwise they are gathered into scratch and the second and fourth buffers (the
    /// outputs) are scattered back.
    /// </summary>
    private static void ForEachLane(int outer, int n, int inner, LaneAction action,
        float[] a, float[] b, float[] c, float[] d)
    {
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++)
            {
                action(a.AsSpan(o * n, n), b.AsSpan(o * n, n), c.AsSpan(o * n, n), d.AsSpan(o * n, n));
            }
            return;
        }
        var la = new float[n];
        var lb = new float[n];
        var lc = new float[n];
        var ld = new float[n];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int baseOff = o * n * inner + i;
                for (int j = 0; j < n; j++)
                {
                    int k = baseOff + j * inner;
                    la[j] = a[k];
                    lb[j] = b[k];
                    lc[j] = c[k];
                    ld[j] = d[k];
                }
                action(la, lb, lc, ld);
                for (int j = 0; j < n; j++)
                {
                    int k = baseOff + j * inner;
                    b[k] = lb[j];
                    d[k] = ld[j];
                }
            }
        }
    }
}
