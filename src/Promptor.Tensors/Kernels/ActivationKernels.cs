using System.Buffers;
using System.Numerics.Tensors;

namespace Promptor.Tensors.Kernels;

/// <summary>Forward/backward kernels of activations that TensorPrimitives does not provide whole.</summary>
internal static class ActivationKernels
{
    private const float SqrtTwoOverPi = 0.7978845608028654f;
    private const float InvSqrtTwo = 0.7071067811865476f;
    private const float InvSqrtTwoPi = 0.3989422804014327f;
    private const float GeluCubic = 0.044715f;

    /// <summary>
    /// The error function (Abramowitz &amp; Stegun 7.1.26): absolute error below 1.5e-7, finer
    /// than float32 resolves Φ(x) near 1, so GELU matches PyTorch's erf form.
    /// </summary>
    public static double Erf(double x)
    {
        double sign = x < 0 ? -1 : 1;
        x = Math.Abs(x);
        double t = 1.0 / (1.0 + 0.3275911 * x);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return sign * (1.0 - poly * Math.Exp(-x * x));
    }

    public static void GeluErfForward(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            y[i] = (float)(0.5 * v * (1.0 + Erf(v * InvSqrtTwo)));
        }
    }

    public static void GeluErfBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        // d/dx [x Φ(x)] = Φ(x) + x φ(x)
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            double cdf = 0.5 * (1.0 + Erf(v * InvSqrtTwo));
            double pdf = InvSqrtTwoPi * Math.Exp(-0.5 * v * v);
            dx[i] += (float)(dy[i] * (cdf + v * pdf));
        }
    }

    public static void GeluTanhForward(ReadOnlySpan<float> x, Span<float> y)
    {
        // y = 0.5 x (1 + tanh(u)), u = √(2/π)(x + 0.044715 x³): the tanh runs vectorised in y.
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = SqrtTwoOverPi * (v + GeluCubic * v * v * v);
        }
        TensorPrimitives.Tanh(y, y);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = 0.5f * x[i] * (1f + y[i]);
        }
    }

    public static void GeluTanhBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        float[] t = ArrayPool<float>.Shared.Rent(x.Length);
        try
        {
            var th = t.AsSpan(0, x.Length);
            for (int i = 0; i < x.Length; i++)
            {
                float v = x[i];
                th[i] = SqrtTwoOverPi * (v + GeluCubic * v * v * v);
            }
            TensorPrimitives.Tanh(th, th);
            for (int i = 0; i < x.Length; i++)
            {
                float v = x[i], tv = th[i];
                float du = SqrtTwoOverPi * (1f + 3f * GeluCubic * v * v);
                dx[i] += dy[i] * (0.5f * (1f + tv) + 0.5f * v * (1f - tv * tv) * du);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(t);
        }
    }
}
