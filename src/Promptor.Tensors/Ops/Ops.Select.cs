using Promptor.Tensors.Autograd;

namespace Promptor.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Replaces entries where <paramref name="mask"/> is non-zero by <paramref name="value"/>
    /// (e.g. −∞ before a softmax). The mask broadcasts to x's shape; masked entries get no gradient.
    /// </summary>
    public static Tensor MaskedFill(this Tensor x, Tensor mask, float value)
    {
        var m = MaskFor(mask, x.Shape);
        var y = x.Detach().Clone();
        for (int i = 0; i < m.Length; i++)
        {
            if (m[i] != 0)
            {
                y.Data[i] = value;
            }
        }
        return Tape.Record(y, [x], dy =>
        {
            var g = x.GradData;
            for (int i = 0; i < m.Length; i++)
            {
                if (m[i] == 0)
                {
                    g[i] += dy.Data[i];
                }
            }
        });
    }

    /// <summary>
    /// Chooses <paramref name="a"/> where <paramref name="condition"/> is non-zero, else
    /// <paramref name="b"/>; all three broadcast together.
    /// </summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        var shape = Broadcasting.Shapes(Broadcasting.Shapes(condition.Shape, a.Shape), b.Shape);
        var c = MaskFor(condition, shape);
        Tensor ab, bb;
        using (Tape.NoGrad())
        {
            ab = BroadcastTo(a, shape);
            bb = BroadcastTo(b, shape);
        }
        var y = new Tensor(shape);
        for (int i = 0; i < c.Length; i++)
        {
            y.Data[i] = c[i] != 0 ? ab.Data[i] : bb.Data[i];
        }
        return Tape.Record(y, [a, b], dy =>
        {
            var da = new float[c.Length];
            var db = new float[c.Length];
            for (int i = 0; i < c.Length; i++)
            {
                if (c[i] != 0)
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

    private static float[] MaskFor(Tensor mask, Shape shape)
    {
        if (mask.Shape == shape)
        {
            return mask.Data;
        }
        using (Tape.NoGrad())
        {
            return BroadcastTo(mask.Detach(), shape).Data;
        }
    }
}
