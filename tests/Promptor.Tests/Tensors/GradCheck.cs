using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Tests.Tensors;

/// <summary>
/// Finite-difference gradient checks. For a function f of several tensors, the scalar
/// L = Σ w ⊙ f(x) (w random, fixed) is differentiated two ways along a random direction v per
/// input: analytically as ⟨∇ₓL, v⟩ from autograd, numerically as (L(x+εv) − L(x−εv)) / 2ε with
/// sums in double. Directional checks cost two evaluations per input instead of two per element.
/// </summary>
public static class GradCheck
{
    /// <summary>
    /// Asserts that autograd agrees with central differences for every input of <paramref name="f"/>
    /// (each input is checked along its own direction, so a wrong gradient is named).
    /// </summary>
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, ulong seed = 7,
        float eps = 1e-2f, double rtol = 1e-2, double atol = 1e-3, string? name = null)
    {
        var rng = new Generator(seed);
        var leaves = inputs.Select(t => new Tensor(t.Shape, t.ToArray(), requiresGrad: true)).ToArray();
        var y = f(leaves);
        var w = Tensor.RandomNormal(rng, y.Shape);
        y.Backward(w);

        for (int i = 0; i < inputs.Length; i++)
        {
            var v = Tensor.RandomNormal(rng, inputs[i].Shape);
            double analytic = 0;
            var grad = leaves[i].Grad;
            if (grad is not null)
            {
                for (int j = 0; j < v.Size; j++)
                {
                    analytic += (double)grad.Data[j] * v.Data[j];
                }
            }
            double plus = Evaluate(f, inputs, i, v, eps, w);
            double minus = Evaluate(f, inputs, i, v, -eps, w);
            double numeric = (plus - minus) / (2 * eps);
            double tolerance = atol + rtol * Math.Max(Math.Abs(numeric), Math.Abs(analytic));
            Assert.True(Math.Abs(analytic - numeric) <= tolerance,
                $"{name ?? "gradient"}: input {i} {inputs[i].Shape}: autograd ⟨∇, v⟩ = {analytic:G6}, finite difference = {numeric:G6}");
        }
    }

    /// <summary>Single-input convenience overload.</summary>
    public static void Check(Func<Tensor, Tensor> f, Tensor input, ulong seed = 7,
        float eps = 1e-2f, double rtol = 1e-2, double atol = 1e-3, string? name = null)
        => Check(xs => f(xs[0]), [input], seed, eps, rtol, atol, name);

    private static double Evaluate(Func<Tensor[], Tensor> f, Tensor[] inputs, int which, Tensor v, float step, Tensor w)
    {
        var shifted = inputs.Select((t, k) =>
        {
            var data = t.ToArray();
            if (k == which)
            {
                for (int j = 0; j < data.Length; j++)
                {
                    data[j] += step * v.Data[j];
                }
            }
            return new Tensor(t.Shape, data);
        }).ToArray();
        Tensor y;
        using (Tape.NoGrad())
        {
            y = f(shifted);
        }
        double sum = 0;
        for (int j = 0; j < y.Size; j++)
        {
            sum += (double)y.Data[j] * w.Data[j];
        }
        return sum;
    }

    /// <summary>A seeded random tensor for test inputs.</summary>
    public static Tensor Random(ulong seed, params int[] shape)
        => Tensor.RandomNormal(new Generator(seed), new Shape(shape));

    /// <summary>A seeded random tensor with values in <c>[low, high)</c>.</summary>
    public static Tensor Uniform(ulong seed, float low, float high, params int[] shape)
        => Tensor.RandomUniform(new Generator(seed), new Shape(shape), low, high);
}
