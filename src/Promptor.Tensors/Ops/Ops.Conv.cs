using Promptor.Tensors.Autograd;
using Promptor.Tensors.Kernels;

namespace Promptor.Tensors;

public static partial class Ops
{
    /// <summary>
    /// 1-D convolution (cross-correlation, PyTorch's <c>F.conv1d</c>) of <paramref name="x"/>
    /// (N, Cin, L) with <paramref name="weight"/> (Cout, Cin, K) plus an optional
    /// <paramref name="bias"/> (Cout), giving (N, Cout, Lo) with
    /// <c>Lo = ⌊(L + padLeft + padRight − dilation·(K−1) − 1) / stride⌋ + 1</c>.
    /// <paramref name="padding"/> defaults to <see cref="Padding.Valid"/>; <see cref="Padding.Same"/>
    /// keeps the length (stride 1 only) and an <c>int</c> pads both sides with that many zeros.
    /// </summary>
    public static Tensor Conv1d(this Tensor x, Tensor weight, Tensor? bias, int stride = 1, Padding padding = default, int dilation = 1)
    {
        var g = Conv1dGeometryOf(x, weight, bias, stride, padding, dilation);
        var y = Tensor.Uninitialized(new Shape(g.N, g.Cout, g.LOut)); // (N, Cout, Lo), every value written
        if (Conv1dNarrowKernels.Supports(g))
        {
            Conv1dNarrowKernels.Forward(x.Data, weight.Data, bias?.Data, y.Data, g);   // e.g. one-hot DNA: direct loops
        }
        else
        {
            Conv1dKernels.Forward(x.Data, weight.Data, bias?.Data, y.Data, g);         // im2col + GEMM
        }
        return Tape.Record(y, [x, weight, bias], dy => Conv1dKernels.Backward(
            dy.Data, x.Data, weight.Data,
            GradOrNull(x), GradOrNull(weight), GradOrNull(bias),
            g));
    }

    /// <summary>
    /// <c>relu(maxpool(conv1d(x) + bias))</c> for inference: the stride-1 convolution of
    /// <paramref name="x"/> <c>(N, Cin, L)</c> with <paramref name="weight"/> <c>(Cout, Cin, K)</c>, then
    /// max-pooling over windows of <paramref name="pool"/> positions (stride <paramref name="pool"/>,
    /// as <see cref="MaxPool1d"/>) and ReLU → <c>(N, Cout, ⌊(Lo − pool)/pool⌋ + 1)</c>. For narrow
    /// patches (Cin·K ≤ 64, e.g. one-hot DNA) the convolution's rows stay in a small scratch and only
    /// the pooled values are written; otherwise the three ops run in turn. It records no gradient:
    /// with an input that requires one it throws.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit.</exception>
    /// <exception cref="InvalidOperationException">A gradient would be needed.</exception>
    public static Tensor Conv1dPoolReluInference(Tensor x, Tensor weight, Tensor? bias, Padding padding, int dilation, int pool)
    {
        var g = Conv1dGeometryOf(x, weight, bias, 1, padding, dilation);
        ArgumentOutOfRangeException.ThrowIfLessThan(pool, 1);
        RequireInference(nameof(Conv1dPoolReluInference), x, weight, bias);
        if (g.LOut < pool)
        {
            throw new ArgumentException($"Conv1dPoolReluInference: the convolution's {g.LOut} positions are fewer than the pool window {pool}.", nameof(pool));
        }
        if (!Conv1dNarrowKernels.Supports(g))
        {
            return x.Conv1d(weight, bias, 1, padding, dilation).MaxPool1d(pool).Relu();
        }
        var y = Tensor.Uninitialized(new Shape(g.N, g.Cout, Conv1dNarrowKernels.PooledLength(g, pool)));
        Conv1dNarrowKernels.ForwardPoolRelu(x.Data, weight.Data, bias?.Data, y.Data, g, pool);
        return y;
    }

    /// <summary>
    /// <see cref="Conv1d"/> on channels-last tensors: <paramref name="x"/> <c>(N, L, Cin)</c> →
    /// <c>(N, Lo, Cout)</c>, the same values as <c>x.Permute(0, 2, 1).Conv1d(…).Permute(0, 2, 1)</c>
    /// with <paramref name="weight"/> in PyTorch's <c>(Cout, Cin, K)</c> layout and stride 1.
    /// With dilation 1 the unfolded input is read in place as overlapping rows of x (one GEMM over
    /// sliding windows, no im2col copy; see <c>Conv1dWindowKernels</c>), and the output is already the
    /// <c>(N, positions, channels)</c> layout attention layers read.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit.</exception>
    public static Tensor Conv1dChannelsLast(this Tensor x, Tensor weight, Tensor? bias, Padding padding = default, int dilation = 1)
    {
        var g = Conv1dGeometryOf(x, weight, bias, 1, padding, dilation, channelsLast: true);
        if (!Conv1dWindowKernels.Supports(g))
        {
            return x.Permute(0, 2, 1).Conv1d(weight, bias, 1, padding, dilation).Permute(0, 2, 1);
        }
        var y = Tensor.Uninitialized(new Shape(g.N, g.LOut, g.Cout));       // every value written
        Conv1dWindowKernels.Forward(x.Data, weight.Data, bias?.Data, y.Data, g);
        return Tape.Record(y, [x, weight, bias], dy => Conv1dWindowKernels.Backward(
            dy.Data, x.Data, weight.Data,
            GradOrNull(x), GradOrNull(weight), GradOrNull(bias),
            g));
    }

    /// <summary>
    /// <c>relu(maxpool(conv1d(x) + bias))</c> on channels-last tensors as one recorded op: the same
    /// values and gradients as
    /// <c>x.Conv1dChannelsLast(weight, bias, padding, dilation).MaxPool1dChannelsLast(pool).Relu()</c>,
    /// <paramref name="x"/> <c>(N, L, Cin)</c> → <c>(N, ⌊Lo/pool⌋, Cout)</c>. With dilation 1 the
    /// full-length convolution output is never stored: the forward pass keeps the pooled values and
    /// which position of each window won, and the backward pass rebuilds the convolution's gradient
    /// from them.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit.</exception>
    public static Tensor Conv1dPoolReluChannelsLast(this Tensor x, Tensor weight, Tensor? bias, Padding padding, int dilation, int pool)
    {
        var g = Conv1dGeometryOf(x, weight, bias, 1, padding, dilation, channelsLast: true);
        ArgumentOutOfRangeException.ThrowIfLessThan(pool, 1);
        if (g.LOut < pool)
        {
            throw new ArgumentException($"Conv1dPoolReluChannelsLast: the convolution's {g.LOut} positions are fewer than the pool window {pool}.", nameof(pool));
        }
        if (!Conv1dWindowKernels.Supports(g))
        {
            var conv = x.Conv1dChannelsLast(weight, bias, padding, dilation);
            return (pool > 1 ? conv.MaxPool1dChannelsLast(pool) : conv).Relu();
        }
        var y = Tensor.Uninitialized(new Shape(g.N, Conv1dWindowKernels.PooledLength(g, pool), g.Cout));
        if (!Tape.NeedsGrad(x, weight, bias))
        {
            Conv1dWindowKernels.ForwardPoolRelu(x.Data, weight.Data, bias?.Data, y.Data, g, pool);
            return y;
        }
        var argmax = new int[y.Size];
        Conv1dWindowKernels.ForwardPoolReluRecorded(x.Data, weight.Data, bias?.Data, y.Data, argmax, g, pool);
        return Tape.Record(y, [x, weight, bias], dy => Conv1dWindowKernels.BackwardPoolRelu(
            dy.Data, y.Data, argmax, x.Data, weight.Data,
            GradOrNull(x), GradOrNull(weight), GradOrNull(bias),
            g, pool));
    }

    /// <summary>
    /// <see cref="Conv1dPoolReluInference"/> on channels-last tensors: <paramref name="x"/>
    /// <c>(N, L, Cin)</c> → <c>relu(maxpool(conv1d(x) + bias))</c> <c>(N, ⌊Lo/pool⌋, Cout)</c>, pooling
    /// over positions in windows of <paramref name="pool"/> every <paramref name="pool"/>. With
    /// dilation 1 the pooling reads the convolution's rows from a chunk buffer and only the pooled
    /// values are written. It records no gradient: with an input that requires one it throws.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit.</exception>
    /// <exception cref="InvalidOperationException">A gradient would be needed.</exception>
    public static Tensor Conv1dPoolReluInferenceChannelsLast(Tensor x, Tensor weight, Tensor? bias, Padding padding, int dilation, int pool)
    {
        var g = Conv1dGeometryOf(x, weight, bias, 1, padding, dilation, channelsLast: true);
        ArgumentOutOfRangeException.ThrowIfLessThan(pool, 1);
        RequireInference(nameof(Conv1dPoolReluInferenceChannelsLast), x, weight, bias);
        if (g.LOut < pool)
        {
            throw new ArgumentException($"Conv1dPoolReluInferenceChannelsLast: the convolution's {g.LOut} positions are fewer than the pool window {pool}.", nameof(pool));
        }
        if (!Conv1dWindowKernels.Supports(g))
        {
            return x.Conv1dChannelsLast(weight, bias, padding, dilation).MaxPool1dChannelsLast(pool).Relu();
        }
        var y = Tensor.Uninitialized(new Shape(g.N, Conv1dWindowKernels.PooledLength(g, pool), g.Cout));
        Conv1dWindowKernels.ForwardPoolRelu(x.Data, weight.Data, bias?.Data, y.Data, g, pool);
        return y;
    }

    /// <summary>Checks a convolution's operands and returns its geometry (x is (N, Cin, L), or (N, L, Cin) when <paramref name="channelsLast"/>).</summary>
    private static Conv1dGeometry Conv1dGeometryOf(Tensor x, Tensor weight, Tensor? bias, int stride, Padding padding, int dilation, bool channelsLast = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (x.Rank != 3)
        {
            throw new ArgumentException($"Conv1d input must be {(channelsLast ? "(N, L, Cin)" : "(N, Cin, L)")}, got {x.Shape}.", nameof(x));
        }
        if (weight.Rank != 3)
        {
            throw new ArgumentException($"Conv1d weight must be (Cout, Cin, K), got {weight.Shape}.", nameof(weight));
        }
        int channels = x.Shape[channelsLast ? 2 : 1], length = x.Shape[channelsLast ? 1 : 2];
        if (weight.Shape[1] != channels)
        {
            throw new ArgumentException($"Conv1d weight {weight.Shape} expects {weight.Shape[1]} input channels but x {x.Shape} has {channels}.", nameof(weight));
        }
        if (weight.Shape[2] < 1 || weight.Shape[0] < 1)
        {
            throw new ArgumentException($"Conv1d weight {weight.Shape} needs at least one output channel and one tap.", nameof(weight));
        }
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != weight.Shape[0]))
        {
            throw new ArgumentException($"Conv1d bias must be ({weight.Shape[0]}) for weight {weight.Shape}, got {bias.Shape}.", nameof(bias));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dilation, 1);
        int k = weight.Shape[2];
        var (padLeft, padRight) = padding.Resolve(k, dilation, stride);
        var g = new Conv1dGeometry(x.Shape[0], channels, length, weight.Shape[0], k, stride, dilation, padLeft, padRight);
        if (g.L + padLeft + padRight < dilation * (k - 1) + 1)
        {
            throw new ArgumentException($"Conv1d input {x.Shape} padded by ({padLeft}, {padRight}) is shorter than the kernel span {dilation * (k - 1) + 1} (K={k}, dilation {dilation}).", nameof(x));
        }

        return g;
    }
}
