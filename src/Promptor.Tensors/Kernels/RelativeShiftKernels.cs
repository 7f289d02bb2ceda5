using System.Diagnostics;
using System.Numerics.Tensors;

namespace Promptor.Tensors.Kernels;

// Dimension letters: N planes (batch × heads, flattened), T sequence length (queries = keys),
// K clip distance, R relative distances: 2K+1 (bidirectional, distances −K..K) or K+1 (causal,
// distances −K..0). Column r of a relative tensor holds distance r − K in both forms.
// Layouts: rel (N, T, R) contiguous, s (N, T, T) contiguous.

/// <summary>
/// The Music Transformer's "skewing" (Huang et al. 2018) and its adjoint. <see cref="Shift"/> turns
/// relative logits indexed by distance, <c>rel[i, r] = q_i · E_r</c>, into logits indexed by key,
/// <c>s[i, j] = rel[i, index(j − i)]</c>, so the <c>(T, T, D)</c> tensor of per-pair embeddings is
/// never built. <see cref="Unshift"/> is its transpose: it sums a <c>(T, T)</c> plane into one
/// value per distance (the backward of <see cref="Shift"/>, and the forward of Shaw's value term).
/// Both accumulate (<c>+=</c>) into their output.
/// </summary>
internal static class RelativeShiftKernels
{
    /// <summary>Planes × T² below which a single thread is faster than <see cref="Parallel"/>.</summary>
    private const int ParallelThreshold = 1 << 16;

    /// <summary>
    /// The column of distance <paramref name="distance"/> = j − i: <c>clip(distance, −K, K) + K</c>,
    /// or −1 for a causal table and a future key (distance &gt; 0).
    /// </summary>
    public static int Index(int distance, int maxDistance, bool causal)
    {
        if (causal && distance > 0)
        {
            return -1;
        }
        return Math.Clamp(distance, -maxDistance, maxDistance) + maxDistance;
    }

    /// <summary>Number of relative distances R of a table with clip distance K.</summary>
    public static int Columns(int maxDistance, bool causal) => causal ? maxDistance + 1 : 2 * maxDistance + 1;

    /// <summary><c>s[n, i, j] += rel[n, i, index(j − i)]</c>; causal future keys (j &gt; i) get nothing.</summary>
    public static void Shift(float[] rel, float[] s, int planes, int t, int maxDistance, bool causal)
    {
        int r = Columns(maxDistance, causal);
        DebugGuard(rel.Length == planes * t * r && s.Length == planes * t * t);
        ForEachPlane(planes, t, n => ShiftPlane(rel.AsSpan(n * t * r, t * r), s.AsSpan(n * t * t, t * t), t, maxDistance, causal));
    }

    /// <summary><c>rel[n, i, index(j − i)] += s[n, i, j]</c> over every key j (causal: j ≤ i).</summary>
    public static void Unshift(float[] s, float[] rel, int planes, int t, int maxDistance, bool causal)
    {
        int r = Columns(maxDistance, causal);
        DebugGuard(rel.Length == planes * t * r && s.Length == planes * t * t);
        ForEachPlane(planes, t, n => UnshiftPlane(s.AsSpan(n * t * t, t * t), rel.AsSpan(n * t * r, t * r), t, maxDistance, causal));
    }

    private static void ForEachPlane(int planes, int t, Action<int> body)
    {
        if ((long)planes * t * t < ParallelThreshold)
        {
            for (int n = 0; n < planes; n++)
            {
                body(n);
            }
            return;
        }
        WorkerTeam.For(planes, Environment.ProcessorCount, body);
    }

    // The trick: within row i the unclipped keys j ∈ [i − K, i + K] (causal: [i − K, i]) read
    // consecutive columns j − i + K, so the row is one contiguous add plus two constant runs for
    // the clipped distances. This is what the Music Transformer's pad-reshape-slice achieves with a
    // view: after padding one column and reshaping, row i starts one element further left.
    private static void ShiftPlane(ReadOnlySpan<float> rel, Span<float> s, int t, int k, bool causal)
    {
        int r = Columns(k, causal);
        for (int i = 0; i < t; i++)
        {
            var relRow = rel.Slice(i * r, r);
            var sRow = s.Slice(i * t, t);
            int lo = Math.Max(0, i - k);
            int hi = Math.Min(t - 1, causal ? i : i + k);
            if (lo > 0)
            {
                TensorPrimitives.Add(sRow[..lo], relRow[0], sRow[..lo]);
            }
            var mid = sRow[lo..(hi + 1)];
            TensorPrimitives.Add(mid, relRow.Slice(lo - i + k, hi - lo + 1), mid);
            if (!causal && hi < t - 1)
            {
                var right = sRow[(hi + 1)..];
                TensorPrimitives.Add(right, relRow[2 * k], right);
            }
        }
    }

    private static void UnshiftPlane(ReadOnlySpan<float> s, Span<float> rel, int t, int k, bool causal)
    {
        int r = Columns(k, causal);
        for (int i = 0; i < t; i++)
        {
            var relRow = rel.Slice(i * r, r);
            var sRow = s.Slice(i * t, t);
            int lo = Math.Max(0, i - k);
            int hi = Math.Min(t - 1, causal ? i : i + k);
            if (lo > 0)
            {
                relRow[0] += TensorPrimitives.Sum(sRow[..lo]);
            }
            var mid = relRow.Slice(lo - i + k, hi - lo + 1);
            TensorPrimitives.Add(mid, sRow[lo..(hi + 1)], mid);
            if (!causal && hi < t - 1)
            {
                relRow[2 * k] += TensorPrimitives.Sum(sRow[(hi + 1)..]);
            }
        }
    }

    /// <summary>The oracle for <see cref="Shift"/>: one clipped index per (i, j).</summary>
    public static void ShiftReference(ReadOnlySpan<float> rel, Span<float> s, int planes, int t, int maxDistance, bool causal)
    {
        int r = Columns(maxDistance, causal);
        for (int n = 0; n < planes; n++)
        {
            for (int i = 0; i < t; i++)
            {
                for (int j = 0; j < t; j++)
                {
                    int c = Index(j - i, maxDistance, causal);
                    if (c >= 0)
                    {
                        s[(n * t + i) * t + j] += rel[(n * t + i) * r + c];
                    }
                }
            }
        }
    }

    /// <summary>The oracle for <see cref="Unshift"/>: one clipped index per (i, j).</summary>
    public static void UnshiftReference(ReadOnlySpan<float> s, Span<float> rel, int planes, int t, int maxDistance, bool causal)
    {
        int r = Columns(maxDistance, causal);
        for (int n = 0; n < planes; n++)
        {
            for (int i = 0; i < t; i++)
            {
                for (int j = 0; j < t; j++)
                {
                    int c = Index(j - i, maxDistance, causal);
                    if (c >= 0)
                    {
                        rel[(n * t + i) * r + c] += s[(n * t + i) * t + j];
                    }
                }
            }
        }
    }

    [Conditional("DEBUG")]
    private static void DebugGuard(bool condition)
    {
        if (!condition)
        {
            throw new InvalidOperationException("RelativeShiftKernels: buffer sizes do not match (N, T, R) and (N, T, T).");
        }
    }
}
