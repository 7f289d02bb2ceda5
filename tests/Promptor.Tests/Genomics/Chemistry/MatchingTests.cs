using Promptor.Genomics.Chemistry;

namespace Promptor.Tests.Genomics.Chemistry;

public class MatchingTests
{
    private static List<int>[] Graph(int n, params (int, int)[] edges)
    {
        var adjacency = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        foreach (var (u, v) in edges)
        {
            adjacency[u].Add(v);
            adjacency[v].Add(u);
        }
        return adjacency;
    }

    private static int Size(int[] mate) => mate.Count(m => m >= 0) / 2;

    private static void AssertIsMatching(List<int>[] adjacency, int[] mate)
    {
        for (int v = 0; v < mate.Length; v++)
        {
            if (mate[v] >= 0)
            {
                Assert.Equal(v, mate[mate[v]]);
                Assert.Contains(mate[v], adjacency[v]);
            }
        }
    }

    // Largest matching by trying every edge subset (tiny graphs only).
    private static int BruteForce(int n, List<(int, int)> edges)
    {
        int best = 0;
        for (int mask = 0; mask < 1 << edges.Count; mask++)
        {
            var used = new bool[n];
            int size = 0;
            bool ok = true;
            for (int e = 0; e < edges.Count && ok; e++)
            {
                if ((mask & (1 << e)) == 0)
                {
                    continue;
                }
                var (u, v) = edges[e];
                ok = !used[u] && !used[v];
                used[u] = used[v] = true;
                size++;
            }
            if (ok)
            {
                best = Math.Max(best, size);
            }
        }
        return best;
    }

    [Fact]
    public void OddCycleLeavesOneVertexUnmatchedEvenCycleIsPerfect()
    {
        var five = Graph(5, (0, 1), (1, 2), (2, 3), (3, 4), (4, 0));
        Assert.Equal(2, Size(Matching.Maximum(five)));
        var six = Graph(6, (0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 0));
        Assert.Equal(3, Size(Matching.Maximum(six)));
    }

    [Fact]
    public void AugmentingPathThroughABlossomIsFound()
    {
        // A triangle 1-2-3 with tails 0-1 and 3-4-5: the greedy start matches 0-1, 2-3, 4-5 or
        // leaves a path that only exists through the odd cycle; the maximum is perfect (3).
        var g = Graph(6, (0, 1), (1, 2), (2, 3), (3, 1), (3, 4), (4, 5));
        var mate = Matching.Maximum(g);
        AssertIsMatching(g, mate);
        Assert.Equal(3, Size(mate));
        // Greedy would pair 1-2 first here; vertex 0 then needs 0-1, 2-3, 4-5 via the blossom.
        var h = Graph(6, (1, 2), (2, 3), (3, 1), (0, 1), (3, 4), (4, 5));
        Assert.Equal(3, Size(Matching.Maximum(h)));
    }

    [Fact]
    public void MatchesBruteForceOnRandomSmallGraphs()
    {
        var rng = new Random(11);
        for (int trial = 0; trial < 300; trial++)
        {
            int n = rng.Next(1, 9);
            var edges = new List<(int, int)>();
            for (int u = 0; u < n; u++)
            {
                for (int v = u + 1; v < n; v++)
                {
                    if (rng.NextDouble() < 0.35 && edges.Count < 14)
                    {
                        edges.Add((u, v));
                    }
                }
            }
            var g = Graph(n, [.. edges]);
            var mate = Matching.Maximum(g);
            AssertIsMatching(g, mate);
            Assert.Equal(BruteForce(n, edges), Size(mate));
        }
    }
}
