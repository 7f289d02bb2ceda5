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
