using Promptor.Tensors.Autograd;
using Promptor.Tensors.Kernels;

namespace Promptor.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Mean squared error, a scalar: <c>mean((pred − target)²)</c>, or with a <paramref name="mask"/>
    /// (broadcastable to pred's shape; not differentiated) <c>Σ mask·(pred − target)² / Σ mask</c>.
    /// When the mask sums to zero the loss is 0 with zero gradients (not NaN). pred and target
    /// must have the same shape; both receive gradients.
    /// </summary>
    public static Tensor MseLoss(this Tensor pred, Tensor target, Tensor? mask = null)
    {
        RequireSameShape(pred, target, nameof(MseLoss), nameof(target));
        float[] maskData = [];
        double weight = pred.Size;
        if (mask is not null)
        {
            maskData = BroadcastTo(mask.Detach(), pred.Shape).Data;
            weight = 0;
            foreach (float m in maskData)
            {
                weight += m;
            }
        }
        double sum = LossKernels.MseForward(pred.Data, target.Data, maskData);
        bool empty = mask is not null && weight == 0;
        var y = Tensor.Scalar(empty ? 0f : (float)(sum / weight));
        return Tape.Record(y, [pred, target], dy => LossKernels.MseBackward(pred.Data, target.Data, maskData,
            empty ? 0f : (float)(dy.Data[0] / weight), GradOrEmpty(pred), GradOrEmpty(target)));
    }

    /// <summary>
    /// Binary cross-entropy on logits, mean over all elements (a scalar):
    /// <c>−[pw·y·log σ(x) + (1 − y)·log(1 − σ(x))]</c>, computed with a stable log-sigmoid.
    /// <paramref name="targets"/> (same shape as <paramref name="logits"/>) may be soft labels in
    /// [0, 1]; <paramref name="posWeight"/> (e.g. (C) for the last dim) broadcasts to the logits'
    /// shape and weighs the positive term (default 1). All three inputs receive gradients.
    /// </summary>
    public static Tensor BinaryCrossEntropyWithLogits(this Tensor logits, Tensor targets, Tensor? posWeight = null)
    {
        RequireSameShape(logits, targets, nameof(BinaryCrossEntropyWithLogits), nameof(targets));
        float[] pw = posWeight is null ? [] : BroadcastTo(posWeight.Detach(), logits.Shape).Data;
        double n = logits.Size;
        var y = Tensor.Scalar((float)(LossKernels.BceWithLogitsForward(logits.Data, targets.Data, pw) / n));
        return Tape.Record(y, [logits, targets, posWeight], dy =>
        {
            float scale = (float)(dy.Data[0] / n);
            float[]? dPw = posWeight is { RequiresGrad: true } ? new float[logits.Size] : null;
            LossKernels.BceWithLogitsBackward(logits.Data, targets.Data, pw, scale, GradOrEmpty(logits), GradOrEmpty(targets), dPw);
            if (dPw is not null)
            {
                Tape.AccumulateBroadcast(posWeight!, dPw, logits.Shape);
            }
        });
    }

    /// <summary>
    /// Cross-entropy of <paramref name="logits"/> against class indices, as PyTorch's
    /// <c>F.cross_entropy</c> with mean reduction: logits (N, C) with targets (N), or (N, C, d1, …)
    /// with targets (N, d1, …) flattened row-major, or (C) with one target. Fused log-softmax over
    /// the class axis. Targets equal to <paramref name="ignoreIndex"/> contribute nothing and the
    /// mean is over the remaining targets; if none remain the loss is 0 with zero gradient (PyTorch
    /// gives NaN). <paramref name="labelSmoothing"/> ε in [0, 1] costs each target
    /// <c>(1 − ε)·(−log p_y) + ε·mean_c(−log p_c)</c>. Any other target outside [0, C) throws.
    /// </summary>
    public static Tensor CrossEntropy(this Tensor logits, int[] targets, int ignoreIndex = -100, float labelSmoothing = 0f)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        if (logits.Rank < 1)
        {
            throw new ArgumentException($"CrossEntropy logits must be (N, C, …) or (C), got {logits.Shape}.", nameof(logits));
        }
        bool single = logits.Rank == 1;
        int n = single ? 1 : logits.Shape[0];
        int c = single ? logits.Shape[0] : logits.Shape[1];
        int t = single ? 1 : logits.Shape.SizeOf(2, logits.Rank);
        if (c < 1)
        {
            throw new ArgumentException($"CrossEntropy logits {logits.Shape} have no classes.", nameof(logits));
        }
        if (targets.Length != n * t)
        {
            var expected = single ? "1 target" : $"{n * t} targets (shape ({string.Join(", ", logits.Shape.Dims.ToArray().Where((_, i) => i != 1))}))";
            throw new ArgumentException($"CrossEntropy logits {logits.Shape} need {expected}, got {targets.Length}.", nameof(targets));
        }
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), $"Label smoothing must be in [0, 1], got {labelSmoothing}.");
        }
        for (int i = 0; i < targets.Length; i++)
        {
            int target = targets[i];
            if (target != ignoreIndex && (target < 0 || target >= c))
            {
                throw new ArgumentException($"CrossEntropy target {target} at index {i} is outside [0, {c}) for logits {logits.Shape} (ignoreIndex {ignoreIndex}).", nameof(targets));
            }
        }
        var kept = (int[])targets.Clone(); // the caller may reuse its array before backward
        var lse = new float[n * t];
        var (sum, count) = LossKernels.CrossEntropyForward(logits.Data, kept, lse, n, c, t, ignoreIndex, labelSmoothing);
        var y = Tensor.Scalar(count == 0 ? 0f : (float)(sum / count));
        return Tape.Record(y, [logits], dy =>
        {
            // With every target ignored the gradient is an explicit zero buffer.
            var dLogits = logits.GradData;
            if (count > 0)
            {
                LossKernels.CrossEntropyBackward(logits.Data, kept, lse, dLogits, n, c, t, ignoreIndex, labelSmoothing, dy.Data[0] / count);
            }
        });
    }

    /// <summary>
    /// Poisson negative log-likelihood with log-rate input (PyTorch's <c>poisson_nll_loss</c> with
    /// <c>log_input=True, full=False</c>), mean over elements, a scalar: <c>mean(exp(x) − y·x)</c>.
    /// <paramref name="logRate"/> and <paramref name="target"/> (counts) have the same shape; both
    /// receive gradients.
    /// </summary>
    public static Tensor PoissonNllLoss(this Tensor logRate, Tensor target)
    {
        RequireSameShape(logRate, target, nameof(PoissonNllLoss), nameof(target));
        double n = logRate.Size;
        var y = Tensor.Scalar((float)(LossKernels.PoissonNllForward(logRate.Data, target.Data) / n));
        return Tape.Record(y, [logRate, target], dy => LossKernels.PoissonNllBackward(
            logRate.Data, target.Data, (float)(dy.Data[0] / n), GradOrEmpty(logRate), GradOrEmpty(target)));
    }

    private static void RequireSameShape(Tensor a, Tensor b, string op, string name)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Shape != b.Shape)
        {
            throw new ArgumentException($"{op}: {name} shape {b.Shape} differs from input shape {a.Shape}.", name);
        }
    }
}
