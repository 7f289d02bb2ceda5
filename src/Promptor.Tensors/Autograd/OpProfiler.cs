using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Promptor.Tensors.Autograd;

/// <summary>
/// An opt-in, per-op wall-time profile of recorded (differentiable) computations: where a
/// training step spends its time. While running, each op recorded on the tape is charged the time
/// since the previous record on the thread (its forward kernel, plus any untracked work between
/// ops), and each backward step its own duration. It profiles the calling thread only (ops record
/// and back-propagate on the caller's thread; their kernels may still use several cores); off by
/// default and one flag test per op when off.
/// </summary>
/// <example><code>
/// OpProfiler.Start();
/// for (int i = 0; i &lt; 5; i++) { TrainStep(); }
/// Console.Write(OpProfiler.Stop().ToTable());
/// </code></example>
public static class OpProfiler
{
    [ThreadStatic]
    private static Dictionary<string, OpTiming>? timings;

    [ThreadStatic]
    private static long lastForwardTimestamp;

    [ThreadStatic]
    private static bool isRunning;

    /// <summary>True between <see cref="Start"/> and <see cref="Stop"/> on this thread.</summary>
    public static bool IsRunning => isRunning;

    /// <summary>Clears the counters and starts profiling.</summary>
    public static void Start()
    {
        timings = new Dictionary<string, OpTiming>(StringComparer.Ordinal);
        lastForwardTimestamp = Stopwatch.GetTimestamp();
        isRunning = true;
    }

    /// <summary>Marks the start of a forward pass so untracked set-up before it is not charged to the first op.</summary>
    public static void Mark() => lastForwardTimestamp = Stopwatch.GetTimestamp();

    /// <summary>Stops profiling and returns the accumulated timings, slowest first.</summary>
    public static OpProfile Stop()
    {
        isRunning = false;
        var result = new OpProfile((timings?.Values ?? Enumerable.Empty<OpTiming>()).OrderByDescending(t => t.Forward + t.Backward).ToArray());
        timings = null;
        return result;
    }

    internal static void Forward(string opName)
    {
        long now = Stopwatch.GetTimestamp();
        Get(opName).AddForward(Stopwatch.GetElapsedTime(lastForwardTimestamp, now));
        lastForwardTimestamp = now;
    }

    internal static void Backward(string opName, TimeSpan elapsed)
    {
        Get(opName).AddBackward(elapsed);
        lastForwardTimestamp = Stopwatch.GetTimestamp();
    }

    private static OpTiming Get(string opName)
    {
        timings ??= new Dictionary<string, OpTiming>(StringComparer.Ordinal);
        if (!timings.TryGetValue(opName, out var timing))
        {
            timing = new OpTiming(opName);
            timings[opName] = timing;
        }
        return timing;
    }
}

/// <summary>Accumulated time of one op kind.</summary>
public sealed class OpTiming(string opName)
{
    /// <summary>The op's name (the <c>Ops</c> method that recorded it).</summary>
    public string OpName { get; } = opName;

    /// <summary>Forward calls.</summary>
    public int Calls { get; private set; }

    /// <summary>Total forward time.</summary>
    public TimeSpan Forward { get; private set; }

    /// <summary>Total backward time.</summary>
    public TimeSpan Backward { get; private set; }

    internal void AddForward(TimeSpan elapsed)
    {
        Calls++;
        Forward += elapsed;
    }

    internal void AddBackward(TimeSpan elapsed) => Backward += elapsed;
}

/// <summary>The result of an <see cref="OpProfiler"/> run.</summary>
/// <param name="Ops">Timings per op kind, slowest first.</param>
public sealed record OpProfile(IReadOnlyList<OpTiming> Ops)
{
    /// <summary>A plain-text table: op, calls, forward ms, backward ms, share of the total.</summary>
    public string ToTable()
    {
        double total = Ops.Sum(o => (o.Forward + o.Backward).TotalMilliseconds);
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"op",-28} {"calls",7} {"fwd ms",10} {"bwd ms",10} {"share",7}");
        foreach (var o in Ops)
        {
            double ms = (o.Forward + o.Backward).TotalMilliseconds;
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"{o.OpName,-28} {o.Calls,7} {o.Forward.TotalMilliseconds,10:F1} {o.Backward.TotalMilliseconds,10:F1} {100 * ms / Math.Max(total, 1e-9),6:F1}%");
        }
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"total",-28} {"",7} {Ops.Sum(o => o.Forward.TotalMilliseconds),10:F1} {Ops.Sum(o => o.Backward.TotalMilliseconds),10:F1}");
        return sb.ToString();
    }
}
