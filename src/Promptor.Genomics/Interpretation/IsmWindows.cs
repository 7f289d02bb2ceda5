using Promptor.Genomics.Models;

namespace Promptor.Genomics.Interpretation;

/// <summary>
/// The geometry of a <see cref="CondPromoter"/>'s convolution stack ('same' convolutions, each
/// followed by max-pooling that drops a trailing remainder), used to recompute only what a single
/// mutation changes. A base at position i reaches a short range of final positions; those positions
/// depend on a short input window, aligned to the total pooling stride S so that its pooling windows
/// coincide with the full sequence's. Recomputing that window gives those positions exactly.
/// </summary>
internal sealed class IsmWindows
{
    private readonly int length;
    private readonly (int Left, int Right, int Pool, int Length)[] layers; // Length: the layer's input length

    public IsmWindows(CondPromoterOptions options)
    {
        length = options.SequenceLength;
        layers = new (int, int, int, int)[options.Convolutions.Count];
        int current = length;
        Stride = 1;
        for (int i = 0; i < layers.Length; i++)
        {
            var c = options.Convolutions[i];
            int total = c.Dilation * (c.Width - 1);
            layers[i] = (total / 2, total - total / 2, c.Pool, current);
            current /= c.Pool;
            Stride *= c.Pool;
        }
        EncodedLength = current;
    }

    /// <summary>Total pooling stride S of the stack.</summary>
    public int Stride { get; }

    /// <summary>Positions T' after the stack.</summary>
    public int EncodedLength { get; }

    /// <summary>The final positions a change at <paramref name="position"/> can reach; empty when <c>Hi &lt; Lo</c>.</summary>
    public (int Lo, int Hi) Affected(int position)
    {
        int lo = position, hi = position;
        foreach (var (left, right, pool, n) in layers)
        {
            // A 'same' conv output j reads inputs [j − left, j + right].
            lo = Math.Max(0, lo - right);
            hi = Math.Min(n - 1, hi + left);
            lo /= pool;
            hi = Math.Min(n / pool - 1, hi / pool);
            if (hi < lo)
            {
                return (0, -1);
            }
        }
        return (lo, hi);
    }

    /// <summary>
    /// The input window <c>[Start, End)</c> whose convolution gives the final positions
    /// <c>[lo, hi]</c> exactly: Start is a multiple of S, End is one too or the sequence end.
    /// </summary>
    public (int Start, int End) Window(int lo, int hi)
    {
        for (int i = layers.Length - 1; i >= 0; i--)
        {
            var (left, right, pool, n) = layers[i];
            lo *= pool;
            hi = hi * pool + pool - 1;
            lo = Math.Max(0, lo - left);
            hi = Math.Min(n - 1, hi + right);
        }
        int start = lo / Stride * Stride;
        int end = Math.Min(length, (hi + Stride) / Stride * Stride);
        return (start, end);
    }
}
