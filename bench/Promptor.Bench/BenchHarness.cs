using System.Diagnostics;
using System.Globalization;

namespace Promptor.Bench;

/// <summary>Timing and memory measurement shared by the model benchmarks.</summary>
public static class BenchHarness
{
    /// <summary>The timings of one benchmark: seconds per iteration.</summary>
    public sealed record Timing(double Median, double Min, double Max);

    /// <summary>Runs <paramref name="step"/> <paramref name="warmup"/> times, then times <paramref name="iterations"/> runs.</summary>
    public static Timing Time(Action step, int warmup, int iterations)
    {
        for (int i = 0; i < warmup; i++)
        {
            step();
        }
        var times = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            var sw = Stopwatch.StartNew();
            step();
            times[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return new Timing(times[iterations / 2], times[0], times[^1]);
    }

    /// <summary>Peak resident set size of this process in MiB (VmHWM), as <c>ru_maxrss</c> reports it.</summary>
    public static double PeakRssMib()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        return double.NaN;
    }

    /// <summary>Table header of the model benchmarks, matching <c>torch_models.py</c>.</summary>
    public const string ModelHeader = "| benchmark | batch | params | median ms/iter | min-max ms | samples/s | achieved GFLOP/s (analytic) | peak RSS MiB |";

    /// <summary>
    /// The driver every suite shares: with <c>--only NAME</c> runs that case in this process and
    /// prints its row; otherwise prints <paramref name="header"/> and runs every case isolated.
    /// </summary>
    public static int RunSuite(string benchmark, string[] args, string header, IEnumerable<string> names, Func<string, string> runOne)
    {
        if (args.Length == 2 && args[0] == "--only")
        {
            Console.WriteLine(runOne(args[1]));
            return 0;
        }
        Console.WriteLine(header);
        Console.WriteLine("|" + string.Concat(Enumerable.Repeat("---|", header.Count(ch => ch == '|') - 1)));
        foreach (var line in RunIsolated(benchmark, names))
        {
            Console.WriteLine(line);
        }
        return 0;
    }

    /// <summary>One row under <see cref="ModelHeader"/>, with this process's peak RSS.</summary>
    public static string ModelRow(string name, int batch, long parameters, Timing timing, double flopsPerIteration)
        => string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {batch} | {parameters} | {timing.Median * 1e3:F1} | {timing.Min * 1e3:F1}-{timing.Max * 1e3:F1} | {batch / timing.Median:F1} | {flopsPerIteration / timing.Median / 1e9:F1} | {PeakRssMib():F0} |");

    /// <summary>
    /// Runs each named benchmark in its own child process (so peak RSS belongs to it alone) and
    /// returns the single result line each prints.
    /// </summary>
    public static IEnumerable<string> RunIsolated(string benchmark, IEnumerable<string> names)
    {
        string exe = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot locate the benchmark executable.");
        foreach (var name in names)
        {
            var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, UseShellExecute = false };
            if (exe.EndsWith("dotnet", StringComparison.Ordinal))
            {
                psi.ArgumentList.Add(typeof(BenchHarness).Assembly.Location);
            }
            psi.ArgumentList.Add(benchmark);
            psi.ArgumentList.Add("--only");
            psi.ArgumentList.Add(name);
            using var p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException($"Benchmark {benchmark} {name} failed with exit code {p.ExitCode}.");
            }
            yield return output.TrimEnd().Split('\n')[^1];
        }
    }
}
