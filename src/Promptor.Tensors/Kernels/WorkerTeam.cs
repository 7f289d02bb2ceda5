using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Promptor.Tensors.Kernels;

/// <summary>
/// A parallel loop for the engine's kernels on dedicated worker threads that stay awake for a
/// moment after each loop. The thread pool behind <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>
/// parks its workers between loops: on this kind of virtual machine a parked worker starts a
/// median 60–90 µs (p90 up to 0.8 ms) after the loop is posted, and in back-to-back loops it often
/// never joins before the caller has run every iteration itself, so products of a few
/// milliseconds ran on one core. Team workers spin (yielding to any other runnable thread) for
/// <see cref="SpinMicroseconds"/> before they sleep, as OpenBLAS's workers do, so consecutive
/// kernels find them awake.
/// </summary>
/// <remarks>
/// One loop runs on the team at a time; a loop that finds the team busy (another thread's loop, or
/// a loop started from inside a team iteration) falls back to <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>.
/// Iterations are handed out one at a time from a shared counter, so a core slowed by a neighbour
/// simply takes fewer. The caller runs iterations too and returns when all have finished; the
/// first exception thrown by an iteration is rethrown on the caller.
/// </remarks>
internal static class WorkerTeam
{
    /// <summary>How long an idle worker keeps polling for the next loop before it sleeps.</summary>
    internal const int SpinMicroseconds = 300;

    private static int _busy;
    private static readonly Worker[] Workers = StartWorkers(Environment.ProcessorCount - 1);

    /// <summary>Worker threads besides the caller: <see cref="Environment.ProcessorCount"/> − 1.</summary>
    public static int Helpers => Workers.Length;

    /// <summary>
    /// Runs <paramref name="body"/> for every index in <c>[0, count)</c> on at most
    /// <paramref name="maxThreads"/> threads (the caller included).
    /// </summary>
    public static void For(int count, int maxThreads, Action<int> body)
    {
        int helpers = Math.Min(Math.Min(maxThreads, count) - 1, Workers.Length);
        if (helpers <= 0)
        {
            for (int i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = maxThreads }, body);
            return;
        }

        try
        {
            var job = new Job(body, count);
            for (int w = 0; w < helpers; w++)
            {
                Workers[w].Assign(job);
            }

            job.RunIterations();
            job.WaitUntilDone();
            job.Error?.Throw();
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private static Worker[] StartWorkers(int count)
    {
        var workers = new Worker[Math.Max(0, count)];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = new Worker(i);
        }

        return workers;
    }

    /// <summary>One loop: the iterations left to hand out and how many have finished.</summary>
    private sealed class Job(Action<int> body, int count)
    {
        private int _next = -1;
        private int _done;

        public ExceptionDispatchInfo? Error { get; private set; }

        /// <summary>Takes iterations until none are left; an exception is kept and the loop still completes.</summary>
        public void RunIterations()
        {
            int i;
            while ((i = Interlocked.Increment(ref _next)) < count)
            {
                try
                {
                    body(i);
                }
                catch (Exception e)
                {
                    lock (this)
                    {
                        Error ??= ExceptionDispatchInfo.Capture(e);
                    }
                }
                finally
                {
                    Interlocked.Increment(ref _done);
                }
            }
        }

        /// <summary>Waits for iterations other threads are still running (never for a worker that has not started).</summary>
        public void WaitUntilDone()
        {
            var spinner = default(SpinWait);
            while (Volatile.Read(ref _done) < count)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    private sealed class Worker
    {
        private readonly ManualResetEventSlim _wake = new(false, spinCount: 1);
        private Job? _job;
        private int _sleeping;

        public Worker(int index)
        {
            var thread = new Thread(Loop)
            {
                IsBackground = true,
                Name = $"Promptor kernel worker {index + 1}",
            };
            thread.Start();
        }

        public void Assign(Job job)
        {
            // Full fences on both sides (here and in Loop) so that either the worker sees the job
            // before it sleeps or this call sees it sleeping and wakes it.
            Interlocked.Exchange(ref _job, job);
            if (Volatile.Read(ref _sleeping) == 1)
            {
                _wake.Set();
            }
        }

        private void Loop()
        {
            long spinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
            while (true)
            {
                Job? job = Interlocked.Exchange(ref _job, null);
                if (job is not null)
                {
                    job.RunIterations();
                    continue;
                }

                long start = Stopwatch.GetTimestamp();
                int polls = 0;
                while (Volatile.Read(ref _job) is null && Stopwatch.GetTimestamp() - start < spinTicks)
                {
                    // Busy polling for the first few microseconds, then give the core to any
                    // other runnable thread between polls.
                    if (++polls < 64)
                    {
                        Thread.SpinWait(16);
                    }
                    else
                    {
                        Thread.Yield();
                    }
                }

                if (Volatile.Read(ref _job) is not null)
                {
                    continue;
                }

                Interlocked.Exchange(ref _sleeping, 1);
                if (Volatile.Read(ref _job) is null)
                {
                    _wake.Wait();
                }

                _wake.Reset();
                Interlocked.Exchange(ref _sleeping, 0);
            }
        }
    }
}
