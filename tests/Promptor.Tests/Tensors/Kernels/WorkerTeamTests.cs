using Promptor.Tensors.Kernels;

namespace Promptor.Tests.Tensors.Kernels;

/// <summary>The kernels' parallel loop: every iteration exactly once, errors surface, busy teams fall back.</summary>
public sealed class WorkerTeamTests
{
    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 2)]
    [InlineData(7, 1)]
    [InlineData(1000, 2)]
    [InlineData(37, 64)]
    public void RunsEveryIterationExactlyOnce(int count, int maxThreads)
    {
        var hits = new int[count];
        for (int round = 0; round < 50; round++)
        {
            WorkerTeam.For(count, maxThreads, i => Interlocked.Increment(ref hits[i]));
        }

        Assert.All(hits, h => Assert.Equal(50, h));
    }

    [Fact]
    public void ReturnsOnlyAfterEveryIterationHasFinished()
    {
        // Iterations that finish late on another thread must still be awaited by the caller.
        for (int round = 0; round < 20; round++)
        {
            int finished = 0;
            WorkerTeam.For(8, 2, i =>
            {
                Thread.Sleep(i % 2 == 0 ? 0 : 2);
                Interlocked.Increment(ref finished);
            });
            Assert.Equal(8, Volatile.Read(ref finished));
        }
    }

    [Fact]
    public void RethrowsAnIterationsExceptionAndStaysUsable()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            WorkerTeam.For(16, 2, i =>
            {
                if (i == 11)
                {
                    throw new InvalidOperationException("iteration 11 failed");
                }
            }));
        Assert.Equal("iteration 11 failed", error.Message);

        int sum = 0;
        WorkerTeam.For(100, 2, i => Interlocked.Add(ref sum, i));
        Assert.Equal(4950, sum);
    }

    [Fact]
    public void NestedAndConcurrentLoopsAllComplete()
    {
        // A loop inside a team iteration and loops from several threads at once find the team
        // busy and fall back to the thread pool; all of them must still run every iteration.
        long total = 0;
        Parallel.For(0, 6, outer =>
        {
            WorkerTeam.For(10, 2, i =>
                WorkerTeam.For(10, 2, j => Interlocked.Add(ref total, outer * 100 + i * 10 + j)));
        });

        long expected = 0;
        for (int outer = 0; outer < 6; outer++)
        {
            for (int ij = 0; ij < 100; ij++)
            {
                expected += outer * 100 + ij;
            }
        }

        Assert.Equal(expected, total);
    }
}
