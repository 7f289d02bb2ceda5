using Promptor.Tensors;
using Promptor.Tensors.Kernels;

namespace Promptor.Tests.Tensors.Kernels;

/// <summary>
/// <see cref="Gemm.MultiplyFused"/>: bias, addend and activation applied per finished tile must equal the
/// product followed by those steps, on every path and on every driver (serial, both parallel
/// schemes' row and column splits, k slices, split-k, packed and in-place A).
/// </summary>
public class GemmEpilogueTests
{
    public static TheoryData<string> Paths => new() { "Auto", "Avx512", "Avx2", "Portable", "OpenBlas" };

    // (m, n, k, transA, transB): odd edges; deeper than one k slice; parallel tall, wide and
    // narrow (in-place A); a small output over a deep k (split-k).
    private static readonly (int M, int N, int K, bool TransA, bool TransB)[] Shapes =
    [
        (7, 33, 5, false, true),
        (13, 40, 300, false, false),
        (300, 100, 90, false, true),
        (40, 520, 120, false, true),
        (257, 129, 70, true, false),
        (24, 20, 5000, true, false),
    ];

    [Theory]
    [MemberData(nameof(Paths))]
    public void EqualsTheProductFollowedByBiasAddendAndActivation(string path)
    {
        if (path == "OpenBlas" ? !Gemm.IsOpenBlasAvailable : path != "Auto" && !GemmManaged.IsSupported(Enum.Parse<GemmKernelKind>(path)))
        {
            return;
        }

        var random = new Random(41);
        foreach (var (m, n, k, transA, transB) in Shapes)
        {
            var a = Fill(random, m * k);
            var b = Fill(random, k * n);
            var bias = Fill(random, n);
            var addend = Fill(random, m * n);
            var start = Fill(random, m * n);
            var cases = new[]
            {
                (true, false, LinearActivation.Relu, 0f), (true, true, LinearActivation.None, 0f), (false, true, LinearActivation.Relu, 1f),
                (false, false, LinearActivation.None, 0f), (true, true, LinearActivation.Relu, 1f), (true, true, LinearActivation.Gelu, 0f),
            };
            foreach (var (useBias, useAddend, activation, beta) in cases)
            {
                var expected = new double[m * n];
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        double sum = beta * start[i * n + j];
                        for (int p = 0; p < k; p++)
                        {
                            sum += (double)(transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
                        }
                        sum += (useBias ? bias[j] : 0) + (useAddend ? addend[i * n + j] : 0);
                        expected[i * n + j] = activation switch
                        {
                            LinearActivation.Relu => Math.Max(sum, 0),
                            LinearActivation.Gelu => 0.5 * sum * (1 + ActivationKernels.Erf(sum / Math.Sqrt(2))),
                            _ => sum,
                        };
                    }
                }

                var c = (float[])start.Clone();
                (GemmBackend backend, GemmKernelKind kernel) = path == "OpenBlas"
                    ? (GemmBackend.OpenBlas, GemmKernelKind.Auto)
                    : (GemmBackend.Managed, Enum.Parse<GemmKernelKind>(path));
                Gemm.MultiplyFusedWith(backend, kernel, transA, transB, m, n, k, a, transA ? m : k, b, transB ? k : n,
                    beta, c, n, useBias ? bias : default, useAddend ? addend : default, activation);
                string what = $"{path} {m}x{n}x{k} bias {useBias} addend {useAddend} {activation} beta {beta}";
                for (int i = 0; i < c.Length; i++)
                {
                    Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-6 * (k + 8), $"{what}: element {i} is {c[i]}, expected {expected[i]}");
                }
                if (activation == LinearActivation.Relu)
                {
                    Assert.Contains(c, v => v == 0f);
                }
            }
        }
    }

    [Fact]
    public void RejectsABiasShorterThanTheColumns()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.MultiplyFused(false, false, 2, 3, 2,
            new float[4], 2, new float[6], 3, 0f, new float[6], 3, new float[2], default, LinearActivation.None));
        Assert.Contains("bias", ex.Message);
    }

    private static float[] Fill(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return values;
    }
}
