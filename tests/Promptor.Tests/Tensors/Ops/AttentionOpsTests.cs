using Promptor.Tensors;

namespace Promptor.Tests.Tensors.Ops;

using static GradCheck;

public class AttentionOpsTests
{
    public static TheoryData<int, int, int, int, int, int, string> Shapes => new()
    {
        { 2, 3, 5, 7, 4, 6, "none" },
        { 1, 2, 70, 130, 16, 8, "none" },
        { 2, 2, 67, 67, 8, 8, "causal" },
        { 2, 1, 9, 130, 8, 5, "padding" },
        { 2, 3, 65, 66, 4, 4, "bias" },
        { 2, 3, 20, 20, 4, 4, "bias_per_head" },
        { 2, 2, 70, 70, 8, 8, "all" },
    };

    private static AttentionMask? Mask(string kind, int b, int h, int tq, int tk, ulong seed)
    {
        var rng = new Generator(seed);
        Tensor Padding()
        {
            var p = Tensor.Zeros(b, tk);
            for (int i = 0; i < b; i++)
            {
                for (int j = tk - 1 - i * 3; j < tk; j++)
                {
                    p.Data[i * tk + j] = 1f;
                }
            }
            return p;
        }
        return kind switch
        {
            "none" => null,
            "causal" => AttentionMask.CausalMask,
            "padding" => new AttentionMask { KeyPadding = Padding() },
            "bias" => new AttentionMask { Bias = Tensor.RandomNormal(rng, new Shape(tq, tk)) },
            "bias_per_head" => new AttentionMask { Bias = Tensor.RandomNormal(rng, new Shape(b, h, tq, tk)) },
            "all" => new AttentionMask { Causal = true, KeyPadding = Padding(), Bias = Tensor.RandomNormal(rng, new Shape(h, tq, tk)) },
            _ => throw new ArgumentException(kind),
        };
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void FusedKernelEqualsMaterialisedAttention(int b, int h, int tq, int tk, int dk, int dv, string mask)
    {
        var q = Random(1, b, h, tq, dk);
        var k = Random(2, b, h, tk, dk);
        var v = Random(3, b, h, tk, dv);
        var m = Mask(mask, b, h, tq, tk, 4);
        var dO = Random(5, b, h, tq, dv);

        Tensor[] Run(bool fused)
        {
            var qs = new Tensor(q.Shape, q.ToArray(), true);
            var ks = new Tensor(k.Shape, k.ToArray(), true);
            var vs = new Tensor(v.Shape, v.ToArray(), true);
            var o = fused
                ? Promptor.Tensors.Ops.ScaledDotProductAttention(qs, ks, vs, m)
                : Promptor.Tensors.Ops.ScaledDotProductAttentionWithWeights(qs, ks, vs, m).Output;
            o.Backward(dO);
            return [o.Detach(), qs.Grad!, ks.Grad!, vs.Grad!];
        }

        var fast = Run(fused: true);
        var slow = Run(fused: false);
        string[] names = ["output", "dq", "dk", "dv"];
        for (int t = 0; t < 4; t++)
        {
            double scale = slow[t].Data.Select(Math.Abs).DefaultIfEmpty(0f).Max();
            for (int i = 0; i < fast[t].Size; i++)
            {
                Assert.True(Math.Abs(fast[t].Data[i] - slow[t].Data[i]) <= 1e-5 * scale + 1e-6,
                    $"{names[t]}[{i}]: fused {fast[t].Data[i]} vs materialised {slow[t].Data[i]}");
            }
        }
    }

    [Fact]
    public void FusedAttentionGradientMatchesFiniteDifferences()
    {
        var mask = new AttentionMask { Causal = true, Bias = Random(9, 6, 6) };
        Check(xs => Promptor.Tensors.Ops.ScaledDotProductAttention(xs[0], xs[1], xs[2], mask),
            [Random(6, 2, 2, 6, 4), Random(7, 2, 2, 6, 4), Random(8, 2, 2, 6, 3)], name: "sdpa");
    }

    [Fact]
    public void WeightsRowsSumToOneAndRespectTheCausalMask()
    {
        var (_, w) = Promptor.Tensors.Ops.ScaledDotProductAttentionWithWeights(
            Random(1, 1, 2, 5, 4), Random(2, 1, 2, 5, 4), Random(3, 1, 2, 5, 4), AttentionMask.CausalMask);
        for (int h = 0; h < 2; h++)
        {
            for (int i = 0; i < 5; i++)
            {
                float sum = 0;
                for (int j = 0; j < 5; j++)
                {
                    if (j > i)
                    {
                        Assert.Equal(0f, w[0, h, i, j]);
                    }
                    sum += w[0, h, i, j];
                }
                Assert.Equal(1f, sum, 1e-5f);
            }
        }
    }

    [Fact]
    public void FutureKeysNeverChangePastOutputs()
    {
        var q = Random(1, 1, 1, 80, 8);
        var k = Random(2, 1, 1, 80, 8);
        var v = Random(3, 1, 1, 80, 8);
        var before = Promptor.Tensors.Ops.ScaledDotProductAttention(q, k, v, AttentionMask.CausalMask);
        for (int c = 0; c < 8; c++)
        {
            k.Data[79 * 8 + c] += 5f;
            v.Data[79 * 8 + c] -= 5f;
        }
        var after = Promptor.Tensors.Ops.ScaledDotProductAttention(q, k, v, AttentionMask.CausalMask);
        Assert.Equal(before.Data.AsSpan(0, 79 * 8).ToArray(), after.Data.AsSpan(0, 79 * 8).ToArray());
        Assert.NotEqual(before.Data[79 * 8], after.Data[79 * 8]);
    }

    [Fact]
    public void FullyMaskedQueryGivesZerosAndNoNaN()
    {
        var pad = Tensor.Ones(1, 4);
        var o = Promptor.Tensors.Ops.ScaledDotProductAttention(Random(1, 1, 1, 3, 2), Random(2, 1, 1, 4, 2), Random(3, 1, 1, 4, 2),
            new AttentionMask { KeyPadding = pad });
        Assert.All(o.Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void SingleHeadRankThreeInputsWork()
    {
        var q = Random(1, 2, 5, 4);
        var o3 = Promptor.Tensors.Ops.ScaledDotProductAttention(q, Random(2, 2, 6, 4), Random(3, 2, 6, 3));
        var o4 = Promptor.Tensors.Ops.ScaledDotProductAttention(q.Reshape(2, 1, 5, 4), Random(2, 2, 6, 4).Reshape(2, 1, 6, 4), Random(3, 2, 6, 3).Reshape(2, 1, 6, 3));
        Assert.Equal(new Shape(2, 5, 3), o3.Shape);
        Assert.Equal(o4.Data, o3.Data);
    }

    [Fact]
    public void WrongShapesAreRejectedWithTheShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Promptor.Tensors.Ops.ScaledDotProductAttention(Random(1, 1, 2, 3, 4), Random(2, 1, 2, 3, 5), Random(3, 1, 2, 3, 4)));
        Assert.Contains("(1, 2, 3, 5)", ex.Message);
    }
}
