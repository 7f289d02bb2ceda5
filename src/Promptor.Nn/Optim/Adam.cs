using System.Buffers;
using System.Numerics.Tensors;
using Tensor = Promptor.Tensors.Tensor;

namespace Promptor.Nn.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba), matching PyTorch's <c>torch.optim.Adam</c>. Per step t:
/// <c>g ← g + wd·p</c> (L2 weight decay, folded into the moments — use <see cref="AdamW"/> for
/// decoupled decay); <c>m ← β₁m + (1−β₁)g</c>; <c>v ← β₂v + (1−β₂)g²</c>;
/// <c>p ← p − lr/(1−β₁ᵗ) · m / (√v / √(1−β₂ᵗ) + eps)</c> — eps is added after the bias correction.
/// State per parameter: <c>exp_avg</c>, <c>exp_avg_sq</c> and the step t.
/// </summary>
public class Adam : Optimizer
{
    private const string ExpAvg = "exp_avg";
    private const string ExpAvgSq = "exp_avg_sq";

    /// <summary>Optimises <paramref name="parameters"/> as one group.</summary>
    /// <param name="parameters">The tensors to update (e.g. <c>model.Parameters()</c>).</param>
    /// <param name="learningRate">Learning rate (default 1e-3).</param>
    /// <param name="beta1">First-moment decay (default 0.9).</param>
    /// <param name="beta2">Second-moment decay (default 0.999).</param>
    /// <param name="eps">Denominator term (default 1e-8).</param>
    /// <param name="weightDecay">L2 weight decay added to the gradient (default 0).</param>
    public Adam(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0)
        : this([new ParamGroup(ToArray(parameters))], learningRate, beta1, beta2, eps, weightDecay)
    {
    }

    /// <summary>Optimises several groups; unset group values take these defaults (same meaning as above).</summary>
    public Adam(IEnumerable<ParamGroup> groups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0)
        : base(groups, learningRate, weightDecay, new AdamOptions { Beta1 = beta1, Beta2 = beta2, Eps = eps })
    {
    }

    /// <summary>True when weight decay shrinks the parameters directly (<see cref="AdamW"/>) instead of adding to the gradient.</summary>
    protected virtual bool DecoupledWeightDecay => false;

    /// <inheritdoc/>
    protected override IReadOnlyCollection<string> BufferNames { get; } = [ExpAvg, ExpAvgSq];

    /// <inheritdoc/>
    protected override void Update(OptimizerGroup group, Tensor parameter, ReadOnlySpan<float> gradient, ParameterState state)
    {
        var o = (AdamOptions)group.Options;
        var p = parameter.Data.AsSpan();
        int n = p.Length;
        var m = state.GetOrCreateBuffer(ExpAvg, n).AsSpan();
        var v = state.GetOrCreateBuffer(ExpAvgSq, n).AsSpan();
        double lr = group.LearningRate, wd = group.WeightDecay;
        float[] rented = ArrayPool<float>.Shared.Rent(n);
        try
        {
            var d = rented.AsSpan(0, n);
            ReadOnlySpan<float> g = gradient;
            if (wd != 0 && DecoupledWeightDecay)
            {
                TensorPrimitives.Multiply(p, (float)(1 - lr * wd), p);
            }
            else if (wd != 0)
            {
                TensorPrimitives.MultiplyAdd(p, (float)wd, gradient, d); // g + wd·p
                g = d;
            }
            TensorPrimitives.Multiply(m, (float)o.Beta1, m);
            TensorPrimitives.MultiplyAdd(g, (float)(1 - o.Beta1), m, m);
            TensorPrimitives.Multiply(g, g, d); // g² (g may be d itself; it is not needed after this)
            TensorPrimitives.Multiply(v, (float)o.Beta2, v);
            TensorPrimitives.MultiplyAdd(d, (float)(1 - o.Beta2), v, v);

            // Bias corrections in double, as PyTorch computes them with Python floats.
            double correction1 = 1 - Math.Pow(o.Beta1, state.Step);
            double correction2Sqrt = Math.Sqrt(1 - Math.Pow(o.Beta2, state.Step));
            TensorPrimitives.Sqrt(v, d);
            TensorPrimitives.Divide(d, (float)correction2Sqrt, d);
            TensorPrimitives.Add(d, (float)o.Eps, d);
            TensorPrimitives.Divide(m, d, d);
            TensorPrimitives.MultiplyAdd(d, (float)(-lr / correction1), p, p);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    private static Tensor[] ToArray(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.ToArray();
    }
}
