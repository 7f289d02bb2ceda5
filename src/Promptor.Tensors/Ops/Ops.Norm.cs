using Promptor.Tensors.Autograd;
using Promptor.Tensors.Kernels;

namespace Promptor.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Layer normalisation over the last dimension of <paramref name="x"/> (…, C): each row is
    /// shifted to mean 0 and scaled by <c>1/√(σ² + eps)</c> (biased variance), then multiplied by
    /// <paramref name="gamma"/> (C) and shifted by <paramref name="beta"/> (C). Either may be null
    /// (no scale / no shift). Same shape as x.
    /// </summary>
    public static Tensor LayerNorm(this Tensor x, Tensor? gamma, Tensor? beta, float eps = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 1 || x.Shape[-1] < 1)
        {
            throw new ArgumentException($"LayerNorm needs a non-empty last dimension, got {x.Shape}.", nameof(x));
        }
        int c = x.Shape[-1];
        RequireChannelVector(gamma, c, x, nameof(LayerNorm), nameof(gamma));
        RequireChannelVector(beta, c, x, nameof(LayerNorm), nameof(beta));
        RequirePositive(eps, nameof(eps));
        int rows = x.Size / c;
        var y = Tensor.Uninitialized(x.Shape);
        var mean = new float[rows];
        var rstd = new float[rows];
        NormKernels.LayerNormForwardParallel(x.Data, gamma?.Data, beta?.Data, y.Data, mean, rstd, c, eps);
        return Tape.Record(y, [x, gamma, beta], dy => NormKernels.LayerNormBackwardBlocked(
            dy.Data, x.Data, gamma?.Data, mean, rstd, GradOrNull(x), GradOrNull(gamma), GradOrNull(beta), c));
    }

    /// <summary>
    /// Group normalisation (PyTorch's <c>F.group_norm</c>) of <paramref name="x"/> (N, C, …): the C
    /// channels of each sample form <paramref name="groups"/> groups of C/groups consecutive channels,
    /// each normalised over all its values (biased variance, eps inside the square root), then
    /// scaled by <paramref name="gamma"/> (C) and shifted by <paramref name="beta"/> (C) per channel
    /// (either may be null). Same shape as x.
    /// </summary>
    public static Tensor GroupNorm(this Tensor x, int groups, Tensor? gamma, Tensor? beta, float eps = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 2)
        {
            throw new ArgumentException($"GroupNorm input must be (N, C, …), got {x.Shape}.", nameof(x));
        }
        int n = x.Shape[0], c = x.Shape[1], s = x.Shape.SizeOf(2, x.Rank);
        if (groups < 1 || c % groups != 0)
        {
            throw new ArgumentException($"GroupNorm: {c} channels of {x.Shape} do not split into {groups} groups.", nameof(groups));
        }
        RequireChannelVector(gamma, c, x, nameof(GroupNorm), nameof(gamma));
        RequireChannelVector(beta, c, x, nameof(GroupNorm), nameof(beta));
        RequirePositive(eps, nameof(eps));
        var y = new Tensor(x.Shape);
        var mean = new float[n * groups];
        var rstd = new float[n * groups];
        NormKernels.GroupNormForward(x.Data, Values(gamma), Values(beta), y.Data, mean, rstd, n, c, s, groups, eps);
        return Tape.Record(y, [x, gamma, beta], dy => NormKernels.GroupNormBackward(
            dy.Data, x.Data, Values(gamma), mean, rstd, GradOrEmpty(x), GradOrEmpty(gamma), GradOrEmpty(beta), n, c, s, groups));
    }

    /// <summary>
    /// Batch normalisation (PyTorch's <c>F.batch_norm</c>) of <paramref name="x"/> (N, C) or (N, C, L)
    /// per channel, then scaled by <paramref name="gamma"/> (C) and shifted by <paramref name="beta"/>
    /// (C) (either may be null). When <paramref name="training"/>, the batch mean and biased variance
    /// normalise x, and <paramref name="runningMean"/>/<paramref name="runningVar"/> (C; null to skip)
    /// are updated in place: <c>r = (1 − momentum)·r + momentum·stat</c>, with the unbiased variance.
    /// Otherwise the running statistics (required) normalise x and are left unchanged. The running
    /// buffers are plain tensors and are never differentiated. Same shape as x.
    /// </summary>
    public static Tensor BatchNorm(this Tensor x, Tensor? gamma, Tensor? beta, Tensor? runningMean, Tensor? runningVar,
        bool training, float momentum = 0.1f, float eps = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank is not (2 or 3))
        {
            throw new ArgumentException($"BatchNorm input must be (N, C) or (N, C, L), got {x.Shape}.", nameof(x));
        }
        int n = x.Shape[0], c = x.Shape[1], s = x.Rank == 3 ? x.Shape[2] : 1;
        RequireChannelVector(gamma, c, x, nameof(BatchNorm), nameof(gamma));
        RequireChannelVector(beta, c, x, nameof(BatchNorm), nameof(beta));
        RequireChannelVector(runningMean, c, x, nameof(BatchNorm), nameof(runningMean));
        RequireChannelVector(runningVar, c, x, nameof(BatchNorm), nameof(runningVar));
        RequirePositive(eps, nameof(eps));
        if (!(momentum >= 0f && momentum <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), $"BatchNorm momentum must be in [0, 1], got {momentum}.");
        }
        if (training && n * s <= 1)
        {
            throw new ArgumentException($"BatchNorm in training needs more than one value per channel, got input {x.Shape}.", nameof(x));
        }
        if (!training && (runningMean is null || runningVar is null))
        {
            throw new ArgumentException("BatchNorm in evaluation mode needs runningMean and runningVar.");
        }
        var y = new Tensor(x.Shape);
        var mean = new float[c];
        var rstd = new float[c];
        NormKernels.BatchNormForward(x.Data, Values(gamma), Values(beta), y.Data, mean, rstd,
            runningMean is null ? default : runningMean.Data, runningVar is null ? default : runningVar.Data,
            n, c, s, training, momentum, eps);
        return Tape.Record(y, [x, gamma, beta], dy => NormKernels.BatchNormBackward(
            dy.Data, x.Data, Values(gamma), mean, rstd, GradOrEmpty(x), GradOrEmpty(gamma), GradOrEmpty(beta), n, c, s, training));
    }

    /// <summary>The values of an optional tensor, or an empty span for null.</summary>
    private static ReadOnlySpan<float> Values(Tensor? t) => t is null ? default : t.Data;

    /// <summary>The gradient buffer of an optional tensor that requires grad, else an empty span (the kernel skips it).</summary>
    private static Span<float> GradOrEmpty(Tensor? t) => t is { RequiresGrad: true } ? t.GradData : default;

    /// <summary>The gradient buffer of <paramref name="t"/> when it requires grad, else null.</summary>
    private static float[]? GradOrNull(Tensor? t) => t is { RequiresGrad: true } ? t.GradData : null;

    private static void RequireChannelVector(Tensor? t, int c, Tensor x, string op, string name)
    {
        if (t is not null && (t.Rank != 1 || t.Shape[0] != c))
        {
            throw new ArgumentException($"{op}: {name} must be ({c}) for input {x.Shape}, got {t.Shape}.", name);
        }
    }

    private static void RequirePositive(float value, string name)
    {
        if (!(value > 0f))
        {
            throw new ArgumentOutOfRangeException(name, $"{name} must be positive, got {value}.");
        }
    }
}
