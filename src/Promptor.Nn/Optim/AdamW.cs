using Promptor.Tensors;

namespace Promptor.Nn.Optim;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov &amp; Hutter), matching PyTorch's
/// <c>torch.optim.AdamW</c>: each step first shrinks <c>p ← p·(1 − lr·wd)</c>, then applies the
/// <see cref="Adam"/> update without decay in the gradient. Default weight decay 0.01, as in PyTorch;
/// use <see cref="ParameterGroups.WithWeightDecay(Module, double)"/> to exempt biases and norms.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Optimises <paramref name="parameters"/> as one group (arguments as in <see cref="Adam"/>; weight decay default 0.01).</summary>
    public AdamW(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0.01)
        : base(parameters, learningRate, beta1, beta2, eps, weightDecay)
    {
    }

    /// <summary>Optimises several groups; unset group values take these defaults.</summary>
    public AdamW(IEnumerable<ParamGroup> groups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0.01)
        : base(groups, learningRate, beta1, beta2, eps, weightDecay)
    {
    }

    /// <inheritdoc/>
    protected override bool DecoupledWeightDecay => true;
}
