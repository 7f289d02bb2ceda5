namespace Promptor.Tensors;

/// <summary>
/// Reuse of large tensor storage. Arrays the autograd tape knows to be dead — the gradients of
/// intermediates once their backward step has run, and intermediates a module declared private
/// with <see cref="Autograd.Tape.RecycleAfterBackward"/> — come back here, kept by exact length, and
/// the next tensor of that length takes one instead of a fresh allocation. A training step then
/// allocates its large buffers once instead of leaving hundreds of MiB of garbage per step to the
/// GC (which lets the heap, and the resident set, grow far beyond the live data before collecting).
/// </summary>
/// <remarks>
/// Only arrays of at least <see cref="MinimumLength"/> floats are pooled (smaller ones are cheap
/// gen-0 allocations). The pool is bounded by <see cref="MaxBytes"/>: returning beyond it first drops
/// the least recently used lengths, so shapes that stopped occurring do not pin memory. An array is
/// never handed out twice: a second return of the same array is ignored. Thread-safe.
/// </remarks>
internal static class TensorStoragePool
{
    /// <summary>Arrays shorter than this (128 KiB of floats) are never pooled.</summary>
    public const int MinimumLength = 32 * 1024;

    private const int MaxPerLength = 16;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<int, Bucket> Buckets = [];
    private static long pooledBytes;
    private static long clock;

    /// <summary>
    /// The most bytes held for reuse; default an eighth of the memory available to the GC, at most
    /// 2 GiB. Lowering it drops held arrays at the next return.
    /// </summary>
    public static long MaxBytes { get; set; } = Math.Min(2L << 30, Math.Max(64L << 20, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8));

    /// <summary>Bytes currently held for reuse.</summary>
    public static long PooledBytes
    {
        get
        {
            lock (Gate)
            {
                return pooledBytes;
            }
        }
    }

    /// <summary>Arrays of <paramref name="length"/> currently held (tests and diagnostics).</summary>
    public static int CountOf(int length)
    {
        lock (Gate)
        {
            return Buckets.TryGetValue(length, out var bucket) ? bucket.Arrays.Count : 0;
        }
    }

    /// <summary>
    /// An array of exactly <paramref name="length"/> floats, reused when one is held, else allocated;
    /// zero-filled when <paramref name="clear"/>, else with unspecified contents.
    /// </summary>
    public static float[] Rent(int length, bool clear)
    {
        if (length >= MinimumLength)
        {
            float[]? reused = null;
            lock (Gate)
            {
                if (Buckets.TryGetValue(length, out var bucket) && bucket.Arrays.Count > 0)
                {
                    reused = bucket.Arrays.Pop();
                    bucket.LastUse = ++clock;
                    pooledBytes -= (long)length * sizeof(float);
                }
            }
            if (reused is not null)
            {
                if (clear)
                {
                    Array.Clear(reused);
                }
                return reused;
            }
        }
        return clear ? new float[length] : GC.AllocateUninitializedArray<float>(length);
    }

    /// <summary>
    /// Takes back <paramref name="array"/>, which no tensor may use any more. Short arrays, arrays
    /// already held, and arrays beyond the bounds are left to the GC.
    /// </summary>
    public static void Return(float[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        int length = array.Length;
        if (length < MinimumLength)
        {
            return;
        }
        long bytes = (long)length * sizeof(float);
        lock (Gate)
        {
            if (!Buckets.TryGetValue(length, out var bucket))
            {
                bucket = new Bucket();
                Buckets[length] = bucket;
            }
            foreach (var held in bucket.Arrays)
            {
                if (ReferenceEquals(held, array))
                {
                    return;
                }
            }
            bucket.LastUse = ++clock;
            if (bucket.Arrays.Count >= MaxPerLength || bytes > MaxBytes)
            {
                return;
            }
            while (pooledBytes + bytes > MaxBytes && DropLeastRecentlyUsed(except: length))
            {
            }
            if (pooledBytes + bytes > MaxBytes)
            {
                return;
            }
            bucket.Arrays.Push(array);
            pooledBytes += bytes;
        }
    }

    /// <summary>Drops every held array (tests, or to give memory back).</summary>
    public static void Clear()
    {
        lock (Gate)
        {
            Buckets.Clear();
            pooledBytes = 0;
        }
    }

    private static bool DropLeastRecentlyUsed(int except)
    {
        int victim = -1;
        long oldest = long.MaxValue;
        foreach (var (length, bucket) in Buckets)
        {
            if (length != except && bucket.Arrays.Count > 0 && bucket.LastUse < oldest)
            {
                oldest = bucket.LastUse;
                victim = length;
            }
        }
        if (victim < 0)
        {
            return false;
        }
        pooledBytes -= (long)victim * sizeof(float) * Buckets[victim].Arrays.Count;
        Buckets.Remove(victim);
        return true;
    }

    private sealed class Bucket
    {
        public Stack<float[]> Arrays { get; } = new();

        public long LastUse { get; set; }
    }
}
