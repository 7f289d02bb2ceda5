using System.Buffers;
using System.Numerics.Tensors;
using Tensor = Promptor.Tensors.Tensor;

namespace Promptor.Nn.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum and Nesterov momentum, matching PyTorch's
/// <c>torch.optim.SGD</c>: <c>g ← g + wd·p</c> (L2 weight decay); with momentum μ the buffer starts
/// as <c>g</c> and then follows <c>buf ← μ·buf + (1 − d)·g</c>; the step direction is <c>buf</c>, or
/// <c>g + μ·buf</c> with Nesterov; <c>p ← p − lr·direction</c>.
/// State per parameter: <c>momentum_buffer</c> (only when μ &gt; 0).
/// </summary>
public sealed class Sgd : Optimizer
{
    private const string MomentumBuffer = "momentum_buffer";

    /// <summary>Optimises <paramref name="parameters"/> as one group.</summary>
    /// <param name="parameters">The tensors to update (e.g. <c>model.Parameters()</c>).</param>
    /// <param name="learningRate">Learning rate (finite, ≥ 0).</param>
    /// <param name="momentum">Momentum factor μ (default 0).</param>
    /// <param name="nesterov">Nesterov momentum (default false).</param>
    /// <param name="weightDecay">L2 weight decay added to the gradient (default 0).</param>
    /// <param name="dampening">Dampening d (default 0).</param>
    public Sgd(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0, bool nesterov = false,
        double weightDecay = 0, double dampening = 0)
        : this([new ParamGroup(ToList(parameters))], learningRate, momentum, nesterov, weightDecay, dampening)
    {
    }

    /// <summary>Optimises several groups; unset group values take these defaults (same meaning as above).</summary>
    public Sgd(IEnumerable<ParamGroup> groups, double learningRate, double momentum = 0, bool nesterov = false,
        double weightDecay = 0, double dampening = 0)
        : base(groups, learningRate, weightDecay, new SgdOptions { Momentum = momentum, Nesterov = nesterov, Dampening = dampening })
    {
    }

    /// <inheritdoc/>
    protected override IReadOnlyCollection<string> BufferNames { get; } = [MomentumBuffer];

    /// <inheritdoc/>
    protected override void Update(OptimizerGroup group, Tensor parameter, ReadOnlySpan<float> gradient, ParameterState state)
    {
        var options = (SgdOptions)group.Options;
        var p = parameter.Data.AsSpan();
        float[] rented = ArrayPool<float>.Shared.Rent(p.Length);
        try
        {
            var d = rented.AsSpan(0, p.Length);
            if (group.WeightDecay != 0)
            {
                TensorPrimitives.MultiplyAdd(p, (float)group.WeightDecay, gradient, d); // g + wd·p
            }
            else
            {
                gradient.CopyTo(d);
            }
            if (options.Momentum != 0)
            {
                float mu = (float)options.Momentum;
                if (!state.TryGetBuffer(MomentumBuffer, out var buf))
                {
                    buf = d.ToArray(); // the first step starts the buffer at g, as PyTorch does
                    state.SetBuffer(MomentumBuffer, buf);
                }
                else
                {
                    TensorPrimitives.Multiply(buf, mu, buf);
                    TensorPrimitives.MultiplyAdd(d, (float)(1 - options.Dampening), buf, buf);
                }
                if (options.Nesterov)
                {
                    TensorPrimitives.MultiplyAdd(buf, mu, d, d);
                }
                else
                {
                    buf.CopyTo(d);
                }
            }
            TensorPrimitives.MultiplyAdd(d, (float)-group.LearningRate, p, p);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    private static Tensor[] ToList(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.ToArray();
    }
}
