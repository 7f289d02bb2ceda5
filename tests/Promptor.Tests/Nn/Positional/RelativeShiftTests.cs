using Promptor.Nn.Positional;
using Promptor.Tensors;
using Promptor.Tensors.Kernels;
using static Promptor.Tests.Tensors.GradCheck;
using TensorOps = Promptor.Tensors.Ops;

namespace Promptor.Tests.Nn.Positional;

/// <summary>
/// The skewing op (<see cref="TensorOps.RelativeShift"/>) and its adjoint against the naive
/// per-pair computation that builds the (T, T, D) tensor of clipped embeddings.
/// </summary>
public class RelativeShiftTests
{
    /// <summary>(T, K) pairs: T ∈ {1, 2, 7, 33}, clip distances below, at and above T.</summary>
    public static TheoryData<int, int, bool> LengthsAndClips()
    {
        var data = new TheoryData<int, int, bool>();
        (int T, int K)[] pairs = [(1, 0), (1, 3), (2, 0), (2, 1), (2, 5), (7, 2), (7, 6), (7, 7), (7, 12), (33, 4), (33, 32), (33, 40)];
        foreach (var (t, k) in pairs)
        {
            data.Add(t, k, false);
            data.Add(t, k, true);
        }
        return data;
    }

    /// <summary>
    /// <c>S[…, i, j] = q_i · table[clip(j − i) + K]</c> from the (T, T, D) tensor of per-pair
    /// embeddings, with causal future entries 0; differentiable through primitives.
    /// </summary>
    internal static Tensor NaiveLogits(Tensor q, Tensor table, bool causal)
    {
        int t = q.Shape[-2], d = q.Shape[-1];
        int k = RelativePositions.MaxDistance(table.Shape[-2], causal);
        var (index, keep) = PairIndex(t, k, causal);
        var pairs = table.IndexSelect(-2, index);                                          // (…, T·T, D)
        pairs = pairs.Reshape([.. table.Shape.Dims[..^2], t, t, d]);                       // (…, T, T, D)
        var logits = q.Unsqueeze(-2).Mul(pairs).Sum(-1);                                   // (B, H, T, T)
        return logits.Mul(keep);
    }

    /// <summary>Row index of each (i, j) (0 where causal hides the pair) and the (T, T) 0/1 tensor of visible pairs.</summary>
    internal static (int[] Index, Tensor Keep) PairIndex(int t, int k, bool causal)
    {
        var index = new int[t * t];
        var keep = new Tensor(new Shape(t, t));
        for (int i = 0; i < t; i++)
        {
            for (int j = 0; j < t; j++)
            {
                int c = RelativePositions.Index(j - i, k, causal);
                index[i * t + j] = Math.Max(c, 0);
                keep.Data[i * t + j] = c >= 0 ? 1f : 0f;
            }
        }
        return (index, keep);
    }

    [Theory]
    [MemberData(nameof(LengthsAndClips))]
    public void SkewEqualsNaivePerPairLogitsForwardAndGradients(int t, int k, bool causal)
    {
        const int b = 2, h = 2, d = 3;
        int rows = RelativePositions.TableSize(k, causal);
        var q0 = Random(10, b, h, t, d);
        var e0 = Random(11, rows, d);
        var w = Random(12, b, h, t, t);

        (Tensor S, Tensor Dq, Tensor DE) Run(Func<Tensor, Tensor, Tensor> logits)
        {
            var q = new Tensor(q0.Shape, q0.ToArray(), true);
            var e = new Tensor(e0.Shape, e0.ToArray(), true);
            var s = logits(q, e);
            s.Backward(w);
            return (s.Detach(), q.Grad!, e.Grad!);
        }

        var skew = Run((q, e) => RelativePositions.Logits(q, e, causal));
        var naive = Run((q, e) => NaiveLogits(q, e, causal));
        Assert.Equal([b, h, t, t], skew.S.Shape.ToArray());
        AssertClose(naive.S, skew.S, "logits");
        AssertClose(naive.Dq, skew.Dq, "dq");
        AssertClose(naive.DE, skew.DE, "dE");

        // Rows no pair can reach get no gradient: with K > T − 1, distances beyond ±(T − 1).
        for (int r = 0; r < rows; r++)
        {
            int distance = r - k;
            if (Math.Abs(distance) > t - 1)
            {
                for (int c = 0; c < d; c++)
                {
                    Assert.Equal(0f, skew.DE[r, c]);
                }
            }
        }
    }

    [Fact]
    public void PerHeadTablesMatchTheNaiveComputation()
    {
        const int b = 2, h = 3, t = 6, d = 4, k = 2;
        foreach (bool causal in new[] { false, true })
        {
            int rows = RelativePositions.TableSize(k, causal);
            var q = Random(20, b, h, t, d);
            var e = Random(21, h, rows, d);
            AssertClose(NaiveLogits(q, e, causal), RelativePositions.Logits(q, e, causal), "per-head logits");
            Check(xs => RelativePositions.Logits(xs[0], xs[1], causal), [q, e], name: "per-head logits");
        }
    }

    [Fact]
    public void ShiftPlacesEachDistanceOnItsDiagonal()
    {
        // rel[i, r] = 10·i + r makes every output entry name its source.
        const int t = 4; // K = 1, columns = distances −1, 0, 1
        var rel = new Tensor(new Shape(t, 3));
        for (int i = 0; i < t; i++)
        {
            for (int r = 0; r < 3; r++)
            {
                rel.Data[i * 3 + r] = 10 * i + r;
            }
        }
        var s = rel.RelativeShift();
        float[] expected =
        [
            1, 2, 2, 2,
            10, 11, 12, 12,
            20, 20, 21, 22,
            30, 30, 30, 31,
        ];
        Assert.Equal(expected, s.Data);

        var causal = rel.Slice(1, 0, 2).RelativeShift(causal: true); // columns: distance −1, 0
        float[] expectedCausal =
        [
            1, 0, 0, 0,
            10, 11, 0, 0,
            20, 20, 21, 0,
            30, 30, 30, 31,
        ];
        Assert.Equal(expectedCausal, causal.Data);
    }

    [Theory]
    [InlineData(1, 1, 0, false)]
    [InlineData(3, 5, 2, false)]
    [InlineData(3, 5, 2, true)]
    [InlineData(2, 9, 20, false)]
    [InlineData(2, 9, 20, true)]
    [InlineData(16, 70, 5, false)]  // planes · T² above the parallel threshold
    [InlineData(16, 70, 80, true)]
    public void FastKernelsEqualReference(int planes, int t, int k, bool causal)
    {
        int r = RelativeShiftKernels.Columns(k, causal);
        var rel = Random(30, planes, t, r).Data;
        var s = Random(31, planes, t, t).Data;
        var prior = Random(32, planes * t * t).Data;
        var priorRel = Random(33, planes * t * r).Data;

        var fast = (float[])prior.Clone();
        var slow = (float[])prior.Clone();
        RelativeShiftKernels.Shift(rel, fast, planes, t, k, causal);
        RelativeShiftKernels.ShiftReference(rel, slow, planes, t, k, causal);
        Assert.Equal(slow, fast); // accumulates into the prior values, same single addition per entry

        var fastRel = (float[])priorRel.Clone();
        var slowRel = (float[])priorRel.Clone();
        RelativeShiftKernels.Unshift(s, fastRel, planes, t, k, causal);
        RelativeShiftKernels.UnshiftReference(s, slowRel, planes, t, k, causal);
        for (int i = 0; i < fastRel.Length; i++)
        {
            Assert.True(Math.Abs(fastRel[i] - slowRel[i]) <= 1e-5 * (1 + Math.Abs(slowRel[i])), $"unshift[{i}]: {fastRel[i]} vs {slowRel[i]}");
        }
    }

    [Fact]
    public void FastKernelsEqualReferenceAtEveryLengthUpTo64()
    {
        foreach (bool causal in new[] { false, true })
        {
            for (int t = 0; t <= 64; t++)
            {
                foreach (int k in new[] { 0, 1, 5, Math.Max(0, t - 1), t + 2 })
                {
                    int r = RelativeShiftKernels.Columns(k, causal);
                    var rel = Random((ulong)(1000 + t), t, r).Data;
                    var s = Random((ulong)(2000 + t), t, t).Data;
                    var fast = new float[t * t];
                    var slow = new float[t * t];
                    RelativeShiftKernels.Shift(rel, fast, 1, t, k, causal);
                    RelativeShiftKernels.ShiftReference(rel, slow, 1, t, k, causal);
                    Assert.True(slow.AsSpan().SequenceEqual(fast), $"shift T={t} K={k} causal={causal}");
                    var fastRel = new float[t * r];
                    var slowRel = new float[t * r];
                    RelativeShiftKernels.Unshift(s, fastRel, 1, t, k, causal);
                    RelativeShiftKernels.UnshiftReference(s, slowRel, 1, t, k, causal);
                    int bad = Enumerable.Range(0, fastRel.Length)
                        .FirstOrDefault(i => Math.Abs(fastRel[i] - slowRel[i]) > 1e-5 * (1 + Math.Abs(slowRel[i])), -1);
                    Assert.True(bad < 0, $"unshift T={t} K={k} causal={causal} at {bad}");
                }
            }
        }
    }

    [Theory]
    [InlineData(5, 2, false)]
    [InlineData(5, 2, true)]
    [InlineData(4, 6, false)]
    [InlineData(4, 6, true)]
    public void UnshiftIsTheAdjointOfShift(int t, int k, bool causal)
    {
        int r = RelativePositions.TableSize(k, causal);
        var rel = Random(40, 2, 3, t, r);
        var s = Random(41, 2, 3, t, t);
        double lhs = Dot(rel.RelativeShift(causal), s);
        double rhs = Dot(rel, s.RelativeUnshift(k, causal));
        Assert.Equal(lhs, rhs, 4);
    }

    [Theory]
    [InlineData(5, 1, false)]
    [InlineData(5, 1, true)]
    [InlineData(3, 4, false)]
    [InlineData(3, 4, true)]
    public void GradCheckShiftAndUnshift(int t, int k, bool causal)
    {
        int r = RelativePositions.TableSize(k, causal);
        Check(x => x.RelativeShift(causal), Random(50, 2, 3, t, r), name: "RelativeShift");
        Check(x => x.RelativeUnshift(k, causal), Random(51, 2, 3, t, t), name: "RelativeUnshift");
    }

    [Fact]
    public void RejectsBadShapes()
    {
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(3, 4).RelativeShift()); // even R, bidirectional
        Assert.Equal([3, 3], Tensor.Zeros(3, 4).RelativeShift(causal: true).Shape.ToArray());
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(3, 0).RelativeShift(causal: true));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(5).RelativeShift());
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(3, 4).RelativeUnshift(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(3, 3).RelativeUnshift(-1));
        Assert.Throws<ArgumentException>(() => RelativePositions.Logits(Random(1, 1, 2, 3, 4), Random(2, 5, 3)));
    }

    internal static double Dot(Tensor a, Tensor b)
    {
        double sum = 0;
        for (int i = 0; i < a.Size; i++)
        {
            sum += (double)a.Data[i] * b.Data[i];
        }
        return sum;
    }

    internal static void AssertClose(Tensor expected, Tensor actual, string what, double rtol = 1e-5)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        double scale = expected.Data.Select(Math.Abs).DefaultIfEmpty(0f).Max();
        for (int i = 0; i < expected.Size; i++)
        {
            Assert.True(Math.Abs(expected.Data[i] - actual.Data[i]) <= rtol * scale + 1e-6,
                $"{what}[{i}]: expected {expected.Data[i]}, got {actual.Data[i]}");
        }
    }
}
