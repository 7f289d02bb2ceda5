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
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(generator);
        if (!(p >= 0f && p < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), $"Dropout probability must be in [0, 1), got {p}.");
        }
        if (!training || p == 0f)
        {
            return x;
        }
        var mask = GC.AllocateUninitializedArray<float>(x.Size);
        DropoutKernels.FillMask(generator, mask, p);
        var y = Tensor.Uninitialized(x.Shape);
        DropoutKernels.Forward(x.Data, mask, y.Data);
        return Tape.Record(y, [x], dy => DropoutKernels.Backward(dy.Data, mask, x.GradData));
    }
}
