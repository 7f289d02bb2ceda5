using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Promptor.Tensors.Kernels;

// Dimension letters: E elements (dropout is element-wise; the mask has the input's shape).

/// <summary>Inverted dropout: a seeded keep mask that already holds the 1/(1 − p) scale.</summary>
/// <remarks>
/// The mask is counter-based: one 64-bit draw of the generator keys a hash of each element's index,
/// so a whole mask costs one generator step and fills in SIMD lanes (a sequential generator would
/// need one dependent step per pair of elements). The hash is two rounds of a 32-bit integer
/// finaliser (multiply–xorshift, the "lowbias32" constants), each round keyed by one half of the draw;
/// an element is dropped when its hash is below <c>p · 2³²</c>.
/// </remarks>
internal static class DropoutKernels
{
    private const uint Golden = 0x9E3779B9u;
    private const uint Multiplier1 = 0x7FEB352Du;
    private const uint Multiplier2 = 0x846CA68Bu;

    /// <summary>
    /// Fills <paramref name="mask"/> with <c>1/(1 − p)</c> (kept, probability 1 − p) or 0 (dropped),
    /// advancing <paramref name="generator"/> by one 64-bit draw.
    /// </summary>
    public static void FillMask(Generator generator, Span<float> mask, float p) => FillMask(generator.NextUInt64(), mask, p);

    /// <summary>The mask of <paramref name="key"/>: element i is kept when <c>Hash(i, key) ≥ p · 2³²</c>; vectorised.</summary>
    public static void FillMask(ulong key, Span<float> mask, float p) => Drive(mask, mask, 0, key, p, MaskUse.Write);

    /// <summary>
    /// <c>y = x · mask</c> for elements <c>firstIndex, firstIndex + 1, …</c> of the mask of
    /// <paramref name="key"/>, generated on the fly (the mask is never stored).
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, uint firstIndex, ulong key, float p)
        => Drive(x, y, firstIndex, key, p, MaskUse.Scale);

    /// <summary><c>dx += dy · mask</c>, the mask regenerated as in <see cref="Forward"/>.</summary>
    public static void Backward(ReadOnlySpan<float> dy, Span<float> dx, uint firstIndex, ulong key, float p)
        => Drive(dy, dx, firstIndex, key, p, MaskUse.Accumulate);

    /// <summary>Element by element, the oracle of <see cref="FillMask(ulong, Span{float}, float)"/>.</summary>
    public static void FillMaskReference(ulong key, Span<float> mask, float p)
    {
        float scale = 1f / (1f - p);
        uint threshold = Threshold(p);
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = Hash((uint)i, (uint)key, (uint)(key >> 32)) >= threshold ? scale : 0f;
        }
    }

    /// <summary><c>⌊p · 2³²⌋</c>, below which a hash drops its element (p in [0, 1)).</summary>
    private static uint Threshold(float p) => (uint)Math.Min(p * 4294967296.0, uint.MaxValue);

    /// <summary>The keyed hash of one element index.</summary>
    internal static uint Hash(uint index, uint k0, uint k1)
    {
        uint x = Finalize(index * Golden + k0);
        return Finalize(x + k1);
    }

    private static uint Finalize(uint x)
    {
        x ^= x >> 16;
        x *= Multiplier1;
        x ^= x >> 15;
        x *= Multiplier2;
        x ^= x >> 16;
        return x;
    }

    private static Vector<uint> Hash(Vector<uint> index, uint k0, uint k1)
    {
        var x = Finalize(index * new Vector<uint>(Golden) + new Vector<uint>(k0));
        return Finalize(x + new Vector<uint>(k1));
    }

    /// <summary>One 16-lane step of <see cref="Drive"/>: elements <c>first … first + 15</c> of the mask, used as <paramref name="use"/> says.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Apply16(ReadOnlySpan<float> source, Span<float> target, uint first, uint k0, uint k1, float scale, uint threshold, MaskUse use)
    {
        var laneIndex = Vector512.Create(0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u, 9u, 10u, 11u, 12u, 13u, 14u, 15u);
        var kept = Vector512.GreaterThanOrEqual(Hash512(Vector512.Create(first) + laneIndex, k0, k1), Vector512.Create(threshold));
        var factor = Vector512.ConditionalSelect(kept.AsSingle(), Vector512.Create(scale), Vector512<float>.Zero);
        var value = use switch
        {
            MaskUse.Write => factor,
            MaskUse.Scale => Vector512.Create(source) * factor,
            _ => Vector512.Create(target) + Vector512.Create(source) * factor,
        };
        value.CopyTo(target);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Hash512(Vector512<uint> index, uint k0, uint k1)
    {
        var x = Finalize512(index * Vector512.Create(Golden) + Vector512.Create(k0));
        return Finalize512(x + Vector512.Create(k1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Finalize512(Vector512<uint> x)
    {
        x ^= Vector512.ShiftRightLogical(x, 16);
        x *= Vector512.Create(Multiplier1);
        x ^= Vector512.ShiftRightLogical(x, 15);
        x *= Vector512.Create(Multiplier2);
        x ^= Vector512.ShiftRightLogical(x, 16);
        return x;
    }

    private static Vector<uint> Finalize(Vector<uint> x)
    {
        x ^= Vector.ShiftRightLogical(x, 16);
        x *= new Vector<uint>(Multiplier1);
        x ^= Vector.ShiftRightLogical(x, 15);
        x *= new Vector<uint>(Multiplier2);
        x ^= Vector.ShiftRightLogical(x, 16);
        return x;
    }

    /// <summary>
    /// <c>dx += y &gt; 0 ? dy · scale : 0</c>: the backward of rectification followed by dropout, read off the
    /// output <paramref name="y"/> (positive exactly where the input was positive and kept).
    /// </summary>
    public static void BackwardWherePositive(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, float scale)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var factor = Vector512.Create(scale);
            for (; i <= y.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var kept = Vector512.GreaterThan(Vector512.Create(y[i..]), Vector512<float>.Zero);
                var sum = Vector512.Create(dx[i..]) + Vector512.ConditionalSelect(kept, Vector512.Create(dy[i..]) * factor, Vector512<float>.Zero);
                sum.CopyTo(dx[i..]);
            }
        }
        for (; i < y.Length; i++)
        {
            if (y[i] > 0)
            {
                dx[i] += dy[i] * scale;
            }
        }
    }

    /// <summary>
    /// The mask factors (<c>1/(1 − p)</c> kept, 0 dropped) of <paramref name="key"/> at sixteen arbitrary
    /// element indices, e.g. one key's weights for sixteen query rows (indices a row length apart):
    /// the values <see cref="FillMask(ulong, Span{float}, float)"/> writes at those positions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Factors(Vector512<uint> index, ulong key, float p)
    {
        var kept = Vector512.GreaterThanOrEqual(Hash512(index, (uint)key, (uint)(key >> 32)), Vector512.Create(Threshold(p)));
        return Vector512.ConditionalSelect(kept.AsSingle(), Vector512.Create(1f / (1f - p)), Vector512<float>.Zero);
    }

    /// <summary>
    /// Multiplies <paramref name="row"/>[0 .. <paramref name="count"/>) by the mask of <paramref name="key"/>
    /// at element indices <c>firstIndex, firstIndex + 1, …</c> (mod 2³²): the same values
    /// <see cref="FillMask(ulong, Span{float}, float)"/> writes at those positions, applied in place,
    /// so a fused kernel can drop a tile of a larger tensor without storing its mask.
    /// </summary>
    public static unsafe void ApplyMask(float* row, int count, uint firstIndex, ulong key, float p)
    {
        var span = new Span<float>(row, count);
        Drive(span, span, firstIndex, key, p, MaskUse.Scale);
    }

    /// <summary>What <see cref="Drive"/> does with each element's mask factor f.</summary>
    private enum MaskUse
    {
        /// <summary><c>target = f</c>.</summary>
        Write,

        /// <summary><c>target = source · f</c> (source may be target).</summary>
        Scale,

        /// <summary><c>target += source · f</c>.</summary>
        Accumulate,
    }

    /// <summary>
    /// The one loop behind every mask use: the factors of elements <c>firstIndex …</c> of the mask
    /// of <paramref name="key"/> written over <paramref name="target"/>, or multiplied with
    /// <paramref name="source"/> into it (<see cref="MaskUse"/>).
    /// </summary>
    private static void Drive(ReadOnlySpan<float> source, Span<float> target, uint firstIndex, ulong key, float p, MaskUse use)
    {
        float scale = 1f / (1f - p);
        uint threshold = Threshold(p);
        uint k0 = (uint)key, k1 = (uint)(key >> 32);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // 16 lanes: the integer multiplies of the hash are the cost, twice the 8-lane throughput.
            for (; i <= target.Length - Vector512<uint>.Count; i += Vector512<uint>.Count)
            {
                Apply16(source.Slice(i, 16), target.Slice(i, 16), firstIndex + (uint)i, k0, k1, scale, threshold, use);
            }
            if (i < target.Length)
            {
                // The partial last vector (rows of attention weights are often a few lanes past a
                // multiple of 16) through a zero-padded copy, its valid lanes written back.
                int rest = target.Length - i;
                Span<float> from = stackalloc float[16];
                Span<float> to = stackalloc float[16];
                from.Clear();
                to.Clear();
                if (use != MaskUse.Write)
                {
                    source.Slice(i, rest).CopyTo(from);
                }
                if (use == MaskUse.Accumulate)
                {
                    target.Slice(i, rest).CopyTo(to);
                }
                Apply16(from, to, firstIndex + (uint)i, k0, k1, scale, threshold, use);
                to[..rest].CopyTo(target[i..]);
                return;
            }
        }
        if (Vector.IsHardwareAccelerated && target.Length - i >= Vector<uint>.Count)
        {
            int lanes = Vector<uint>.Count;
            Span<uint> offsets = stackalloc uint[lanes];
            for (int l = 0; l < lanes; l++)
            {
                offsets[l] = (uint)l;
            }
            var laneIndex = new Vector<uint>(offsets);
            var keep = new Vector<float>(scale);
            var limit = new Vector<uint>(threshold);
            for (; i <= target.Length - lanes; i += lanes)
            {
                var kept = Vector.GreaterThanOrEqual(Hash(new Vector<uint>(firstIndex + (uint)i) + laneIndex, k0, k1), limit);
                var factor = Vector.ConditionalSelect(Vector.AsVectorSingle(kept), keep, Vector<float>.Zero);
                var value = use switch
                {
                    MaskUse.Write => factor,
                    MaskUse.Scale => new Vector<float>(source[i..]) * factor,
                    _ => new Vector<float>(target[i..]) + new Vector<float>(source[i..]) * factor,
                };
                value.CopyTo(target[i..]);
            }
        }
        for (; i < target.Length; i++)
        {
            float factor = Hash(firstIndex + (uint)i, k0, k1) >= threshold ? scale : 0f;
            target[i] = use switch
            {
                MaskUse.Write => factor,
                MaskUse.Scale => source[i] * factor,
                _ => target[i] + source[i] * factor,
            };
        }
    }
}
