using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Promptor.Tensors.Kernels;

/// <summary>Forward/backward kernels of activations that TensorPrimitives does not provide whole.</summary>
internal static class ActivationKernels
{
    private const float SqrtTwoOverPi = 0.7978845608028654f;
    private const float InvSqrtTwo = 0.7071067811865476f;
    private const float InvSqrtTwoPi = 0.3989422804014327f;
    private const float GeluCubic = 0.044715f;

    /// <summary>
    /// Accumulates the ReLU gradient <c>dx += x &gt; 0 ? dy : 0</c> with vector selects: a branch per
    /// element would mispredict on about half of them (activations' signs are random).
    /// </summary>
    public static void ReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var positive = Vector.GreaterThan(new Vector<float>(x[i..]), Vector<float>.Zero);
                var sum = new Vector<float>(dx[i..]) + Vector.ConditionalSelect(positive, new Vector<float>(dy[i..]), Vector<float>.Zero);
                sum.CopyTo(dx[i..]);
            }
        }
        for (; i < x.Length; i++)
        {
            if (x[i] > 0)
            {
                dx[i] += dy[i];
            }
        }
    }

    /// <summary>The scalar ReLU gradient (test oracle for <see cref="ReluBackward"/>).</summary>
    public static void ReluBackwardReference(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] > 0)
            {
                dx[i] += dy[i];
            }
        }
    }

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

    // A&S 7.1.26 coefficients: erf(a) ≈ 1 − t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·e^(−a²), t = 1/(1 + p·a).
    private const float ErfP = 0.3275911f, ErfA1 = 0.254829592f, ErfA2 = -0.284496736f, ErfA3 = 1.421413741f, ErfA4 = -1.453152027f, ErfA5 = 1.061405429f;

    /// <summary>
    /// Exact-form GELU <c>x·Φ(x)</c>. The erf polynomial and <c>e^(−x²/2)</c> run in 16-wide vectors
    /// where AVX-512 is present and 8-wide ones otherwise (<see cref="Vector512.Exp(Vector512{float})"/>); <see cref="GeluErfForwardReference"/> is the
    /// double-precision scalar oracle.
    /// </summary>
    public static void GeluErfForward(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var v = Vector512.Create(x.Slice(i, Vector512<float>.Count));
                var (erf, _) = ErfAndGaussian(v * InvSqrtTwo);
                (v * 0.5f * (Vector512<float>.One + erf)).CopyTo(y.Slice(i));
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.Create(x.Slice(i, Vector256<float>.Count));
                var (erf, _) = ErfAndGaussian(v * InvSqrtTwo);
                (v * 0.5f * (Vector256<float>.One + erf)).CopyTo(y.Slice(i));
            }
        }
        for (; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = 0.5f * v * (1f + ErfScalar(v * InvSqrtTwo));
        }
    }

    /// <summary>Exact-form GELU of 16 values, as <see cref="GeluErfForward"/>'s vector path.</summary>
    internal static Vector512<float> GeluErf(Vector512<float> v)
    {
        var (erf, _) = ErfAndGaussian(v * InvSqrtTwo);
        return v * 0.5f * (Vector512<float>.One + erf);
    }

    /// <summary>Exact-form GELU of one value, as <see cref="GeluErfForward"/>'s scalar tail.</summary>
    internal static float GeluErf(float v) => 0.5f * v * (1f + ErfScalar(v * InvSqrtTwo));

    /// <summary>Accumulates the exact-form GELU gradient <c>dx += dy·(Φ(x) + x·φ(x))</c>, vectorised like the forward.</summary>
    public static void GeluErfBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var v = Vector512.Create(x.Slice(i, Vector512<float>.Count));
                var (erf, gaussian) = ErfAndGaussian(v * InvSqrtTwo); // gaussian = e^(−x²/2)
                var cdf = (Vector512<float>.One + erf) * 0.5f;
                var grad = Vector512.Create(dy.Slice(i, Vector512<float>.Count)) * (cdf + v * (gaussian * InvSqrtTwoPi));
                (Vector512.Create(dx.Slice(i, Vector512<float>.Count)) + grad).CopyTo(dx.Slice(i));
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.Create(x.Slice(i, Vector256<float>.Count));
                var (erf, gaussian) = ErfAndGaussian(v * InvSqrtTwo); // gaussian = e^(−x²/2)
                var cdf = (Vector256<float>.One + erf) * 0.5f;
                var grad = Vector256.Create(dy.Slice(i, Vector256<float>.Count)) * (cdf + v * (gaussian * InvSqrtTwoPi));
                (Vector256.Create(dx.Slice(i, Vector256<float>.Count)) + grad).CopyTo(dx.Slice(i));
            }
        }
        for (; i < x.Length; i++)
        {
            float v = x[i];
            float cdf = 0.5f * (1f + ErfScalar(v * InvSqrtTwo));
            dx[i] += dy[i] * (cdf + v * InvSqrtTwoPi * MathF.Exp(-0.5f * v * v));
        }
    }

    /// <summary>erf(z) and e^(−z²) for 8 lanes at once.</summary>
    private static (Vector256<float> Erf, Vector256<float> Gaussian) ErfAndGaussian(Vector256<float> z)
    {
        var a = Vector256.Abs(z);
        var t = Vector256<float>.One / (Vector256<float>.One + a * ErfP);
        var poly = t * (Vector256.Create(ErfA1) + t * (Vector256.Create(ErfA2) + t * (Vector256.Create(ErfA3)
            + t * (Vector256.Create(ErfA4) + t * ErfA5))));
        var gaussian = Vector256.Exp(-(a * a));
        var erfAbs = Vector256<float>.One - poly * gaussian;
        // Copy the sign of z onto |erf|.
        var sign = z & Vector256.Create(-0f);
        return (erfAbs | sign, gaussian);
    }

    /// <summary>erf(z) and e^(−z²) for 16 lanes at once (the AVX-512 twin of the 8-lane form).</summary>
    private static (Vector512<float> Erf, Vector512<float> Gaussian) ErfAndGaussian(Vector512<float> z)
    {
        var a = Vector512.Abs(z);
        var t = Vector512<float>.One / (Vector512<float>.One + a * ErfP);
        var poly = t * (Vector512.Create(ErfA1) + t * (Vector512.Create(ErfA2) + t * (Vector512.Create(ErfA3)
            + t * (Vector512.Create(ErfA4) + t * ErfA5))));
        // −a² ≤ 0: the single-precision exponential of the softmax, several times cheaper than
        // Vector512.Exp (which evaluates in double precision) and within about 1 ulp.
        var gaussian = AttentionInferenceKernels.ExpNonPositive(-(a * a));
        var erfAbs = Vector512<float>.One - poly * gaussian;
        var sign = z & Vector512.Create(-0f);
        return (erfAbs | sign, gaussian);
    }

    private static float ErfScalar(float z)
    {
        float a = MathF.Abs(z);
        float t = 1f / (1f + ErfP * a);
        float poly = t * (ErfA1 + t * (ErfA2 + t * (ErfA3 + t * (ErfA4 + t * ErfA5))));
        return MathF.CopySign(1f - poly * MathF.Exp(-a * a), z);
    }

    /// <summary>The double-precision scalar exact GELU (test oracle for <see cref="GeluErfForward"/>).</summary>
    public static void GeluErfForwardReference(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            y[i] = (float)(0.5 * v * (1.0 + Erf(v * InvSqrtTwo)));
        }
    }

    /// <summary>The double-precision scalar exact GELU gradient (test oracle for <see cref="GeluErfBackward"/>).</summary>
    public static void GeluErfBackwardReference(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
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
