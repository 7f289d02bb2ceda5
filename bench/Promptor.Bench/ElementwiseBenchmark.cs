using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Bench;

/// <summary>
/// Throughput of element-wise ops and row-wise kernels through the public <see cref="Ops"/> API
/// (forward, no grad), in G elements per second: median over timed repetitions after warm-up.
/// </summary>
public static class ElementwiseBenchmark
{
    private const int Rows = 8192, Columns = 128;

    /// <summary>Prints one table row per op.</summary>
    public static void Run()
    {
        var rng = new Generator(0);
        var x = Tensor.RandomNormal(rng, new Shape(Rows, Columns));
        var y = Tensor.RandomNormal(rng, new Shape(Rows, Columns));
        var bias = Tensor.RandomNormal(rng, new Shape(Columns));
        var column = Tensor.RandomNormal(rng, new Shape(Rows, 1));

        var cases = new (string Name, Func<Tensor> Op)[]
        {
            ("add (same shape)", () => x + y),
            ("add (row bias, broadcast)", () => x + bias),
            ("mul (column, broadcast)", () => x * column),
            ("mul by scalar", () => x * 1.5f),
            ("exp", () => x.Exp()),
            ("tanh", () => x.Tanh()),
            ("sigmoid", () => x.Sigmoid()),
            ("relu", () => x.Relu()),
            ("gelu (erf)", () => x.Gelu()),
            ("gelu (tanh)", () => x.Gelu(approximateTanh: true)),
            ("softmax (rows of 128)", () => x.Softmax()),
            ("log-softmax (rows of 128)", () => x.LogSoftmax()),
            ("sum over rows", () => x.Sum(1)),
            ("transpose (8192×128)", () => x.Transpose()),
        };

        Console.WriteLine($"Element-wise throughput, {Rows}×{Columns} float32 ({Rows * Columns / 1e6:F1} M elements), forward under NoGrad");
        Console.WriteLine();
        Console.WriteLine("| op | median ms | G elem/s |");
        Console.WriteLine("|---|---|---|");
        using (Tape.NoGrad())
        {
            foreach (var (name, op) in cases)
            {
                double ms = BenchHarness.Time(() => op(), warmup: 3, iterations: 15).Median * 1e3;
                Console.WriteLine($"| {name} | {ms:F3} | {x.Size / (ms * 1e6):F2} |");
            }
        }
    }
}
