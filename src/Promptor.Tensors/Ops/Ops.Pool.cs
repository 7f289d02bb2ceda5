using Promptor.Tensors.Autograd;
using Promptor.Tensors.Kernels;

namespace Promptor.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Max pooling over the last axis of <paramref name="x"/> (N, C, L) with windows of
    /// <paramref name="kernelSize"/> every <paramref name="stride"/> (default: the kernel size), no
    /// padding, floor mode: (N, C, ⌊(L − K) / S⌋ + 1). The gradient goes to each window's maximum.
    /// </summary>
    public static Tensor MaxPool1d(this Tensor x, int kernelSize, int? stride = null)
    {
        var (rows, l, s, y) = PoolSetup(x, kernelSize, stride, nameof(MaxPool1d));
        int lo = y.Shape[2];
        if (!Tape.NeedsGrad(x))
        {
            // Nothing to back-propagate: no argmax indices to keep.
            ForRowChunks(rows, l, (r0, count) =>
                PoolKernels.MaxForwardInference(x.Data.AsSpan(r0 * l, count * l), y.Data.AsSpan(r0 * lo, count * lo), count, l, kernelSize, s));
            return y;
        }
        var argmax = new int[y.Size];
        ForRowChunks(rows, l, (r0, count) =>
        {
            var chunkArgmax = argmax.AsSpan(r0 * lo, count * lo);
            PoolKernels.MaxForward(x.Data.AsSpan(r0 * l, count * l), y.Data.AsSpan(r0 * lo, count * lo), chunkArgmax, count, l, kernelSize, s);
            for (int i = 0; i < chunkArgmax.Length; i++)
            {
                chunkArgmax[i] += r0 * l;
            }
        });
        return Tape.Record(y, [x], dy =>
        {
            var dx = x.GradData; // allocate once, before the threads share it
            ForRowChunks(rows, l, (r0, count) =>
                PoolKernels.MaxBackward(dy.Data.AsSpan(r0 * lo, count * lo), argmax.AsSpan(r0 * lo, count * lo), dx));
        });
    }

    /// <summary>
    /// Max pooling over the positions of a channels-last <paramref name="x"/> <c>(N, L, C)</c>:
    /// windows of <paramref name="kernelSize"/> positions every <paramref name="kernelSize"/>, no
    /// padding, floor mode: <c>(N, ⌊L/K⌋, C)</c>; each channel on its own, the gradient to each window's
    /// (first) maximum. The same values as <c>x.Permute(0, 2, 1).MaxPool1d(K).Permute(0, 2, 1)</c>.
    /// </summary>
    public static Tensor MaxPool1dChannelsLast(this Tensor x, int kernelSize)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3)
        {
            throw new ArgumentException($"{nameof(MaxPool1dChannelsLast)} expects (N, L, C), got {x.Shape}.", nameof(x));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        int n = x.Shape[0], l = x.Shape[1], c = x.Shape[2];
        if (l < kernelSize)
        {
            throw new ArgumentException($"{nameof(MaxPool1dChannelsLast)}: {l} positions are fewer than the window {kernelSize}.", nameof(kernelSize));
        }
        int lo = l / kernelSize;
        var y = Tensor.Uninitialized(new Shape(n, lo, c));
        if (!Tape.NeedsGrad(x))
        {
            ForRowChunks(n, l * c, (b0, count) => ChannelsLastPoolKernels.MaxForwardInference(
                x.Data.AsSpan(b0 * l * c, count * l * c), y.Data.AsSpan(b0 * lo * c, count * lo * c), count, l, c, kernelSize));
            return y;
        }
        var argmax = new int[y.Size];
        ForRowChunks(n, l * c, (b0, count) =>
        {
            var chunk = argmax.AsSpan(b0 * lo * c, count * lo * c);
            ChannelsLastPoolKernels.MaxForward(x.Data.AsSpan(b0 * l * c, count * l * c), y.Data.AsSpan(b0 * lo * c, count * lo * c), chunk, count, l, c, kernelSize);
            for (int i = 0; i < chunk.Length; i++)
            {
                chunk[i] += b0 * l * c;
            }
        });
        return Tape.Record(y, [x], dy =>
        {
            var dx = x.GradData; // allocate once, before the threads share it
            ForRowChunks(n, l * c, (b0, count) => ChannelsLastPoolKernels.MaxBackward(
                dy.Data.AsSpan(b0 * lo * c, count * lo * c), argmax.AsSpan(b0 * lo * c, count * lo * c), dx));
        });
    }

    /// <summary>
    /// Average pooling over the last axis of <paramref name="x"/> (N, C, L) with windows of
    /// <paramref name="kernelSize"/> every <paramref name="stride"/> (default: the kernel size), no
    /// padding, floor mode: (N, C, ⌊(L − K) / S⌋ + 1).
    /// </summary>
    public static Tensor AvgPool1d(this Tensor x, int kernelSize, int? stride = null)
    {
        var (rows, l, s, y) = PoolSetup(x, kernelSize, stride, nameof(AvgPool1d));
        PoolKernels.AvgForward(x.Data, y.Data, rows, l, kernelSize, s);
        return Tape.Record(y, [x], dy => PoolKernels.AvgBackward(dy.Data, x.GradData, rows, l, kernelSize, s));
    }

    /// <summary>Maximum over the length axis: (N, C, L) → (N, C); the gradient goes to the first maximum.</summary>
    public static Tensor GlobalMaxPool1d(this Tensor x)
    {
        RequireNcl(x, nameof(GlobalMaxPool1d));
        return Max(x, 2);
    }

    /// <summary>Mean over the length axis: (N, C, L) → (N, C).</summary>
    public static Tensor GlobalAvgPool1d(this Tensor x)
    {
        RequireNcl(x, nameof(GlobalAvgPool1d));
        return Mean(x, 2);
    }

    /// <summary>
    /// Runs <paramref name="body"/>(firstRow, rowCount) over blocks of rows, in parallel when the
    /// input is large enough to pay for it; blocks touch disjoint rows of input and output.
    /// </summary>
    private static void ForRowChunks(int rows, int length, Action<int, int> body)
    {
        int parts = (long)rows * length >= 1 << 18 ? Math.Min(Math.Min(Environment.ProcessorCount, Gemm.ThreadsForThisThread), rows) : 1;
        if (parts <= 1)
        {
            body(0, rows);
            return;
        }
        WorkerTeam.For(parts, parts, p =>
        {
            int r0 = (int)((long)rows * p / parts), r1 = (int)((long)rows * (p + 1) / parts);
            body(r0, r1 - r0);
        });
    }

    private static (int Rows, int L, int Stride, Tensor Y) PoolSetup(Tensor x, int kernelSize, int? stride, string op)
    {
        RequireNcl(x, op);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        int s = stride ?? kernelSize;
        ArgumentOutOfRangeException.ThrowIfLessThan(s, 1, nameof(stride));
        int l = x.Shape[2];
        if (l < kernelSize)
        {
            throw new ArgumentException($"{op}: input {x.Shape} is shorter than the window {kernelSize}.", nameof(x));
        }
        int lo = (l - kernelSize) / s + 1;
        return (x.Shape[0] * x.Shape[1], l, s, new Tensor(new Shape(x.Shape[0], x.Shape[1], lo))); // (N, C, Lo)
    }

    private static void RequireNcl(Tensor x, string op)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3)
        {
            throw new ArgumentException($"{op} input must be (N, C, L), got {x.Shape}.", nameof(x));
        }
    }
}
