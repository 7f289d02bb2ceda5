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
/// never handed out twice: a second return of the same array is ignored. Thread-safe. Tensors use
/// <see cref="Shared"/>; separate instances exist for tests.
/// <para>
/// Large storage the pool cannot supply is freshly allocated, and some of it dies unseen (an output
/// or a leaf gradient the caller drops). The GC sizes its large-object budget from the surviving
/// heap — here mostly long-lived tensors — so hundreds of MiB of dead tensors can pile up before it
/// looks. With <see cref="CollectionFraction"/> set (the shared pool's default is ¼), the pool asks
/// for a full, non-compacting collection once fresh large allocations since the last one exceed
/// that fraction of the heap that survived it (at least 64 MiB). Tensors hold no references, so such
/// a collection is short; the dead storage is reused instead of new memory being committed.
/// </para>
/// </remarks>
internal sealed class TensorStoragePool(long maxBytes)
{
    /// <summary>Arrays shorter than this (128 KiB of floats) are never pooled.</summary>
    public const int MinimumLength = 32 * 1024;

    private const int MaxPerLength = 16;

    private readonly Lock gate = new();
    private readonly Dictionary<int, Bucket> buckets = [];
    private long pooledBytes;
    private long clock;
    private long freshBytes;
    private long collectionThreshold = MinimumCollectionThreshold;

    private const long MinimumCollectionThreshold = 64L << 20;

    /// <summary>
    /// The pool all tensors share, holding at most an eighth of the memory available to the GC
    /// (at least 64 MiB, at most 2 GiB), with <see cref="CollectionFraction"/> ¼.
    /// </summary>
    public static TensorStoragePool Shared { get; } =
        new(Math.Min(2L << 30, Math.Max(64L << 20, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8))) { CollectionFraction = 0.25 };

    /// <summary>The most bytes held for reuse; lowering it drops held arrays at the next return.</summary>
    public long MaxBytes { get; set; } = maxBytes;

    /// <summary>
    /// Fresh large allocations, as a fraction of the heap that survived the last collection, after
    /// which the pool requests a collection (see the remarks); 0 (the default of new pools) never does.
    /// </summary>
    public double CollectionFraction { get; set; }

    /// <summary>Collections this pool requested (tests and diagnostics).</summary>
    public int CollectionsRequested { get; private set; }

    /// <summary>Bytes currently held for reuse.</summary>
    public long PooledBytes
    {
        get
        {
            lock (gate)
            {
                return pooledBytes;
            }
        }
    }

    /// <summary>Arrays of <paramref name="length"/> currently held (tests and diagnostics).</summary>
    public int CountOf(int length)
    {
        lock (gate)
        {
            return buckets.TryGetValue(length, out var bucket) ? bucket.Arrays.Count : 0;
        }
    }

    /// <summary>Whether <paramref name="array"/> is currently held for reuse (tests and diagnostics).</summary>
    public bool Holds(float[] array)
    {
        lock (gate)
        {
            return buckets.TryGetValue(array.Length, out var bucket) && bucket.Arrays.Contains(array);
        }
    }

    /// <summary>
    /// An array of exactly <paramref name="length"/> floats, reused when one is held, else allocated;
    /// zero-filled when <paramref name="clear"/>, else with unspecified contents.
    /// </summary>
    public float[] Rent(int length, bool clear)
    {
        if (length >= MinimumLength)
        {
            float[]? reused = null;
            lock (gate)
            {
                if (buckets.TryGetValue(length, out var bucket) && bucket.Arrays.Count > 0)
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
            CountFreshAllocation(length);
        }
        return clear ? new float[length] : GC.AllocateUninitializedArray<float>(length);
    }

    private void CountFreshAllocation(int length)
    {
        if (CollectionFraction <= 0)
        {
            return;
        }
        bool collect;
        lock (gate)
        {
            freshBytes += (long)length * sizeof(float);
            collect = freshBytes >= collectionThreshold;
            if (collect)
            {
                freshBytes = 0;
            }
        }
        if (collect)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
            long survived = GC.GetTotalMemory(forceFullCollection: false);
            lock (gate)
            {
                CollectionsRequested++;
                collectionThreshold = Math.Max(MinimumCollectionThreshold, (long)(survived * CollectionFraction));
            }
        }
    }

    /// <summary>
    /// Takes back <paramref name="array"/>, which no tensor may use any more. Short arrays, arrays
    /// already held, and arrays beyond the bounds are left to the GC.
    /// </summary>
    public void Return(float[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        int length = array.Length;
        if (length < MinimumLength)
        {
            return;
        }
        long bytes = (long)length * sizeof(float);
        lock (gate)
        {
            if (!buckets.TryGetValue(length, out var bucket))
            {
                bucket = new Bucket();
                buckets[length] = bucket;
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
    public void Clear()
    {
        lock (gate)
        {
            buckets.Clear();
            pooledBytes = 0;
        }
    }

    private bool DropLeastRecentlyUsed(int except)
    {
        int victim = -1;
        long oldest = long.MaxValue;
        foreach (var (length, bucket) in buckets)
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
        pooledBytes -= (long)victim * sizeof(float) * buckets[victim].Arrays.Count;
        buckets.Remove(victim);
        return true;
    }

    private sealed class Bucket
    {
        public Stack<float[]> Arrays { get; } = new();

        public long LastUse { get; set; }
    }
}
