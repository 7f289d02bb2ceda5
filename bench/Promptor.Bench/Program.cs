namespace Promptor.Bench;

/// <summary>Benchmarks of the engine: <c>dotnet run -c Release --project bench/Promptor.Bench -- &lt;name&gt;</c>.</summary>
public static class Program
{
    /// <summary>Dispatches to the benchmark named by the first argument.</summary>
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: Promptor.Bench <benchmark>");
        return args.Length == 0 ? 2 : 1;
    }
}
