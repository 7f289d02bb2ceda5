using System.Numerics.Tensors;
using Promptor.Tensors.Native;

namespace Promptor.Tensors.Kernels;

/// <summary>
/// Row-major single-precision matrix multiply, <c>C = alpha · op(A) · op(B) + beta · C</c>,
/// where <c>op(X)</c> is <c>X</c> or its transpose. <c>op(A)</c> is <c>m × k</c>, <c>op(B)</c> is
/// <c>k × n</c>, <c>C</c> is <c>m × n</c>; <c>lda</c>, <c>ldb</c>, <c>ldc</c> are the row strides of the
/// matrices as stored. <c>beta == 0</c> overwrites <c>C</c> without reading it.
/// </summary>
/// <remarks>
/// The work runs on the managed kernel (<see cref="GemmManaged"/>: packed panels, an AVX-512,
/// AVX2 or portable register tile, one parallel loop over slabs of C) unless
/// <see cref="Backend"/> selects OpenBLAS. <see cref="GemmReference"/> is the naive oracle.
/// </remarks>
public static class Gemm
{
    /// <summary>The environment variable that picks the backend: <c>auto</c>, <c>managed</c> or <c>openblas</c>.</summary>
    public const string BackendVariable = "PROMPTOR_GEMM";

    private static GemmBackend? _backend;
    private static int _maxThreads = Environment.ProcessorCount;

    /// <summary>
    /// The requested backend. Until set, it is read from <see cref="BackendVariable"/>
    /// (absent means <see cref="GemmBackend.Auto"/>). <see cref="GemmBackend.Auto"/> runs the
    /// managed kernel: measured side by side it matches OpenBLAS on large products and beats it
    /// on small and batched ones, and it needs no native library.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// Setting <see cref="GemmBackend.OpenBlas"/> when the library is missing, or reading it when
    /// the environment variable holds an unknown value.
    /// </exception>
    public static GemmBackend Backend
    {
        get => _backend ??= ParseEnvironment(Environment.GetEnvironmentVariable(BackendVariable));
        set
        {
            if (value == GemmBackend.OpenBlas && !Blas.IsAvailable)
            {
                throw OpenBlasMissing();
            }

            _backend = value;
        }
    }

    /// <summary>The backend products actually run on: <see cref="GemmBackend.Managed"/> or <see cref="GemmBackend.OpenBlas"/>.</summary>
    /// <exception cref="InvalidOperationException">OpenBLAS was requested through the environment but is not installed.</exception>
    public static GemmBackend ActiveBackend => Backend switch
    {
        GemmBackend.OpenBlas when !Blas.IsAvailable => throw OpenBlasMissing(),
        GemmBackend.OpenBlas => GemmBackend.OpenBlas,
        _ => GemmBackend.Managed,
    };

    /// <summary>Whether an OpenBLAS library (<c>libopenblas.so.0</c> or <c>openblas</c>) with <c>cblas_sgemm</c> was found.</summary>
    public static bool IsOpenBlasAvailable => Blas.IsAvailable;

    /// <summary>
    /// The most threads one call may use (default <see cref="Environment.ProcessorCount"/>); 1 runs
    /// on the calling thread only. Applies to both backends.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxThreads
    {
        get => _maxThreads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxThreads = value;
        }
    }

    [ThreadStatic]
    private static int _threadLimit;

    /// <summary>
    /// The threads one call made on this thread may use: <see cref="MaxThreads"/>, lowered inside a
    /// <see cref="LimitThreads"/> scope. The inference kernels (attention, linear, layer norm,
    /// large element-wise ops) follow it too.
    /// </summary>
    public static int ThreadsForThisThread => _threadLimit > 0 ? Math.Min(_threadLimit, _maxThreads) : _maxThreads;

    /// <summary>
    /// Lowers the threads of the calls made on this thread to at most <paramref name="threads"/>
    /// until the returned scope is disposed (<c>using (Gemm.LimitThreads(1)) { … }</c>), e.g. when the
    /// caller already runs independent work on every core and nested parallel loops would only
    /// contend. Other threads are not affected.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
    public static ThreadLimitScope LimitThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var scope = new ThreadLimitScope(_threadLimit);
        _threadLimit = _threadLimit > 0 ? Math.Min(_threadLimit, threads) : threads;
        return scope;
    }

    /// <summary>Restores this thread's previous limit when disposed.</summary>
    public readonly struct ThreadLimitScope : IDisposable
    {
        private readonly int previous;

        internal ThreadLimitScope(int previous) => this.previous = previous;

        /// <summary>Leaves the scope.</summary>
        public void Dispose() => _threadLimit = previous;
    }

    /// <summary>Computes one matrix product; see the type summary for the layout.</summary>
    /// <exception cref="ArgumentException">A size or stride is negative, or a span is too short for it.</exception>
    public static void Multiply(
        bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
        => MultiplyWith(ActiveBackend, GemmKernelKind.Auto, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>
    /// Computes <paramref name="batch"/> independent products of densely stored matrices; the
    /// i-th product reads A at <c>i · strideA</c>, B at <c>i · strideB</c> and writes C at
    /// <c>i · strideC</c>. A stride of 0 broadcasts one matrix over the batch.
    /// </summary>
    /// <exception cref="ArgumentException">A size or stride is negative, or a span is too short for it.</exception>
    public static void MultiplyBatched(
        bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int strideA, ReadOnlySpan<float> b, int strideB,
        float beta, Span<float> c, int strideC, int batch)
        => MultiplyBatchedWith(ActiveBackend, GemmKernelKind.Auto, transA, transB, m, n, k, alpha,
            a, strideA, b, strideB, beta, c, strideC, batch);

    /// <summary>One product on a chosen backend and, for the managed one, a chosen micro-kernel (tests and benchmarks).</summary>
    internal static void MultiplyWith(
        GemmBackend backend, GemmKernelKind kernel, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        ValidateSizes(m, n, k);
        ValidateMatrix(a, transA ? k : m, transA ? m : k, lda, 0, 1, nameof(a));
        ValidateMatrix(b, transB ? n : k, transB ? k : n, ldb, 0, 1, nameof(b));
        ValidateMatrix(c, m, n, ldc, 0, 1, nameof(c));
        Dispatch(backend, kernel, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>
    /// One product whose A and B rows may overlap: a stored row of A or B starts <c>lda</c> (or
    /// <c>ldb</c>) elements after the previous one even when that is less than the row's length. The
    /// sliding windows of a channels-last sequence <c>(L, C)</c> are such a matrix — row t, the
    /// <c>K·C</c> values of positions t … t+K−1, starts at <c>t·C</c> — so a convolution reads its
    /// unfolded input in place instead of copying it (im2col). C must not overlap (<c>ldc ≥ n</c>).
    /// Always the managed backend: BLAS requires the leading dimension to cover the row.
    /// </summary>
    /// <exception cref="ArgumentException">A size or stride is out of range, or a span is too short for it.</exception>
    internal static void MultiplyOverlapping(
        bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        ValidateSizes(m, n, k);
        ValidateWindows(a, transA ? k : m, transA ? m : k, lda, nameof(a));
        ValidateWindows(b, transB ? n : k, transB ? k : n, ldb, nameof(b));
        ValidateMatrix(c, m, n, ldc, 0, 1, nameof(c));
        Dispatch(GemmBackend.Managed, GemmKernelKind.Auto, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>
    /// <c>C = act(op(A)·op(B) + beta·C + bias + addend)</c>: the product with a linear layer's
    /// epilogue applied to each tile of C as it is finished, instead of in passes of their own.
    /// <paramref name="bias"/> holds one value per column of C and <paramref name="addend"/> a matrix
    /// laid out like C (row stride <paramref name="ldc"/>); empty spans mean none; <paramref name="activation"/>
    /// (ReLU or exact GELU) is applied to the sum. The addend must not overlap C (use beta = 1 to add C's own contents).
    /// </summary>
    /// <exception cref="ArgumentException">A size or stride is out of range, or a span is too short for it.</exception>
    internal static unsafe void MultiplyFused(
        bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc, ReadOnlySpan<float> bias, ReadOnlySpan<float> addend, LinearActivation activation)
        => MultiplyFusedWith(ActiveBackend, GemmKernelKind.Auto, transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc, bias, addend, activation);

    /// <summary>
    /// <see cref="MultiplyFused"/> for <c>C = A · Wᵀ</c> with <paramref name="weight"/> packed once
    /// (<see cref="PackedWeight"/>): A is <c>(m, W.K)</c> with row stride <paramref name="lda"/>; the
    /// managed backend always.
    /// </summary>
    internal static unsafe void MultiplyFusedPrepacked(int m, ReadOnlySpan<float> a, int lda, PackedWeight weight,
        float beta, Span<float> c, int ldc, ReadOnlySpan<float> bias, ReadOnlySpan<float> addend, LinearActivation activation)
    {
        int n = weight.N, k = weight.K;
        ValidateSizes(m, n, k);
        ValidateMatrix(a, m, k, lda, 0, 1, nameof(a));
        ValidateMatrix(c, m, n, ldc, 0, 1, nameof(c));
        if (!bias.IsEmpty && bias.Length < n)
        {
            throw new ArgumentException($"The bias needs {n} values but holds {bias.Length}.", nameof(bias));
        }
        if (!addend.IsEmpty)
        {
            ValidateMatrix(addend, m, n, ldc, 0, 1, nameof(addend));
        }
        if (m == 0)
        {
            return;
        }
        fixed (float* pa = a, pc = c, pBias = bias, pAddend = addend)
        {
            var epilogue = new GemmEpilogue(bias.IsEmpty ? null : pBias, addend.IsEmpty ? null : pAddend, activation);
            var problem = new GemmProblem(false, true, m, n, k, 1f, pa, lda, null, k, beta, pc, ldc, epilogue);
            GemmManaged.MultiplyPrepacked(problem, weight, ThreadsForThisThread);
        }
    }

    /// <summary><see cref="MultiplyFused"/> on a chosen backend and micro-kernel (tests).</summary>
    internal static unsafe void MultiplyFusedWith(
        GemmBackend backend, GemmKernelKind kernel, bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc, ReadOnlySpan<float> bias, ReadOnlySpan<float> addend, LinearActivation activation)
    {
        ValidateSizes(m, n, k);
        ValidateMatrix(a, transA ? k : m, transA ? m : k, lda, 0, 1, nameof(a));
        ValidateMatrix(b, transB ? n : k, transB ? k : n, ldb, 0, 1, nameof(b));
        ValidateMatrix(c, m, n, ldc, 0, 1, nameof(c));
        if (!bias.IsEmpty && bias.Length < n)
        {
            throw new ArgumentException($"The bias needs {n} values but holds {bias.Length}.", nameof(bias));
        }
        if (!addend.IsEmpty)
        {
            ValidateMatrix(addend, m, n, ldc, 0, 1, nameof(addend));
        }
        fixed (float* pBias = bias, pAddend = addend)
        {
            var epilogue = new GemmEpilogue(bias.IsEmpty ? null : pBias, addend.IsEmpty ? null : pAddend, activation);
            Dispatch(backend, kernel, transA, transB, m, n, k, 1f, a, lda, b, ldb, beta, c, ldc, epilogue);
        }
    }

    /// <summary>One validated product: the empty and scale-only cases, then BLAS or the managed kernels.</summary>
    private static unsafe void Dispatch(
        GemmBackend backend, GemmKernelKind kernel, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc, GemmEpilogue epilogue = default)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            if (k == 0 || alpha == 0f)
            {
                ScaleC(c, m, n, ldc, beta);
                epilogue.Apply(pc, ldc, m, n);
                return;
            }

            if (backend == GemmBackend.OpenBlas)
            {
                RequireOpenBlas();
                Blas.Sgemm(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, ThreadsForThisThread);
                epilogue.Apply(pc, ldc, m, n);
            }
            else
            {
                RunManaged(kernel, new GemmProblem(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, epilogue));
            }
        }
    }

    /// <summary>
    /// The managed product, split over k when its output is too small to share out (the slices'
    /// sum then gets the epilogue in one pass; otherwise each tile gets it as it is finished).
    /// </summary>
    private static unsafe void RunManaged(GemmKernelKind kernel, in GemmProblem problem)
    {
        int parts = SplitKParts(problem.M, problem.N, problem.K);
        if (parts > 1)
        {
            MultiplySplitK(kernel, problem.WithoutEpilogue(), parts);
            problem.Epilogue.Apply(problem.C, problem.Ldc, problem.M, problem.N);
        }
        else
        {
            GemmManaged.Multiply(kernel, problem, ThreadsForThisThread);
        }
    }

    /// <summary>Checks a matrix whose rows may overlap: any positive row step, the span covering the last row.</summary>
    private static void ValidateWindows(ReadOnlySpan<float> span, int rows, int cols, int ld, string name)
    {
        if (ld < 1)
        {
            throw new ArgumentOutOfRangeException(name, $"Row step {ld} must be positive.");
        }
        if (rows == 0 || cols == 0)
        {
            return;
        }
        long needed = (long)(rows - 1) * ld + cols;
        if (span.Length < needed)
        {
            throw new ArgumentException($"Matrix {name} needs {needed} elements but the span holds {span.Length}.", name);
        }
    }

    /// <summary>The batched product on a chosen backend and micro-kernel (tests and benchmarks).</summary>
    internal static unsafe void MultiplyBatchedWith(
        GemmBackend backend, GemmKernelKind kernel, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int strideA, ReadOnlySpan<float> b, int strideB,
        float beta, Span<float> c, int strideC, int batch)
    {
        ValidateSizes(m, n, k);
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        int lda = transA ? m : k, ldb = transB ? k : n;
        ValidateMatrix(a, transA ? k : m, transA ? m : k, lda, strideA, batch, nameof(a));
        ValidateMatrix(b, transB ? n : k, transB ? k : n, ldb, strideB, batch, nameof(b));
        ValidateMatrix(c, m, n, n, strideC, batch, nameof(c));
        if (m == 0 || n == 0 || batch == 0)
        {
            return;
        }

        if (k == 0 || alpha == 0f)
        {
            for (int i = 0; i < batch; i++)
            {
                ScaleC(c.Slice(i * strideC), m, n, n, beta);
            }

            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            if (backend == GemmBackend.OpenBlas)
            {
                // OpenBLAS 0.3.21 has no batched sgemm: one call per product, threaded as it decides.
                RequireOpenBlas();
                for (int i = 0; i < batch; i++)
                {
                    Blas.Sgemm(transA, transB, m, n, k, alpha, pa + (long)i * strideA, lda,
                        pb + (long)i * strideB, ldb, beta, pc + (long)i * strideC, n, ThreadsForThisThread);
                }
            }
            else
            {
                var first = new GemmProblem(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, n);
                GemmManaged.MultiplyBatched(kernel, first, strideA, strideB, strideC, batch, ThreadsForThisThread);
            }
        }
    }

    /// <summary>
    /// How many depth slices to run on separate threads: deep products with a small output (weight
    /// gradients, k = batch·length) leave the row/column split with one block, so their
    /// parallelism has to come from k.
    /// </summary>
    private static int SplitKParts(int m, int n, int k)
    {
        int threads = ThreadsForThisThread;
        if (threads < 2 || k < 2048 || (long)m * n > 128 * 1024 || (long)m * n * k < GemmManaged.ParallelThreshold)
        {
            return 1;
        }
        return Math.Min(threads, k / 1024);
    }

    /// <summary>
    /// Split-k: slice 0 accumulates into C with the caller's beta, the other slices into private
    /// buffers with beta = 0, each single-threaded in parallel; the partial products are then added.
    /// </summary>
    private static unsafe void MultiplySplitK(GemmKernelKind kernel, GemmProblem p, int parts)
    {
        int m = p.M, n = p.N;
        float[] partials = System.Buffers.ArrayPool<float>.Shared.Rent((parts - 1) * m * n);
        try
        {
            fixed (float* pp = partials)
            {
                nint partialBase = (nint)pp;
                WorkerTeam.For(parts, parts, part =>
                {
                    int k0 = (int)((long)p.K * part / parts), k1 = (int)((long)p.K * (part + 1) / parts);
                    float* a = p.TransA ? p.A + (long)k0 * p.Lda : p.A + k0;
                    float* b = p.TransB ? p.B + k0 : p.B + (long)k0 * p.Ldb;
                    var slice = part == 0
                        ? new GemmProblem(p.TransA, p.TransB, m, n, k1 - k0, p.Alpha, a, p.Lda, b, p.Ldb, p.Beta, p.C, p.Ldc)
                        : new GemmProblem(p.TransA, p.TransB, m, n, k1 - k0, p.Alpha, a, p.Lda, b, p.Ldb, 0f,
                            (float*)partialBase + (long)(part - 1) * m * n, n);
                    GemmManaged.Multiply(kernel, slice, 1);
                });
                for (int part = 1; part < parts; part++)
                {
                    for (int i = 0; i < m; i++)
                    {
                        var row = new Span<float>(p.C + (long)i * p.Ldc, n);
                        System.Numerics.Tensors.TensorPrimitives.Add(row, new ReadOnlySpan<float>(pp + (long)(part - 1) * m * n + (long)i * n, n), row);
                    }
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(partials);
        }
    }

    private static void ScaleC(Span<float> c, int m, int n, int ldc, float beta)
    {
        if (beta == 1f)
        {
            return;
        }

        for (int i = 0; i < m; i++)
        {
            Span<float> row = c.Slice(i * ldc, n);
            if (beta == 0f)
            {
                row.Clear();
            }
            else
            {
                TensorPrimitives.Multiply(row, beta, row);
            }
        }
    }

    private static void ValidateSizes(int m, int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
    }

    /// <summary>Checks that <paramref name="count"/> matrices of <paramref name="rows"/> × <paramref name="cols"/> at <paramref name="stride"/> fit the span.</summary>
    private static void ValidateMatrix(ReadOnlySpan<float> span, int rows, int cols, int ld, int stride, int count, string name)
    {
        if (ld < cols)
        {
            throw new ArgumentOutOfRangeException(name, $"Leading dimension {ld} is less than the {cols} columns stored per row.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(stride, name);
        if (rows == 0 || cols == 0 || count == 0)
        {
            return;
        }

        long needed = (long)(count - 1) * stride + (long)(rows - 1) * ld + cols;
        if (span.Length < needed)
        {
            throw new ArgumentException($"Matrix {name} needs {needed} elements but the span holds {span.Length}.", name);
        }
    }

    private static GemmBackend ParseEnvironment(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => GemmBackend.Auto,
        "managed" => GemmBackend.Managed,
        "openblas" => GemmBackend.OpenBlas,
        _ => throw new InvalidOperationException(
            $"{BackendVariable}='{value}' is not one of auto, managed, openblas."),
    };

    private static void RequireOpenBlas()
    {
        if (!Blas.IsAvailable)
        {
            throw OpenBlasMissing();
        }
    }

    private static InvalidOperationException OpenBlasMissing() => new(
        "The OpenBLAS GEMM backend was requested (Gemm.Backend or " + BackendVariable + "=openblas) but no " +
        "OpenBLAS library exporting cblas_sgemm was found (looked for libopenblas.so.0, libopenblas.so, openblas). " +
        "Install it (e.g. apt-get install libopenblas0-pthread) or use the managed backend.");
}
