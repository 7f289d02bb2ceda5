using Promptor.Tensors;
using Promptor.Tensors.Kernels;

namespace Promptor.Tests.Tensors.Ops;

using static GradCheck;

/// <summary>
/// Weight dropout inside the fused attention kernels against the materialised computation
/// <c>(softmax(q kᵀ · scale + mask) ⊙ M) v</c> with the same mask M: the op draws one key from its
/// generator, so a generator with the same seed gives the test that key, and
/// <see cref="DropoutKernels.FillMask(ulong, Span{float}, float)"/> writes M over the flat
/// <c>(B, H, Tq, Tk)</c> indices. Outputs and all three gradients must agree.
/// </summary>
public class AttentionDropoutTests
{
    private const float P = 0.3f;

    /// <summary>(B, H, Tq, Tk, D, causal): inside one tile, across the 64- and 128-wide tiles, causal.</summary>
    public static TheoryData<int, int, int, int, int, bool> Shapes => new()
    {
        { 2, 3, 5, 7, 4, false },
        { 1, 2, 70, 130, 8, false },
        { 2, 2, 65, 65, 8, true },
    };

    private static Tensor Mask(int b, int h, int tq, int tk, ulong seed)
    {
        ulong key = new Generator(seed).NextUInt64();
        var m = new float[b * h * tq * tk];
        DropoutKernels.FillMask(key, m, P);
        return new Tensor(new Shape(b, h, tq, tk), m);
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        for (int i = 0; i < expected.Size; i++)
        {
            Assert.True(Math.Abs(expected.Data[i] - actual.Data[i]) <= 2e-5f * (1 + Math.Abs(expected.Data[i])),
                $"{what}[{i}]: {actual.Data[i]} vs {expected.Data[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void HeadsMajorFusedDropoutEqualsTheMaterialisedWeightsTimesTheSameMask(int b, int h, int tq, int tk, int d, bool causal)
    {
        Tensor Leaf(ulong seed, params int[] shape) => new(new Shape(shape), Random(seed, shape).Data, requiresGrad: true);
        var q = Leaf(1, b, h, tq, d);
        var k = Leaf(2, b, h, tk, d);
        var v = Leaf(3, b, h, tk, d);
        var upstream = Random(4, b, h, tq, d);
        var mask = causal ? AttentionMask.CausalMask : null;

        var fused = Promptor.Tensors.Ops.ScaledDotProductAttention(q, k, v, mask, dropout: P, generator: new Generator(9));
        (fused * upstream).Sum().Backward();
        Tensor fq = q.Grad!.Clone(), fk = k.Grad!.Clone(), fv = v.Grad!.Clone();
        q.ZeroGrad();
        k.ZeroGrad();
        v.ZeroGrad();

        var (_, weights) = Promptor.Tensors.Ops.ScaledDotProductAttentionWithWeights(q, k, v, mask);
        var reference = (weights * Mask(b, h, tq, tk, 9)).MatMul(v);
        (reference * upstream).Sum().Backward();

        AssertClose(reference, fused, "output");
        AssertClose(q.Grad!, fq, "dq");
        AssertClose(k.Grad!, fk, "dk");
        AssertClose(v.Grad!, fv, "dv");
        // Dropout did act: the output differs from the undropped attention.
        var plain = Promptor.Tensors.Ops.ScaledDotProductAttention(q.Detach(), k.Detach(), v.Detach(), mask);
        Assert.NotEqual(plain.Data, fused.Data);
    }

    [Fact]
    public void PackedSelfAttentionDropsTheSameWeightsAsTheHeadsMajorOp()
    {
        const int b = 2, t = 67, heads = 2, d = 8, e = heads * d;
        var packed = new Tensor(new Shape(b, t, 3 * e), Random(5, b, t, 3 * e).Data, requiresGrad: true);
        var upstream = Random(6, b, t, e);
        var y = Promptor.Tensors.Ops.PackedSelfAttention(packed, heads, AttentionMask.CausalMask, dropout: P, generator: new Generator(3));
        (y * upstream).Sum().Backward();
        var fused = packed.Grad!.Clone();
        packed.ZeroGrad();

        Tensor Split(int part) => packed.Slice(2, part * e, e).Reshape(b, t, heads, d).Permute(0, 2, 1, 3);
        var (_, weights) = Promptor.Tensors.Ops.ScaledDotProductAttentionWithWeights(Split(0), Split(1), Split(2), AttentionMask.CausalMask);
        var reference = (weights * Mask(b, heads, t, t, 3)).MatMul(Split(2)).Permute(0, 2, 1, 3).Reshape(b, t, e);
        (reference * upstream).Sum().Backward();

        AssertClose(reference, y, "output");
        AssertClose(packed.Grad!, fused, "dpacked");
    }

    [Fact]
    public void ZeroProbabilityDrawsNothingAndBadProbabilitiesThrow()
    {
        var q = Random(1, 1, 1, 4, 4);
        var g = new Generator(1);
        var a = Promptor.Tensors.Ops.ScaledDotProductAttention(q, q, q, dropout: 0f, generator: g);
        Assert.Equal(new Generator(1).NextUInt64(), g.NextUInt64()); // the generator was not advanced
        Assert.Equal(Promptor.Tensors.Ops.ScaledDotProductAttention(q, q, q).Data, a.Data);
        Assert.Throws<ArgumentOutOfRangeException>(() => Promptor.Tensors.Ops.ScaledDotProductAttention(q, q, q, dropout: 1f, generator: g));
        Assert.Throws<ArgumentNullException>(() => Promptor.Tensors.Ops.ScaledDotProductAttention(q, q, q, dropout: 0.1f));
    }
}
