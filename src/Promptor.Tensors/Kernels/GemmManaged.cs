using System.Buffers;
using System.Runtime.CompilerServices;

namespace Promptor.Tensors.Kernels;

/// <summary>Which managed micro-kernel runs; <see cref="Auto"/> picks the widest one the CPU supports.</summary>
internal enum GemmKernelKind
{
    Auto,
    Avx512,
    Avx2,
    Portable,
}

/// <summary>
/// One GEMM call as raw pointers (the caller keeps the spans pinned). Sub-blocks of C are
/// themselves problems, which is how the parallel loop and the batch hand out work.
/// </summary>
internal readonly unsafe struct GemmProblem
{
    public readonly bool TransA, TransB;
    public readonly int M, N, K;
    public readonly float Alpha, Beta;
    public readonly float* A, B, C;
    public readonly int Lda, Ldb, Ldc;

    /// <summary>Applied to each tile of C after its last depth slice (none by default).</summary>
    public readonly GemmEpilogue Epilogue;

    public GemmProblem(
        bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, GemmEpilogue epilogue = default)
    {
        TransA = transA; TransB = transB; M = m; N = n; K = k; Alpha = alpha; Beta = beta;
        A = a; Lda = lda; B = b; Ldb = ldb; C = c; Ldc = ldc; Epilogue = epilogue;
    }

    /// <summary>The rows <c>[start, start + count)</c> of C.</summary>
    public GemmProblem Rows(int start, int count) => new(
        TransA, TransB, count, N, K, Alpha,
        TransA ? A + start : A + (long)start * Lda, Lda, B, Ldb, Beta, C + (long)start * Ldc, Ldc,
        Epilogue.Shift(start, 0, Ldc));

    /// <summary>The columns <c>[start, start + count)</c> of C.</summary>
    public GemmProblem Columns(int start, int count) => new(
        TransA, TransB, M, count, K, Alpha,
        A, Lda, TransB ? B + (long)start * Ldb : B + start, Ldb, Beta, C + start, Ldc,
        Epilogue.Shift(0, start, Ldc));

    /// <summary>The same shape with the three matrices moved by the given element offsets (no epilogue: batched products have none).</summary>
    public GemmProblem Offset(long a, long b, long c) => new(
        TransA, TransB, M, N, K, Alpha, A + a, Lda, B + b, Ldb, Beta, C + c, Ldc);

    /// <summary>The same product without its epilogue.</summary>
    public GemmProblem WithoutEpilogue() => new(TransA, TransB, M, N, K, Alpha, A, Lda, B, Ldb, Beta, C, Ldc);
}

/// <summary>
/// The managed GEMM: Goto/BLIS blocking around a register micro-kernel. For each NC-wide column
/// block and KC-deep slice, B is packed once (it stays in L2/L3 and is reused by every row
/// block); for each MC-tall row block, A is packed (it stays in L2 and is reused by every column
/// strip); the micro-kernel then sweeps <c>Mr × Nr</c> tiles with one B strip hot in L1.
/// </summary>
internal static unsafe class GemmManaged
{
    /// <summary>Depth of a packed slice: one B strip (KC × Nr floats) must fit L1 beside the A strip.</summary>
    internal static int Kc = 256;

    /// <summary>Rows of a packed A block (MC × KC floats, kept in L2).</summary>
    internal static int Mc = 128;

    /// <summary>Columns of a packed B block (KC × NC floats, kept in L2/L3).</summary>
    internal static int Nc = 1024;

    /// <summary>Below this many multiply-adds (m·n·k) a product runs on the calling thread: waking a worker costs more.</summary>
    internal static long ParallelThreshold = 1L << 21;

    /// <summary>The kernel <see cref="GemmKernelKind.Auto"/> resolves to on this machine.</summary>
    public static GemmKernelKind BestKernel { get; } =
        Avx512Kernel8x32.IsSupported ? GemmKernelKind.Avx512
        : Avx2Kernel6x16.IsSupported ? GemmKernelKind.Avx2
        : GemmKernelKind.Portable;

    /// <summary>Whether <paramref name="kind"/> can run here.</summary>
    public static bool IsSupported(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Auto or GemmKernelKind.Portable => true,
        GemmKernelKind.Avx512 => Avx512Kernel8x32.IsSupported,
        GemmKernelKind.Avx2 => Avx2Kernel6x16.IsSupported,
        _ => false,
    };

    /// <summary>Runs one product with m, n, k ≥ 1 on at most <paramref name="threads"/> threads.</summary>
    public static void Multiply(GemmKernelKind kind, in GemmProblem p, int threads)
    {
        switch (Resolve(kind))
        {
            case GemmKernelKind.Avx512: Multiply<Avx512Kernel8x32>(p, threads); break;
            case GemmKernelKind.Avx2: Multiply<Avx2Kernel6x16>(p, threads); break;
            default: Multiply<PortableKernel4xV2>(p, threads); break;
        }
    }

    /// <summary>Runs <paramref name="batch"/> products whose matrices sit at fixed element strides from <paramref name="first"/>.</summary>
    public static void MultiplyBatched(
        GemmKernelKind kind, in GemmProblem first, long strideA, long strideB, long strideC, int batch, int threads)
    {
        switch (Resolve(kind))
        {
            case GemmKernelKind.Avx512: MultiplyBatched<Avx512Kernel8x32>(first, strideA, strideB, strideC, batch, threads); break;
            case GemmKernelKind.Avx2: MultiplyBatched<Avx2Kernel6x16>(first, strideA, strideB, strideC, batch, threads); break;
            default: MultiplyBatched<PortableKernel4xV2>(first, strideA, strideB, strideC, batch, threads); break;
        }
    }

    private static GemmKernelKind Resolve(GemmKernelKind kind)
    {
        if (kind == GemmKernelKind.Auto)
        {
            return BestKernel;
        }

        if (!IsSupported(kind))
        {
            throw new PlatformNotSupportedException($"The {kind} GEMM kernel needs instructions this CPU lacks.");
        }

        return kind;
    }

    private static void Multiply<TK>(GemmProblem p, int threads)
        where TK : IGemmMicroKernel
    {
        if (threads <= 1 || (long)p.M * p.N * p.K < ParallelThreshold)
        {
            RunSerial<TK>(p, 0, 0, 0, 1);
        }
        else if (Scheme == ParallelScheme.Partitioned)
        {
            RunPartitioned<TK>(p, threads);
        }
        else
        {
            RunParallel<TK>(p, threads);
        }
    }

    /// <summary>How a single large product is spread over threads (a tuning switch for the benchmark).</summary>
    internal enum ParallelScheme
    {
        /// <summary>Each thread runs the whole serial loop nest on its own part of C.</summary>
        Partitioned,

        /// <summary>B slices packed once and shared; row blocks handed out per slice.</summary>
        SharedSlices,
    }

    internal static ParallelScheme Scheme = ParallelScheme.Partitioned;

    /// <summary>
    /// Splits C into a few parts along its longer side (whole tiles each) and runs the serial loop
    /// nest on every part independently: each thread packs its own panels, so threads never wait
    /// for each other inside the product. The duplicated packing (A for a column split, B for a
    /// row split) costs one pass over that operand per part, small against the part's m·n·k.
    /// </summary>
    private static void RunPartitioned<TK>(in GemmProblem p, int threads)
        where TK : IGemmMicroKernel
    {
        bool byColumns = p.N >= p.M;
        int unit = byColumns ? TK.Nr : TK.Mr;
        int length = byColumns ? p.N : p.M;
        int units = CeilDiv(length, unit);
        int parts = Math.Min(units, threads * PartsPerThread);
        if (parts < 2)
        {
            RunSerial<TK>(p, 0, 0, 0, 1);
            return;
        }

        GemmProblem problem = p;
        WorkerTeam.For(parts, threads, part =>
        {
            int start = (int)((long)units * part / parts) * unit;
            int end = Math.Min(length, (int)((long)units * (part + 1) / parts) * unit);
            GemmProblem sub = byColumns ? problem.Columns(start, end - start) : problem.Rows(start, end - start);
            RunSerial<TK>(sub, 0, 0, 0, 1);
        });
    }

    /// <summary>Parts per thread of a partitioned product: more balance the load when a core is slowed, fewer pack less.</summary>
    internal static int PartsPerThread = 1;

    private static void MultiplyBatched<TK>(GemmProblem first, long strideA, long strideB, long strideC, int batch, int threads)
        where TK : IGemmMicroKernel
    {
        // Products that write disjoint C can run side by side: many small products (attention
        // heads) scale far better across the batch than inside one tiny product.
        bool disjoint = strideC >= (long)(first.M - 1) * first.Ldc + first.N;
        bool small = (long)first.M * first.N * first.K < 16 * ParallelThreshold;
        if (!disjoint || !small || threads <= 1 || batch <= 1)
        {
            for (int i = 0; i < batch; i++)
            {
                Multiply<TK>(first.Offset(i * strideA, i * strideB, i * strideC), threads);
            }

            return;
        }

        // A few chunks per thread: each chunk rents its buffers once, and a core slowed by a
        // neighbour simply takes fewer chunks.
        int chunk = CeilDiv(batch, Math.Min(batch, 4 * threads));
        WorkerTeam.For(CeilDiv(batch, chunk), threads, part =>
        {
            int start = part * chunk;
            GemmProblem p = first.Offset(start * strideA, start * strideB, start * strideC);
            RunSerial<TK>(p, strideA, strideB, strideC, Math.Min(chunk, batch - start));
        });
    }

    /// <summary>Runs <paramref name="count"/> strided products on the calling thread, renting pack buffers once.</summary>
    [SkipLocalsInit]
    private static void RunSerial<TK>(in GemmProblem p, long strideA, long strideB, long strideC, int count)
        where TK : IGemmMicroKernel
    {
        (int mc, int nc, int kc) = Blocking<TK>(p);
        int aLength = PackedLength(mc, TK.Mr, kc);
        int bLength = PackedLength(nc, TK.Nr, kc);
        float[] rented = ArrayPool<float>.Shared.Rent(aLength + bLength + 32);
        try
        {
            fixed (float* raw = rented)
            {
                float* packA = Align64(raw);
                float* packB = Align64(packA + aLength);
                float* edge = stackalloc float[TK.Mr * TK.Nr];
                for (int i = 0; i < count; i++)
                {
                    GemmProblem q = i == 0 ? p : p.Offset(i * strideA, i * strideB, i * strideC);
                    for (int jc = 0; jc < q.N; jc += nc)
                    {
                        int ncCur = Math.Min(nc, q.N - jc);
                        for (int pc = 0; pc < q.K; pc += kc)
                        {
                            int kcCur = Math.Min(kc, q.K - pc);
                            PackB<TK>(q, pc, kcCur, jc, ncCur, packB);
                            for (int ic = 0; ic < q.M; ic += mc)
                            {
                                int mcCur = Math.Min(mc, q.M - ic);
                                RowBlock<TK>(q, ic, mcCur, pc, kcCur, packB, jc, ncCur, packA, edge);
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The serial loop nest with the row-block loop handed to <see cref="WorkerTeam"/>:
    /// each KC × NC slice of B is packed once by the caller and shared read-only; the tasks
    /// (MC-row blocks, split further by columns when there are too few rows) pack their own A
    /// block and are scheduled dynamically, so no core waits for a slower one for long.
    /// </summary>
    private static void RunParallel<TK>(in GemmProblem p, int threads)
        where TK : IGemmMicroKernel
    {
        (int mc, int nc, int kc) = Blocking<TK>(p);

        // At least two row blocks per thread when there are enough rows, so the dynamic
        // scheduling has something to balance; thinner blocks cost nothing in packing.
        mc = Math.Min(mc, RoundUp(CeilDiv(p.M, 2 * threads), TK.Mr));
        float[] rented = ArrayPool<float>.Shared.Rent(PackedLength(nc, TK.Nr, kc) + 16);
        try
        {
            fixed (float* raw = rented)
            {
                for (int jc = 0; jc < p.N; jc += nc)
                {
                    int ncCur = Math.Min(nc, p.N - jc);
                    for (int pc = 0; pc < p.K; pc += kc)
                    {
                        int kcCur = Math.Min(kc, p.K - pc);
                        var slice = new SharedSlice<TK>(p, Align64(raw), mc, jc, ncCur, pc, kcCur, threads);
                        PackB<TK>(p, pc, kcCur, jc, ncCur, slice.PackedB);
                        WorkerTeam.For(slice.Tasks, threads, slice.Run);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>One packed KC × NC slice of B and the tasks that multiply every row block of A with it.</summary>
    private sealed class SharedSlice<TK>
        where TK : IGemmMicroKernel
    {
        private readonly GemmProblem _p;
        private readonly int _mc, _jc, _nc, _pc, _kc, _rowBlocks, _columnChunks, _chunk;

        public SharedSlice(in GemmProblem p, float* packedB, int mc, int jc, int nc, int pc, int kc, int threads)
        {
            _p = p; PackedB = packedB; _mc = mc; _jc = jc; _nc = nc; _pc = pc; _kc = kc;
            _rowBlocks = CeilDiv(p.M, mc);

            // Products too short for two row blocks per thread also split their columns (each
            // such task re-packs its few rows of A).
            int strips = CeilDiv(nc, TK.Nr);
            int wanted = Math.Min(strips, CeilDiv(2 * threads, _rowBlocks));
            _chunk = CeilDiv(strips, Math.Max(1, wanted)) * TK.Nr;
            _columnChunks = CeilDiv(nc, _chunk);
        }

        public float* PackedB { get; }

        public int Tasks => _rowBlocks * _columnChunks;

        [SkipLocalsInit]
        public void Run(int task)
        {
            int ic = task / _columnChunks * _mc, col = task % _columnChunks * _chunk;
            int mc = Math.Min(_mc, _p.M - ic), nc = Math.Min(_chunk, _nc - col);
            int length = PackedLength(mc, TK.Mr, _kc);
            float[] rented = ArrayPool<float>.Shared.Rent(length + 16);
            try
            {
                fixed (float* raw = rented)
                {
                    float* packA = Align64(raw);
                    float* edge = stackalloc float[TK.Mr * TK.Nr];
                    RowBlock<TK>(_p, ic, mc, _pc, _kc, PackedB + (long)col * _kc, _jc + col, nc, packA, edge);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The column block and depth block of B for a product of N columns and depth K (as <see cref="Blocking{TK}"/> with the AVX-512 kernel).</summary>
    internal static (int Nc, int Kc) PanelBlocking(int n, int k)
        => (BlockSize(n, Nc, Avx512Kernel8x32.Nr), BlockSize(k, Kc, 1));

    /// <summary>
    /// <c>C = op(A) · Wᵀ</c> (with p's alpha, beta and epilogue; p's B is ignored) from panels
    /// packed once (<see cref="PackedWeight"/>): the serial loop nest without packing B, split by
    /// rows over the threads when the product is large enough, every part reading the same panels.
    /// </summary>
    internal static void MultiplyPrepacked(in GemmProblem p, PackedWeight weight, int threads)
    {
        int rowUnits = CeilDiv(p.M, Avx512Kernel8x32.Mr);
        int parts = threads <= 1 || (long)p.M * p.N * p.K < ParallelThreshold ? 1 : Math.Min(rowUnits, threads * PartsPerThread);
        if (parts < 2)
        {
            RunSerialPrepacked(p, weight);
            return;
        }
        GemmProblem problem = p;
        WorkerTeam.For(parts, threads, part =>
        {
            int start = (int)((long)rowUnits * part / parts) * Avx512Kernel8x32.Mr;
            int end = Math.Min(problem.M, (int)((long)rowUnits * (part + 1) / parts) * Avx512Kernel8x32.Mr);
            RunSerialPrepacked(problem.Rows(start, end - start), weight);
        });
    }

    [SkipLocalsInit]
    private static void RunSerialPrepacked(in GemmProblem p, PackedWeight weight)
    {
        (int mc, int nc, int kc) = Blocking<Avx512Kernel8x32>(p);
        if (nc != weight.Nc || kc != weight.Kc || p.N != weight.N || p.K != weight.K)
        {
            throw new InvalidOperationException($"Panels packed for N {weight.N}, K {weight.K} do not fit a product of N {p.N}, K {p.K}.");
        }
        float[] rented = ArrayPool<float>.Shared.Rent(PackedLength(mc, Avx512Kernel8x32.Mr, kc) + 16);
        try
        {
            fixed (float* raw = rented)
            {
                float* packA = Align64(raw);
                float* edge = stackalloc float[Avx512Kernel8x32.Mr * Avx512Kernel8x32.Nr];
                for (int jc = 0, jb = 0; jc < p.N; jc += nc, jb++)
                {
                    int ncCur = Math.Min(nc, p.N - jc);
                    for (int pc = 0, pb = 0; pc < p.K; pc += kc, pb++)
                    {
                        int kcCur = Math.Min(kc, p.K - pc);
                        for (int ic = 0; ic < p.M; ic += mc)
                        {
                            RowBlock<Avx512Kernel8x32>(p, ic, Math.Min(mc, p.M - ic), pc, kcCur, weight.Panel(jb, pb), jc, ncCur, packA, edge);
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>Block sizes for this problem: even blocks no larger than MC/NC/KC, in tile multiples.</summary>
    private static (int Mc, int Nc, int Kc) Blocking<TK>(in GemmProblem p)
        where TK : IGemmMicroKernel
        => (BlockSize(p.M, Mc, TK.Mr), BlockSize(p.N, Nc, TK.Nr), BlockSize(p.K, Kc, 1));

    // beta applies once: later k slices accumulate onto what the first one wrote.
    private static float BetaFor(in GemmProblem p, int pc) => pc == 0 ? p.Beta : 1f;

    /// <summary>
    /// Whether a non-transposed A is read in place by <see cref="IGemmMicroKernel.RunRows"/>
    /// instead of being packed first, for products of at most <see cref="InPlaceMaxColumns"/>
    /// columns (a tuning switch for the benchmark; on by default).
    /// </summary>
    internal static bool ReadRowsInPlace = true;

    /// <summary>
    /// The widest C read in place: a packed A block is reused by every B strip of the block, so
    /// packing pays for itself on wide products (384 or 512 columns: about 5 % faster packed)
    /// and not on narrow ones (128 columns, among them every convolution window product: 3–9 %
    /// faster in place).
    /// </summary>
    internal static int InPlaceMaxColumns = 128;

    /// <summary>
    /// Multiplies rows <c>[ic, ic + mc)</c> of A's k slice <c>[pc, pc + kc)</c> with the packed B
    /// block <paramref name="packedB"/> (columns <c>[jc, jc + nc)</c> of C). A transposed A is
    /// packed into <paramref name="packA"/>; a non-transposed one is read in place, and only a
    /// last strip of fewer than <c>Mr</c> rows is packed.
    /// </summary>
    private static void RowBlock<TK>(
        in GemmProblem p, int ic, int mc, int pc, int kc, float* packedB, int jc, int nc, float* packA, float* edge)
        where TK : IGemmMicroKernel
    {
        float* c = p.C + (long)ic * p.Ldc + jc;
        float beta = BetaFor(p, pc);
        GemmEpilogue epilogue = pc + kc >= p.K ? p.Epilogue.Shift(ic, jc, p.Ldc) : default;
        if (p.TransA || !ReadRowsInPlace || p.N > InPlaceMaxColumns)
        {
            PackA<TK>(p, ic, mc, pc, kc, packA);
            MacroKernel<TK>(mc, nc, kc, packA, packedB, c, p.Ldc, p.Alpha, beta, epilogue, edge);
            return;
        }

        float* a = p.A + (long)ic * p.Lda + pc;
        int fullRows = mc / TK.Mr * TK.Mr;
        int rest = mc - fullRows;
        if (rest > 0)
        {
            GemmPacking.PackTranspose(a + (long)fullRows * p.Lda, p.Lda, rest, kc, TK.Mr, packA);
        }

        for (int jr = 0; jr < nc; jr += TK.Nr)
        {
            int nr = Math.Min(TK.Nr, nc - jr);
            float* bStrip = packedB + jr * kc;
            for (int ir = 0; ir < fullRows; ir += TK.Mr)
            {
                float* cTile = c + (long)ir * p.Ldc + jr;
                if (nr == TK.Nr)
                {
                    TK.RunRows(kc, a + (long)ir * p.Lda, p.Lda, bStrip, cTile, p.Ldc, p.Alpha, beta);
                }
                else
                {
                    TK.RunRows(kc, a + (long)ir * p.Lda, p.Lda, bStrip, edge, TK.Nr, 1f, 0f);
                    StoreEdge(edge, TK.Nr, cTile, p.Ldc, TK.Mr, nr, p.Alpha, beta);
                }

                if (!epilogue.IsNone)
                {
                    epilogue.Shift(ir, jr, p.Ldc).Apply(cTile, p.Ldc, TK.Mr, nr);
                }
            }

            if (rest > 0)
            {
                Tile<TK>(kc, packA, bStrip, c + (long)fullRows * p.Ldc + jr, p.Ldc, rest, nr, p.Alpha, beta,
                    epilogue.Shift(fullRows, jr, p.Ldc), edge);
            }
        }
    }

    private static void PackA<TK>(in GemmProblem p, int ic, int mc, int pc, int kc, float* dst)
        where TK : IGemmMicroKernel
    {
        if (p.TransA)
        {
            GemmPacking.PackCopy(p.A + (long)pc * p.Lda + ic, p.Lda, mc, kc, TK.Mr, dst);
        }
        else
        {
            GemmPacking.PackTranspose(p.A + (long)ic * p.Lda + pc, p.Lda, mc, kc, TK.Mr, dst);
        }
    }

    private static void PackB<TK>(in GemmProblem p, int pc, int kc, int jc, int nc, float* dst)
        where TK : IGemmMicroKernel
    {
        if (p.TransB)
        {
            GemmPacking.PackTranspose(p.B + (long)jc * p.Ldb + pc, p.Ldb, nc, kc, TK.Nr, dst);
        }
        else
        {
            GemmPacking.PackCopy(p.B + (long)pc * p.Ldb + jc, p.Ldb, nc, kc, TK.Nr, dst);
        }
    }

    /// <summary>Sweeps the packed block with the micro-kernel; edge tiles go through a scratch tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MacroKernel<TK>(
        int mc, int nc, int kc, float* packA, float* packB, float* c, int ldc, float alpha, float beta, in GemmEpilogue epilogue, float* edge)
        where TK : IGemmMicroKernel
    {
        // One B strip (KC × Nr) stays in L1 while every A strip of the block streams past it from L2.
        for (int jr = 0; jr < nc; jr += TK.Nr)
        {
            int nr = Math.Min(TK.Nr, nc - jr);
            float* bStrip = packB + jr * kc;
            for (int ir = 0; ir < mc; ir += TK.Mr)
            {
                int mr = Math.Min(TK.Mr, mc - ir);
                Tile<TK>(kc, packA + ir * kc, bStrip, c + (long)ir * ldc + jr, ldc, mr, nr, alpha, beta, epilogue.Shift(ir, jr, ldc), edge);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile<TK>(int kc, float* aStrip, float* bStrip, float* cTile, int ldc, int mr, int nr, float alpha, float beta,
        in GemmEpilogue epilogue, float* edge)
        where TK : IGemmMicroKernel
    {
        if (mr == TK.Mr && nr == TK.Nr)
        {
            TK.Run(kc, aStrip, bStrip, cTile, ldc, alpha, beta);
        }
        else
        {
            // Padded panels make the full tile safe to compute; only the valid corner is stored.
            TK.Run(kc, aStrip, bStrip, edge, TK.Nr, 1f, 0f);
            StoreEdge(edge, TK.Nr, cTile, ldc, mr, nr, alpha, beta);
        }

        if (!epilogue.IsNone)
        {
            epilogue.Apply(cTile, ldc, mr, nr);   // the tile just stored, still in L1
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StoreEdge(float* tile, int ldt, float* c, int ldc, int rows, int cols, float alpha, float beta)
    {
        for (int i = 0; i < rows; i++)
        {
            float* src = tile + i * ldt;
            float* dst = c + (long)i * ldc;
            for (int j = 0; j < cols; j++)
            {
                dst[j] = beta == 0f ? alpha * src[j] : alpha * src[j] + beta * dst[j];
            }
        }
    }

    /// <summary>Evenly sized blocks of at most about <paramref name="max"/>, in multiples of <paramref name="unit"/>.</summary>
    private static int BlockSize(int total, int max, int unit)
    {
        int blocks = CeilDiv(total, Math.Max(unit, max / unit * unit));
        return RoundUp(CeilDiv(total, blocks), unit);
    }

    /// <summary>Floats a packed block of <paramref name="count"/> lines (rounded up to whole strips) by <paramref name="kc"/> takes.</summary>
    private static int PackedLength(int count, int width, int kc) => RoundUp(count, width) * kc;

    // Spare floats in every rented buffer let panels start on a 64-byte boundary, so each
    // packed vector load touches exactly one cache line.
    private static float* Align64(float* p) => (float*)(((nint)p + 63) & ~(nint)63);

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;

    private static int RoundUp(int a, int unit) => CeilDiv(a, unit) * unit;
}
