using System.Numerics.Tensors;

namespace Promptor.Tensors.Kernels;

// Dimension letters: E elements (dropout is element-wise; the mask has the input's shape).

/// <summary>Inverted dropout: a seeded keep mask that already holds the 1/(1 − p) scale.</summary>
internal static class DropoutKernels
{
    /// <summary>
    /// Fills <paramref name="mask"/> with <c>1/(1 − p)</c> (kept, probability 1 − p) or 0 (dropped).
    /// Each 64-bit draw of <paramref name="generator"/> decides two elements: an element is dropped
    /// when its 32-bit half is below <c>p · 2³²</c>.
    /// </summary>
    public static void FillMask(Generator generator, Span<float> mask, float p)
    {
        float scale = 1f / (1f - p);
        ulong threshold = (ulong)(p * 4294967296.0);
        int i = 0;
        for (; i + 1 < mask.Length; i += 2)
        {
            ulong bits = generator.NextUInt64();
            mask[i] = scale * Keep(bits & 0xFFFFFFFFUL, threshold);
            mask[i + 1] = scale * Keep(bits >> 32, threshold);
        }
        if (i < mask.Length)
        {
            mask[i] = scale * Keep(generator.NextUInt64() & 0xFFFFFFFFUL, threshold);
        }
    }

    /// <summary>
    /// 1 when <paramref name="draw"/> ≥ <paramref name="threshold"/>, else 0, without a branch (a
    /// data-dependent branch would mispredict at rate ≈ p): the sign bit of the difference.
    /// </summary>
    private static float Keep(ulong draw, ulong threshold) => 1 + (((long)draw - (long)threshold) >> 63);

    /// <summary>y = x · mask.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> mask, Span<float> y)
        => TensorPrimitives.Multiply(x, mask, y);

    /// <summary>dx += dy · mask.</summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> mask, Span<float> dx)
        => TensorPrimitives.MultiplyAdd(dy, mask, dx, dx);
}
