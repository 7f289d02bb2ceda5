using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Tests.Tensors.Ops;

using static GradCheck;

public class InferenceOpsTests
{
    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        for (int i = 0; i < expected.Size; i++)
        {
            Assert.True(Math.Abs(expected.Data[i] - actual.Data[i]) <= tolerance * (1 + Math.Abs(expected.Data[i])),
                $"[{i}]: expected {expected.Data[i]}, got {actual.Data[i]}");
        }
    }

    [Fact]
    public void LinearInferenceEqualsTheComposedOps()
    {
        var x = Random(1, 3, 5, 8);
        var w = Random(2, 6, 8);
        var b = Random(3, 6);
        var residual = Random(4, 3, 5, 6);
        var composed = (x.MatMul(w, transposeB: true) + b + residual).Relu();
        AssertClose(composed, Promptor.Tensors.Ops.LinearInference(x, w, b, residual, LinearActivation.Relu), 1e-5);
        AssertClose((x.MatMul(w, transposeB: true) + b).Gelu(), Promptor.Tensors.Ops.LinearInference(x, w, b, activation: LinearActivation.Gelu), 1e-5);
        AssertClose(x.MatMul(w, transposeB: true), Promptor.Tensors.Ops.LinearInference(x, w), 1e-5);
    }

    [Fact]
    public void InferenceOpsRefuseToDropAGradient()
    {
        var x = new Tensor(new Shape(2, 4, 8), Random(1, 2, 4, 8).Data, requiresGrad: true);
        var w = Random(2, 24, 8);
        Assert.Throws<InvalidOperationException>(() => Promptor.Tensors.Ops.LinearInference(x, w));
        Assert.Throws<InvalidOperationException>(() => Promptor.Tensors.Ops.SelfAttentionInference(x, w, null, 2));
        using (Tape.NoGrad())
        {
            Assert.Equal(new Shape(2, 4, 24), Promptor.Tensors.Ops.LinearInference(x, w).Shape);
            Assert.Equal(new Shape(2, 4, 8), Promptor.Tensors.Ops.SelfAttentionInference(x, w, null, 2).Shape);
        }
    }

    [Fact]
    public void LinearInferenceRejectsMismatchedShapes()
    {
        Assert.Throws<ArgumentException>(() => Promptor.Tensors.Ops.LinearInference(Random(1, 2, 3), Random(2, 4, 5)));
        Assert.Throws<ArgumentException>(() => Promptor.Tensors.Ops.LinearInference(Random(1, 2, 3), Random(2, 4, 3), Random(3, 5)));
        Assert.Throws<ArgumentException>(() => Promptor.Tensors.Ops.LinearInference(Random(1, 2, 3), Random(2, 4, 3), null, Random(3, 2, 5)));
    }

    [Theory]
    [InlineData(2, 7, 3, 4, true)]
    [InlineData(3, 62, 8, 16, true)]
    [InlineData(1, 5, 1, 6, false)]
    public void SelfAttentionInferenceEqualsProjectSplitAttendMerge(int b, int t, int heads, int width, bool bias)
    {
        int e = heads * width;
        var x = Random(1, b, t, e);
        var w = Uniform(2, -0.3f, 0.3f, 3 * e, e);
        var inBias = bias ? Random(3, 3 * e) : null;
        var gates = Uniform(4, 0f, 2f, heads);
        var qkv = x.MatMul(w, transposeB: true);
        if (inBias is not null)
        {
            qkv = qkv + inBias;
        }
        var parts = qkv.Chunk(3, -1);
        Tensor Split(Tensor p) => p.Reshape(b, t, heads, width).Permute(0, 2, 1, 3);
        var (o, _) = Promptor.Tensors.Ops.ScaledDotProductAttentionWithWeights(Split(parts[0]), Split(parts[1]), Split(parts[2]));
        var expected = (o * gates.Reshape(1, heads, 1, 1)).Permute(0, 2, 1, 3).Reshape(b, t, e);
        using (Tape.NoGrad())
        {
            AssertClose(expected, Promptor.Tensors.Ops.SelfAttentionInference(x, w, inBias, heads, gates), 1e-5);
        }
    }

    [Fact]
    public void NoGradAttentionEqualsTheRecordedKernel()
    {
        var q = Random(1, 2, 3, 40, 16);
        var k = Random(2, 2, 3, 50, 16);
        var v = Random(3, 2, 3, 50, 8);
        var mask = new AttentionMask { Causal = true, Bias = Random(4, 3, 40, 50) };
        var recorded = Promptor.Tensors.Ops.ScaledDotProductAttention(new Tensor(q.Shape, q.Data, true), k, v, mask);
        Assert.True(recorded.RequiresGrad);
        using (Tape.NoGrad())
        {
            var inference = Promptor.Tensors.Ops.ScaledDotProductAttention(q, k, v, mask);
            AssertClose(recorded.Detach(), inference, 1e-5);
        }
    }

    [Fact]
    public void ParallelLayerNormEqualsRowByRowOnALargeInput()
    {
        // 2,000 rows of 96: large enough to be split over threads; rows are independent.
        var x = Random(1, 2000, 96);
        var gamma = Random(2, 96);
        var beta = Random(3, 96);
        var y = x.LayerNorm(gamma, beta);
        for (int r = 0; r < 2000; r += 37)
        {
            var row = new Tensor(new Shape(1, 96), x.Data.AsSpan(r * 96, 96).ToArray());
            var expected = row.LayerNorm(gamma, beta);
            for (int c = 0; c < 96; c++)
            {
                Assert.Equal(expected.Data[c], y.Data[r * 96 + c]);
            }
        }
    }
}
