namespace Promptor.Bench;

/// <summary>Benchmarks of the engine: <c>dotnet run -c Release --project bench/Promptor.Bench -- &lt;name&gt;</c>.</summary>
public static class Program
{
    /// <summary>Dispatches to the benchmark named by the first argument.</summary>
    public static int Main(string[] args)
    {
        string name = args.Length == 0 ? "" : args[0];
        string[] rest = args.Length == 0 ? [] : args[1..];
        switch (name)
        {
            case "gemm":
                return GemmBenchmark.Run(rest);
            case "elementwise":
                ElementwiseBenchmark.Run();
                return 0;
            case "attention":
                return AttentionBenchmark.Run(rest);
            case "convolution": return ConvolutionBenchmark.Run(rest);
            case "condpromoter":
                return CondPromoterBenchmark.Run(rest);
            case "gpt": return GptBenchmark.Run(rest);
            case "yeast": return YeastAccuracyBenchmark.Run(rest);
            case "yeast-blend": return YeastAccuracyBenchmark.Blend(rest);
            case "profile": return ProfileBenchmark.Run(rest);
            case "simulation": return SimulationAccuracyBenchmark.Run(rest);
            case "attention-auroc": return AttentionAurocBenchmark.Run(rest);
            case "sim-motifs": return SimulatedMotifsBenchmark.Run(rest);
            case "yeast-attention": return YeastAttentionQuestionsRunner.Run(rest);
            case "ism": return IsmBenchmark.Run(rest);
            case "conditional-dna": return ConditionalDnaBenchmark.Run(rest);
            case "signal-at-init": return SignalAtInitBenchmark.Run(rest);
            default:
                Console.Error.WriteLine("usage: Promptor.Bench <benchmark> [options]");
                Console.Error.WriteLine("benchmarks: gemm, elementwise, attention, convolution, condpromoter, gpt, yeast, yeast-blend, profile, simulation, attention-auroc, yeast-attention, ism, conditional-dna, signal-at-init");
                return args.Length == 0 ? 2 : 1;
        }
    }
}
