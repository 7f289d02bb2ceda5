using Promptor.Nn;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Tests.Nn;

/// <summary>
/// Directional finite-difference checks of a module's parameter gradients (the parameter-side
/// companion of <see cref="Tests.Tensors.GradCheck"/>): for L = Σ w ⊙ f(), each parameter p is
/// checked along a random direction v, ⟨∇ₚL, v⟩ against (L(p+εv) − L(p−εv)) / 2ε in double.
/// </summary>
internal static class ModuleGradCheck
{
    public static void Check(Module module, Func<Tensor> f, ulong seed = 11, float eps = 1e-2f,
        double rtol = 1e-2, double atol = 1e-3)
    {
        var rng = new Generator(seed);
        module.ZeroGrad();
        var y = f();
        var w = Tensor.RandomNormal(rng, y.Shape);
        y.Backward(w);
        int checkedCount = 0;
        foreach (var (name, p) in module.NamedParameters())
        {
            var v = Tensor.RandomNormal(rng, p.Shape);
            double analytic = 0;
            var grad = p.Grad;
            Assert.True(grad is not null, $"parameter {name} got no gradient");
            for (int j = 0; j < p.Size; j++)
            {
                analytic += (double)grad.Data[j] * v.Data[j];
            }
            var original = p.ToArray();
            double plus = Shifted(p, original, v, eps, f, w);
            double minus = Shifted(p, original, v, -eps, f, w);
            original.CopyTo(p.Data, 0);
            double numeric = (plus - minus) / (2 * eps);
            double tolerance = atol + rtol * Math.Max(Math.Abs(numeric), Math.Abs(analytic));
            Assert.True(Math.Abs(analytic - numeric) <= tolerance,
                $"{module.GetType().Name}.{name}: autograd ⟨∇, v⟩ = {analytic:G6}, finite difference = {numeric:G6}");
            checkedCount++;
        }
        Assert.True(checkedCount > 0, "the module has no parameters to check");
        module.ZeroGrad();
    }

    private static double Shifted(Parameter p, float[] original, Tensor v, float step, Func<Tensor> f, Tensor w)
    {
        for (int j = 0; j < p.Size; j++)
        {
            p.Data[j] = original[j] + step * v.Data[j];
        }
        Tensor y;
        using (Tape.NoGrad())
        {
            y = f();
        }
        double sum = 0;
        for (int j = 0; j < y.Size; j++)
        {
            sum += (double)y.Data[j] * w.Data[j];
        }
        return sum;
    }
}
