using System.Numerics.Tensors;
using Promptor.Tensors.Autograd;
using Promptor.Tensors.Kernels;

namespace Promptor.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Inverted dropout: when <paramref name="training"/>, zeroes each element with probability
    /// <paramref name="p"/> (drawn from <paramref name="generator"/>, so a seed reproduces the mask)
    /// and scales the rest by <c>1/(1 − p)</c>, keeping the expectation. Returns
    /// <paramref name="x"/> itself when not training or when <c>p == 0</c>. <paramref name="p"/>
    /// must be in <c>[0, 1)</c>. Same shape as x.
    /// </summary>
    public static Tensor Dropout(this Tensor x, float p, Generator generator, bool training)
    {
        CheckDropoutArguments(x, p, generator);
        if (!training || p == 0f)
        {
            return x;
        }
        // One draw keys the mask (DropoutKernels.FillMask's values); forward and backward regenerate
        // it block by block on the cores instead of storing it.
        ulong key = generator.NextUInt64();
        var y = Tensor.Uninitialized(x.Shape);
        float[] xv = x.Data, yv = y.Data;
        ForElementBlocks(yv.Length, (from, length) => DropoutKernels.Forward(xv.AsSpan(from, length), yv.AsSpan(from, length), (uint)from, key, p));
        return Tape.Record(y, [x], dy =>
        {
            float[] dyv = dy.Data, dxv = x.GradData;
            ForElementBlocks(dyv.Length, (from, length) => DropoutKernels.Backward(dyv.AsSpan(from, length), dxv.AsSpan(from, length), (uint)from, key, p));
        });
    }

    /// <summary>
    /// <c>x.Relu().Dropout(p, generator, training)</c> as one op, with the same values and gradients bit for
    /// bit (one draw of <paramref name="generator"/> keys the same mask). Each block of elements is rectified
    /// and dropped while it is in cache, and the backward needs no mask: a gradient passes, scaled by
    /// <c>1/(1 − p)</c>, exactly where the output is positive (a positive input that was kept). Saves the
    /// rectified intermediate and one pass over it each way, as in a transformer's feed-forward sublayer.
    /// </summary>
    public static Tensor ReluDropout(this Tensor x, float p, Generator generator, bool training)
    {
        CheckDropoutArguments(x, p, generator);
        if (!training || p == 0f)
        {
            return x.Relu();
        }
        ulong key = generator.NextUInt64();
        var y = Tensor.Uninitialized(x.Shape);
        float[] xv = x.Data, yv = y.Data;
        ForElementBlocks(yv.Length, (from, length) =>
        {
            var block = yv.AsSpan(from, length);
            TensorPrimitives.Max(xv.AsSpan(from, length), 0f, block);
            DropoutKernels.Forward(block, block, (uint)from, key, p);
        });
        float scale = 1f / (1f - p);
        return Tape.Record(y, [x], dy =>
        {
            float[] dyv = dy.Data, dxv = x.GradData;
            ForElementBlocks(dyv.Length, (from, length) =>
                DropoutKernels.BackwardWherePositive(yv.AsSpan(from, length), dyv.AsSpan(from, length), dxv.AsSpan(from, length), scale));
        }, opName: nameof(ReluDropout));
    }

    /// <summary>Throws for a null input or generator, or a probability outside <c>[0, 1)</c>.</summary>
    private static void CheckDropoutArguments(Tensor x, float p, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(generator);
        if (!(p >= 0f && p < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), $"Dropout probability must be in [0, 1), got {p}.");
        }
    }
}
