using Promptor.Nn.Attention;
using Promptor.Tensors;
using Promptor.Tests.Tensors;

namespace Promptor.Tests.Nn.Attention;

public class AttentionPoolingTests
{
    private static AttentionPooling Pooling(string kind, int dq, int dk) => new(kind switch
    {
        "dot" => new DotProductScore(),
        "scaled" => new ScaledDotProductScore(),
        "general" => new GeneralScore(dq, dk, new Generator(3)),
        "additive" => new AdditiveScore(dq, dk, 5, new Generator(4)),
        "gaussian" => new GaussianKernelScore(0.8f, learnable: true),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    });

    private static int KeyWidth(string kind) => kind is "general" or "additive" ? 5 : 3;

    public static TheoryData<string> Kinds() => new() { "dot", "scaled", "general", "additive", "gaussian" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void GradientsMatchFiniteDifferencesWithAndWithoutMasks(string kind)
    {
        int dk = KeyWidth(kind);
        var pooling = Pooling(kind, 3, dk);
        Tensor[] inputs = [GradCheck.Random(1, 2, 3, 3), GradCheck.Random(2, 2, 4, dk), GradCheck.Random(3, 2, 4, 2)];
        GradCheck.Check(xs => pooling.Forward(xs[0], xs[1], xs[2]).Output, inputs, name: kind);
        GradCheck.Check(xs => pooling.Forward(xs[0], xs[1], xs[2], [2, 4]).Output, inputs, name: kind + " masked");
        if (pooling.Parameters().Any())
        {
            ModuleGradCheck.Check(pooling, () => pooling.Forward(inputs[0], inputs[1], inputs[2], [3, 1]).Output);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void WeightRowsSumToOneAndMaskedKeysGetZero(string kind)
    {
        int dk = KeyWidth(kind);
        var pooling = Pooling(kind, 3, dk);
        var q = GradCheck.Random(4, 3, 2, 3);
        var k = GradCheck.Random(5, 3, 6, dk);
        var v = GradCheck.Random(6, 3, 6, 4);
        var padding = Tensor.FromArray(
            [0, 0, 0, 0, 0, 0,
             0, 1, 0, 1, 0, 0,
             0, 0, 0, 0, 0, 0], 3, 6);
        int[] valid = [6, 5, 2];
        var (output, weights) = pooling.Forward(q, k, v, valid, padding);
        Assert.Equal([3, 2, 4], output.Shape.ToArray());
        Assert.Equal([3, 2, 6], weights.Shape.ToArray());
        for (int b = 0; b < 3; b++)
        {
            for (int i = 0; i < 2; i++)
            {
                double sum = 0;
                for (int j = 0; j < 6; j++)
                {
                    float w = weights[b, i, j];
                    bool masked = j >= valid[b] || padding[b, j] != 0;
                    if (masked)
                    {
                        Assert.Equal(0f, w); // −1e6 underflows to exactly 0
                    }
                    else
                    {
                        Assert.True(w > 0, $"unmasked key {j} of row {b} got weight {w}");
                    }
                    sum += w;
                }
                Assert.Equal(1.0, sum, 5);
            }
        }
        // Output = weights · values, so masked values cannot change it.
        var changed = v.ToArray();
        changed[(2 * 6 + 4) * 4] += 100f; // batch row 2, key 4 (masked by its valid length 2)
        var again = pooling.Forward(q, k, new Tensor(v.Shape, changed), valid, padding).Output;
        Assert.Equal(output.ToArray(), again.ToArray());
    }

    [Fact]
    public void AllKeysMaskedGivesUniformWeightsNotNaN()
    {
        var pooling = Pooling("dot", 3, 3);
        var v = GradCheck.Random(9, 1, 4, 2);
        var (output, weights) = pooling.Forward(GradCheck.Random(7, 1, 2, 3), GradCheck.Random(8, 1, 4, 3), v,
            keyPaddingMask: Tensor.Ones(1, 4));
        Assert.All(weights.ToArray(), w => Assert.Equal(0.25f, w, 6));
        var mean = v.Mean(1).ToArray();
        Assert.Equal(mean[0], output[0, 1, 0], 5);
        Assert.Equal(mean[1], output[0, 1, 1], 5);
    }

    [Fact]
    public void OutputDoesNotDependOnBatchSize()
    {
        var pooling = Pooling("additive", 3, 5);
        var q = GradCheck.Random(1, 3, 2, 3);
        var k = GradCheck.Random(2, 3, 4, 5);
        var v = GradCheck.Random(3, 3, 4, 2);
        var full = pooling.Forward(q, k, v, [4, 2, 3]).Output;
        var single = pooling.Forward(q.Slice(0, 1, 1), k.Slice(0, 1, 1), v.Slice(0, 1, 1), [2]).Output;
        for (int i = 0; i < single.Size; i++)
        {
            Assert.Equal(full.Data[single.Size + i], single.Data[i], 6);
        }
    }

    [Fact]
    public void RegistersParametricScoresAsChildScore()
    {
        Assert.Equal(["score.W.weight"], Pooling("general", 3, 5).NamedParameters().Select(p => p.Name));
        Assert.Empty(Pooling("dot", 3, 3).NamedParameters());
        Assert.Same(Pooling("dot", 3, 3).NamedChildren().Single().Module.GetType(), typeof(DotProductScore));
    }

    [Fact]
    public void InvalidInputsThrowWithShapes()
    {
        var pooling = Pooling("dot", 3, 3);
        var q = Tensor.Zeros(2, 1, 3);
        var k = Tensor.Zeros(2, 4, 3);
        var v = Tensor.Zeros(2, 4, 2);
        var ex = Assert.Throws<ArgumentException>(() => pooling.Forward(q, k, Tensor.Zeros(2, 5, 2)));
        Assert.Contains("(2, 5, 2)", ex.Message);
        Assert.Throws<ArgumentException>(() => pooling.Forward(q, k, v, [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => pooling.Forward(q, k, v, [1, 5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => pooling.Forward(q, k, v, [-1, 2]));
        Assert.Throws<ArgumentException>(() => pooling.Forward(q, k, v, keyPaddingMask: Tensor.Zeros(2, 3)));
    }
}
