using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Tests.Tensors.Ops;

using static GradCheck;

/// <summary>
/// The heads-interleaved attention ops (<c>(B, T, H·D)</c> operands read in place) against the
/// heads-major op after an explicit head split, and the fused <c>Linear</c> against its parts.
/// </summary>
public class MultiHeadAttentionOpsTests
{
    /// <summary>(B, Tq, Tk, H, D, Dv, mask): lengths below, at and across the 64-row tile, T = 1, Tq ≠ Tk, Dv ≠ D.</summary>
    public static TheoryData<int, int, int, int, int, int, string> Shapes => new()
    {
        { 2, 5, 7, 3, 4, 6, "none" },
        { 1, 1, 1, 2, 8, 8, "none" },
        { 2, 70, 130, 2, 16, 8, "none" },
        { 1, 65, 65, 4, 8, 8, "causal" },
        { 2, 9, 67, 1, 5, 3, "padding" },
        { 2, 20, 20, 3, 4, 4, "bias_per_head" },
    };

    private static AttentionMask? Mask(string kind, int b, int h, int tq, int tk)
    {
        return kind switch
        {
            "none" => null,
            "causal" => AttentionMask.CausalMask,
            "padding" => new AttentionMask { KeyPadding = Padding(b, tk) },
            "bias_per_head" => new AttentionMask { Bias = Random(11, b, h, tq, tk) },
            _ => throw new ArgumentException(kind),
        };
    }

    private static Tensor Padding(int b, int tk)
    {
        var p = Tensor.Zeros(b, tk);
        for (int i = 0; i < b; i++)
        {
            for (int j = tk - 1 - i * 5; j < tk; j++)
            {
                p.Data[i * tk + j] = 1f;
            }
        }
        return p;
    }

    private static Tensor SplitHeads(Tensor x, int heads) =>
        x.Reshape(x.Shape[0], x.Shape[1], heads, x.Shape[2] / heads).Permute(0, 2, 1, 3);

    private static Tensor MergeHeads(Tensor x) =>
        x.Permute(0, 2, 1, 3).Reshape(x.Shape[0], x.Shape[2], x.Shape[1] * x.Shape[3]);

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        double scale = expected.Data.Select(Math.Abs).DefaultIfEmpty(0f).Max();
        for (int i = 0; i < expected.Size; i++)
        {
            Assert.True(Math.Abs(expected.Data[i] - actual.Data[i]) <= 1e-5 * scale + 1e-6,
                $"{what}[{i}]: expected {expected.Data[i]}, got {actual.Data[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void InterleavedHeadsEqualSplitHeadsAttention(int b, int tq, int tk, int h, int d, int dv, string maskKind)
    {
        var mask = Mask(maskKind, b, h, tq, tk);
        var gradOut = Random(5, b, tq, h * dv);

        Tensor[] Run(bool interleaved)
        {
            var q = new Tensor(new Shape(b, tq, h * d), Random(1, b, tq, h * d).Data, true);
            var k = new Tensor(new Shape(b, tk, h * d), Random(2, b, tk, h * d).Data, true);
            var v = new Tensor(new Shape(b, tk, h * dv), Random(3, b, tk, h * dv).Data, true);
            var o = interleaved
                ? Promptor.Tensors.Ops.MultiHeadScaledDotProductAttention(q, k, v, h, mask)
                : MergeHeads(Promptor.Tensors.Ops.ScaledDotProductAttentionWithWeights(SplitHeads(q, h), SplitHeads(k, h), SplitHeads(v, h), mask).Output);
            o.Backward(gradOut);
            return [o.Detach(), q.Grad!, k.Grad!, v.Grad!];
        }

        var fused = Run(interleaved: true);
        var reference = Run(interleaved: false);
        string[] names = ["output", "dq", "dk", "dv"];
        for (int i = 0; i < 4; i++)
        {
            AssertClose(reference[i], fused[i], names[i]);
        }
    }

    [Theory]
    [InlineData(2, 7, 2, 4, "none")]
    [InlineData(1, 66, 4, 8, "causal")]
    [InlineData(3, 12, 1, 6, "padding")]
    public void PackedSelfAttentionEqualsSeparateOperands(int b, int t, int h, int d, string maskKind)
    {
        int e = h * d;
        var mask = Mask(maskKind, b, h, t, t);
        var packedValues = Random(21, b, t, 3 * e);
        var gradOut = Random(22, b, t, e);

        var packed = new Tensor(packedValues.Shape, packedValues.ToArray(), true);
        var fused = Promptor.Tensors.Ops.PackedSelfAttention(packed, h, mask);
        fused.Backward(gradOut);

        var copy = new Tensor(packedValues.Shape, packedValues.ToArray(), true);
        var parts = copy.Chunk(3, -1);
        var separate = Promptor.Tensors.Ops.MultiHeadScaledDotProductAttention(parts[0], parts[1], parts[2], h, mask);
        separate.Backward(gradOut);

        AssertClose(separate, fused, "output");
        AssertClose(copy.Grad!, packed.Grad!, "dpacked");
    }

    [Fact]
    public void PackedSelfAttentionGradientMatchesFiniteDifferences()
    {
        var mask = new AttentionMask { Causal = true, KeyPadding = Padding(2, 5) };
        Check(xs => Promptor.Tensors.Ops.PackedSelfAttention(xs[0], 2, mask), [Random(31, 2, 5, 3 * 6)], name: "packed attention");
    }

    [Fact]
    public void InterleavedAttentionGradientMatchesFiniteDifferences()
    {
        Check(xs => Promptor.Tensors.Ops.MultiHeadScaledDotProductAttention(xs[0], xs[1], xs[2], 2),
            [Random(32, 2, 3, 4), Random(33, 2, 5, 4), Random(34, 2, 5, 6)], name: "interleaved attention");
    }

    [Fact]
    public void ATrainableBiasGetsItsGradientThroughTheMaterialisedPath()
    {
        var bias = new Tensor(new Shape(4, 4), Random(41, 4, 4).Data, requiresGrad: true);
        var mask = new AttentionMask { Bias = bias };
        var q = Random(42, 1, 4, 6);
        var o = Promptor.Tensors.Ops.MultiHeadScaledDotProductAttention(q, Random(43, 1, 4, 6), Random(44, 1, 4, 6), 2, mask);
        o.Square().Sum().Backward();
        Assert.True(bias.HasGrad);
        Assert.Contains(bias.Grad!.Data, g => g != 0f);
    }

    [Fact]
    public void WrongShapesNameTheExpectation()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Promptor.Tensors.Ops.MultiHeadScaledDotProductAttention(Random(1, 2, 3, 6), Random(2, 2, 4, 8), Random(3, 2, 4, 6), 2));
        Assert.Contains("(2, 4, 8)", ex.Message);
        Assert.Throws<ArgumentException>(() => Promptor.Tensors.Ops.PackedSelfAttention(Random(1, 2, 3, 10), 2));
    }

    [Fact]
    public void LinearEqualsMatMulPlusBias()
    {
        var xValues = Random(51, 2, 3, 5);
        var wValues = Random(52, 4, 5);
        var bValues = Random(53, 4);
        var gradOut = Random(54, 2, 3, 4);

        Tensor[] Run(bool fused)
        {
            var x = new Tensor(xValues.Shape, xValues.ToArray(), true);
            var w = new Tensor(wValues.Shape, wValues.ToArray(), true);
            var b = new Tensor(bValues.Shape, bValues.ToArray(), true);
            var y = fused ? x.Linear(w, b) : x.MatMul(w, transposeB: true) + b;
            y.Backward(gradOut);
            return [y.Detach(), x.Grad!, w.Grad!, b.Grad!];
        }

        var fusedResult = Run(fused: true);
        var reference = Run(fused: false);
        string[] names = ["y", "dx", "dw", "db"];
        for (int i = 0; i < 4; i++)
        {
            AssertClose(reference[i], fusedResult[i], names[i]);
        }
    }

    [Fact]
    public void LinearGradientMatchesFiniteDifferences()
    {
        Check(xs => xs[0].Linear(xs[1], xs[2]), [Random(61, 3, 4), Random(62, 2, 4), Random(63, 2)], name: "linear");
        Check(xs => xs[0].Linear(xs[1]), [Random(64, 2, 2, 3), Random(65, 5, 3)], name: "linear without bias");
    }

    [Fact]
    public void LinearGradientsOverwriteAFreshBufferAndAccumulateIntoAnExistingOne()
    {
        // The first product into a gradient runs with beta 0 on an unzeroed (possibly recycled)
        // buffer; a second use of the same input and weight must add to it. Large enough for the
        // storage pool, whose recycled arrays hold old values.
        var xValues = Random(71, 64, 300);
        var wValues = Random(72, 40, 300);
        var gradOut = Random(73, 64, 40);
        Tensor[] Grads(int uses)
        {
            var x = new Tensor(xValues.Shape, xValues.ToArray(), true);
            var w = new Tensor(wValues.Shape, wValues.ToArray(), true);
            var y = x.Linear(w);
            for (int i = 1; i < uses; i++)
            {
                y = y + x.Linear(w);
            }
            y.Backward(gradOut);
            return [x.Grad!, w.Grad!];
        }
        for (int step = 0; step < 3; step++)
        {
            var once = Grads(1);
            var twice = Grads(2);
            for (int i = 0; i < 2; i++)
            {
                AssertClose(once[i] * 2f, twice[i], i == 0 ? "dx" : "dw");
            }
        }
    }

    [Fact]
    public void LinearBiasGradientDoesNotDependOnTheThreadCount()
    {
        // (4096, 300) is above the parallel threshold of the bias gradient's row sums.
        var xValues = Random(81, 4096, 8);
        var wValues = Random(82, 300, 8);
        var gradOut = Random(83, 4096, 300);
        float[] BiasGradient(int threads)
        {
            using var limit = Promptor.Tensors.Kernels.Gemm.LimitThreads(threads);
            var b = new Tensor(new Shape(300), new float[300], true);
            new Tensor(xValues.Shape, xValues.ToArray()).Linear(new Tensor(wValues.Shape, wValues.ToArray()), b).Backward(gradOut);
            return b.Grad!.ToArray();
        }
        Assert.Equal(BiasGradient(1), BiasGradient(2));
    }

    [Fact]
    public void LinearRejectsMismatchedWidths()
    {
        var ex = Assert.Throws<ArgumentException>(() => Random(1, 2, 3).Linear(Random(2, 4, 5)));
        Assert.Contains("(4, 5)", ex.Message);
    }

    [Fact]
    public void RepeatedStepsWithRecycledStorageGiveIdenticalGradients()
    {
        // Three fwd+bwd steps on inputs large enough for the storage pool: the recycled buffers
        // must never leak values from one step into the next.
        const int b = 2, t = 100, h = 2, e = 96; // (2, 100, 3·96) = 57,600 floats, above the pool's minimum
        var packedValues = Random(71, b, t, 3 * e);
        var gradOut = Random(72, b, t, e);
        float[]? first = null;
        for (int step = 0; step < 3; step++)
        {
            var packed = new Tensor(packedValues.Shape, packedValues.ToArray(), true);
            var hidden = Promptor.Tensors.Ops.PackedSelfAttention(packed, h);
            var o = hidden * 2f;
            Tape.RecycleAfterBackward(hidden);
            o.Backward(gradOut);
            var grad = packed.Grad!.ToArray();
            first ??= grad;
            Assert.Equal(first, grad);
        }
    }
}
