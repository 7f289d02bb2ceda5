using Promptor.Tensors.Kernels;
using Xunit.Abstractions;

namespace Promptor.Tests.Tensors.Kernels;

/// <summary>Every GEMM path (each managed micro-kernel, OpenBLAS, the public dispatcher) against <see cref="GemmReference"/>.</summary>
public sealed class GemmTests(ITestOutputHelper output)
{
    public static TheoryData<string> Paths => new() { "Auto", "Avx512", "Avx2", "Portable", "OpenBlas" };

    private static readonly int[] Sizes = [1, 7, 33, 257];

    [Theory]
    [MemberData(nameof(Paths))]
    public void MatchesReferenceOverShapesAndTransposes(string path)
    {
        if (!Available(path))
        {
            return;
        }

        var random = new Random(17);
        foreach (int m in Sizes)
        {
            foreach (int n in Sizes)
            {
                foreach (int k in Sizes)
                {
                    // The reference is O(mnk): at most one large dimension here; the
                    // multi-threaded sizes get their own test below.
                    if ((m == 257 ? 1 : 0) + (n == 257 ? 1 : 0) + (k == 257 ? 1 : 0) > 1)
                    {
                        continue;
                    }

                    for (int t = 0; t < 4; t++)
                    {
                        Check(path, random, t >= 2, t % 2 == 1, m, n, k, alpha: 1f, beta: 0f, pad: 0);
                    }
                }
            }
        }
    }

    public static TheoryData<string, string> PathsAndSchemes
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (string path in Paths)
            {
                foreach (string scheme in Enum.GetNames<GemmManaged.ParallelScheme>())
                {
                    data.Add(path, scheme);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(PathsAndSchemes))]
    public void MatchesReferenceOnSizesThatRunInParallel(string path, string scheme)
    {
        if (!Available(path))
        {
            return;
        }

        // Both schemes compute the same product, so switching the shared setting cannot disturb
        // tests running beside this one.
        GemmManaged.ParallelScheme previous = GemmManaged.Scheme;
        GemmManaged.Scheme = Enum.Parse<GemmManaged.ParallelScheme>(scheme);
        try
        {
            CheckParallelShapes(path);
        }
        finally
        {
            GemmManaged.Scheme = previous;
        }
    }

    private void CheckParallelShapes(string path)
    {

        // Large enough (m·n·k ≥ 2²¹) to take the parallel driver: tall (row blocks), short and
        // wide (column chunks), and deep (several k slices accumulating onto C).
        var random = new Random(29);
        (int M, int N, int K)[] shapes = [(257, 257, 33), (33, 257, 257), (257, 33, 300), (140, 130, 120)];
        for (int i = 0; i < shapes.Length; i++)
        {
            (int m, int n, int k) = shapes[i];
            Assert.True((long)m * n * k >= GemmManaged.ParallelThreshold, "shape too small for the parallel driver");
            Check(path, random, i >= 2, i % 2 == 1, m, n, k, alpha: 1f, beta: i == 3 ? 0.5f : 0f, pad: i);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void HonoursAlphaBetaAndLooseLeadingDimensions(string path)
    {
        if (!Available(path))
        {
            return;
        }

        var random = new Random(5);
        (float Alpha, float Beta)[] scalars = [(1f, 1f), (0.5f, 0f), (-1.5f, 0.25f), (2f, -1f), (0f, 0.5f), (0f, 0f)];
        (int M, int N, int K)[] shapes = [(1, 1, 1), (9, 40, 300), (70, 33, 7), (130, 9, 260), (3, 2200, 5), (17, 1, 600)];
        foreach ((float alpha, float beta) in scalars)
        {
            foreach ((int m, int n, int k) in shapes)
            {
                for (int t = 0; t < 4; t++)
                {
                    Check(path, random, t >= 2, t % 2 == 1, m, n, k, alpha, beta, pad: 3);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void BetaZeroIgnoresNaNInC(string path)
    {
        if (!Available(path))
        {
            return;
        }

        var random = new Random(9);
        foreach ((int m, int n, int k) in new[] { (5, 5, 5), (64, 64, 16), (257, 33, 130) })
        {
            float[] a = Fill(random, m * k), b = Fill(random, k * n);
            float[] c = new float[m * n];
            Array.Fill(c, float.NaN);
            Run(path, false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
            Assert.DoesNotContain(c, float.IsNaN);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void EmptySizesTouchNothingOrOnlyScaleC(string path)
    {
        if (!Available(path))
        {
            return;
        }

        float[] c = [1f, 2f, 3f, 4f];
        Run(path, false, false, 0, 2, 3, 1f, [], 3, new float[6], 2, 0f, c, 2);
        Run(path, false, false, 2, 0, 3, 1f, new float[6], 3, [], 0, 0f, c, 2);
        Assert.Equal([1f, 2f, 3f, 4f], c);

        Run(path, false, false, 2, 2, 0, 1f, [], 0, [], 2, 0.5f, c, 2);
        Assert.Equal([0.5f, 1f, 1.5f, 2f], c);

        c[0] = float.NaN;
        Run(path, true, true, 2, 2, 0, 1f, [], 2, [], 0, 0f, c, 2);
        Assert.Equal([0f, 0f, 0f, 0f], c);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void BatchedMatchesLoopIncludingBroadcast(string path)
    {
        if (!Available(path))
        {
            return;
        }

        var random = new Random(23);
        (int M, int N, int K, int Batch)[] shapes = [(64, 64, 16, 8), (7, 33, 5, 3), (96, 80, 32, 3), (1, 1, 1, 5)];
        foreach ((int m, int n, int k, int batch) in shapes)
        {
            for (int t = 0; t < 4; t++)
            {
                bool transA = t >= 2, transB = t % 2 == 1;
                foreach ((bool broadcastA, bool broadcastB) in new[] { (false, false), (true, false), (false, true) })
                {
                    int strideA = broadcastA ? 0 : m * k, strideB = broadcastB ? 0 : k * n;
                    float[] a = Fill(random, broadcastA ? m * k : batch * m * k);
                    float[] b = Fill(random, broadcastB ? k * n : batch * k * n);
                    float[] c = Fill(random, batch * m * n);
                    float[] expected = (float[])c.Clone();
                    float[] magnitude = Abs(c), absA = Abs(a), absB = Abs(b);
                    int lda = transA ? m : k, ldb = transB ? k : n;
                    for (int i = 0; i < batch; i++)
                    {
                        GemmReference.Multiply(transA, transB, m, n, k, 0.5f,
                            a.AsSpan(i * strideA), lda, b.AsSpan(i * strideB), ldb, 2f, expected.AsSpan(i * m * n), n);
                        GemmReference.Multiply(transA, transB, m, n, k, 0.5f,
                            absA.AsSpan(i * strideA), lda, absB.AsSpan(i * strideB), ldb, 2f, magnitude.AsSpan(i * m * n), n);
                    }

                    RunBatched(path, transA, transB, m, n, k, 0.5f, a, strideA, b, strideB, 2f, c, m * n, batch);
                    AssertClose(expected, c, magnitude, k, $"batched {path} {m}x{n}x{k}x{batch} t={t} A0={broadcastA} B0={broadcastB}");
                }
            }
        }
    }

    [Fact]
    public void RejectsSpansTooShortForTheShape()
    {
        float[] a = new float[6], b = new float[6], c = new float[3];
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, 1f, a, 3, b, 2, 0f, c, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, 2, 3, 1f, a, 2, b, 2, 0f, new float[4], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, -1, 2, 3, 1f, a, 3, b, 2, 0f, c, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MaxThreads = 0);
    }

    [Fact]
    public void ReportsBackendAndOpenBlasAvailability()
    {
        output.WriteLine($"active backend {Gemm.ActiveBackend}, OpenBLAS available: {Gemm.IsOpenBlasAvailable}, " +
            $"managed kernel {GemmManaged.BestKernel}");
        if (Environment.GetEnvironmentVariable(Gemm.BackendVariable) is null)
        {
            Assert.Equal(GemmBackend.Managed, Gemm.ActiveBackend);
        }

        if (!Gemm.IsOpenBlasAvailable)
        {
            var error = Assert.Throws<InvalidOperationException>(() => Gemm.Backend = GemmBackend.OpenBlas);
            Assert.Contains("OpenBLAS", error.Message);
        }
    }

    private bool Available(string path)
    {
        bool available = path switch
        {
            "OpenBlas" => Gemm.IsOpenBlasAvailable,
            "Auto" => true,
            _ => GemmManaged.IsSupported(Enum.Parse<GemmKernelKind>(path)),
        };
        if (!available)
        {
            output.WriteLine($"skipped: the {path} GEMM path is not available on this machine");
        }

        return available;
    }

    private static void Check(string path, Random random, bool transA, bool transB, int m, int n, int k, float alpha, float beta, int pad)
    {
        int lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad;
        float[] a = Fill(random, (transA ? k : m) * lda);
        float[] b = Fill(random, (transB ? n : k) * ldb);
        float[] c = Fill(random, m * ldc);
        if (beta == 0f)
        {
            Array.Fill(c, float.NaN);
        }

        float[] expected = (float[])c.Clone();
        GemmReference.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);

        // Error bound: a multiple of float epsilon times the sum of |terms| the entry is made of.
        float[] magnitude = beta == 0f ? new float[c.Length] : Abs(c);
        GemmReference.Multiply(transA, transB, m, n, k, Math.Abs(alpha), Abs(a), lda, Abs(b), ldb, Math.Abs(beta), magnitude, ldc);

        Run(path, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        for (int i = 0; i < m; i++)
        {
            // Padding columns of C must be left alone.
            for (int j = n; j < ldc && beta == 0f; j++)
            {
                Assert.True(float.IsNaN(c[i * ldc + j]), $"{path} wrote padding at ({i},{j})");
            }
        }

        AssertClose(expected, c, magnitude, k, $"{path} {m}x{n}x{k} tA={transA} tB={transB} alpha={alpha} beta={beta} pad={pad}");
    }

    private static void AssertClose(float[] expected, float[] actual, float[] magnitude, int k, string what)
    {
        float relative = 1e-6f * (k + 4);
        for (int i = 0; i < expected.Length; i++)
        {
            if (float.IsNaN(expected[i]))
            {
                continue;
            }

            float error = Math.Abs(expected[i] - actual[i]);
            if (!(error <= relative * magnitude[i] + 1e-30f))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]}, expected {expected[i]} (scale {magnitude[i]})");
            }
        }
    }

    private static void Run(string path, bool transA, bool transB, int m, int n, int k, float alpha,
        float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc)
    {
        if (path == "Auto")
        {
            Gemm.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }

        (GemmBackend backend, GemmKernelKind kernel) = Route(path);
        Gemm.MultiplyWith(backend, kernel, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static void RunBatched(string path, bool transA, bool transB, int m, int n, int k, float alpha,
        float[] a, int strideA, float[] b, int strideB, float beta, float[] c, int strideC, int batch)
    {
        if (path == "Auto")
        {
            Gemm.MultiplyBatched(transA, transB, m, n, k, alpha, a, strideA, b, strideB, beta, c, strideC, batch);
            return;
        }

        (GemmBackend backend, GemmKernelKind kernel) = Route(path);
        Gemm.MultiplyBatchedWith(backend, kernel, transA, transB, m, n, k, alpha, a, strideA, b, strideB, beta, c, strideC, batch);
    }

    private static (GemmBackend, GemmKernelKind) Route(string path) => path == "OpenBlas"
        ? (GemmBackend.OpenBlas, GemmKernelKind.Auto)
        : (GemmBackend.Managed, Enum.Parse<GemmKernelKind>(path));

    private static float[] Fill(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }

    private static float[] Abs(float[] values) => Array.ConvertAll(values, MathF.Abs);
}
