using Promptor.Nn;
using Promptor.Nn.Attention;
using Promptor.Tensors;
using Promptor.Tests.Tensors;

namespace Promptor.Tests.Nn.Attention;

public class AttentionScoreTests
{
    private static IAttentionScore Create(string kind, int dq, int dk) => kind switch
    {
        "dot" => new DotProductScore(),
        "scaled" => new ScaledDotProductScore(),
        "general" => new GeneralScore(dq, dk, new Generator(3)),
        "additive" => new AdditiveScore(dq, dk, 5, new Generator(4)),
        "gaussian" => new GaussianKernelScore(),
        "gaussian_learnable" => new GaussianKernelScore(0.7f, learnable: true),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static bool SameWidth(string kind) => kind is "dot" or "scaled" or "gaussian" or "gaussian_learnable";

    public static TheoryData<string> Kinds() => new() { "dot", "scaled", "general", "additive", "gaussian", "gaussian_learnable" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ScoresAreBatchQueriesByKeys(string kind)
    {
        int dq = 4, dk = SameWidth(kind) ? 4 : 6;
        var score = Create(kind, dq, dk);
        var s = score.Score(GradCheck.Random(1, 2, 3, dq), GradCheck.Random(2, 2, 5, dk));
        Assert.Equal([2, 3, 5], s.Shape.ToArray());
        Assert.All(s.ToArray(), x => Assert.True(float.IsFinite(x)));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void InputGradientsMatchFiniteDifferences(string kind)
    {
        int dq = 3, dk = SameWidth(kind) ? 3 : 4;
        var score = Create(kind, dq, dk);
        GradCheck.Check(xs => score.Score(xs[0], xs[1]),
            [GradCheck.Random(10, 2, 3, dq), GradCheck.Random(11, 2, 4, dk)], name: kind);
    }

    [Theory]
    [InlineData("general")]
    [InlineData("additive")]
    [InlineData("gaussian_learnable")]
    public void ParameterGradientsMatchFiniteDifferences(string kind)
    {
        int dq = 3, dk = SameWidth(kind) ? 3 : 4;
        var score = Create(kind, dq, dk);
        var q = GradCheck.Random(12, 2, 3, dq);
        var k = GradCheck.Random(13, 2, 4, dk);
        ModuleGradCheck.Check((Module)score, () => score.Score(q, k));
    }

    [Fact]
    public void DotProductAndScaledMatchHandComputedValues()
    {
        var q = Tensor.FromArray([1, 2, 0, 1], 1, 2, 2);
        var k = Tensor.FromArray([3, 4, -1, 2, 0, 5], 1, 3, 2);
        float[] dots = [1 * 3 + 2 * 4, 1 * -1 + 2 * 2, 1 * 0 + 2 * 5, 0 * 3 + 1 * 4, 0 * -1 + 1 * 2, 0 * 0 + 1 * 5];
        Assert.Equal(dots, new DotProductScore().Score(q, k).ToArray());
        var scaled = new ScaledDotProductScore().Score(q, k).ToArray();
        var custom = new ScaledDotProductScore(0.25f).Score(q, k).ToArray();
        for (int i = 0; i < dots.Length; i++)
        {
            Assert.Equal(dots[i] / MathF.Sqrt(2), scaled[i], 5);
            Assert.Equal(dots[i] * 0.25f, custom[i], 5);
        }
    }

    [Fact]
    public void GeneralScoreIsQueryTimesWTimesKeyTransposed()
    {
        var score = new GeneralScore(2, 3, new Generator(1));
        float[] w = [1, 0, 2, -1, 3, 0]; // W (dq=2, dk=3), stored as used
        w.CopyTo(score.W.Weight.Data, 0);
        Assert.Equal([2, 3], score.W.Weight.Shape.ToArray());
        var q = Tensor.FromArray([1, 2], 1, 1, 2);
        var k = Tensor.FromArray([1, 1, 1], 1, 1, 3);
        // q W = [1 − 2, 0 + 6, 2 + 0] = [−1, 6, 2]; · k = 7
        Assert.Equal(7f, score.Score(q, k).Item(), 5);
    }

    [Fact]
    public void AdditiveScoreHasD2lParameterNamesAndShapes()
    {
        var score = new AdditiveScore(4, 6, 8, new Generator(1));
        Assert.Equal(
            [("W_k.weight", new[] { 8, 6 }), ("W_q.weight", new[] { 8, 4 }), ("w_v.weight", new[] { 1, 8 })],
            score.NamedParameters().Select(p => (p.Name, p.Parameter.Shape.ToArray())));
    }

    [Fact]
    public void GaussianKernelIsMinusHalfSquaredScaledDistance()
    {
        var q = Tensor.FromArray([0, 0, 1, 2], 1, 2, 2);
        var k = Tensor.FromArray([3, 4], 1, 1, 2);
        Assert.Equal([-12.5f, -4f], new GaussianKernelScore().Score(q, k).ToArray());
        var sharp = new GaussianKernelScore(2f).Score(q, k).ToArray();
        Assert.Equal([-50f, -16f], sharp);
        var fixedKernel = new GaussianKernelScore();
        Assert.False(fixedKernel.IsLearnable);
        Assert.Empty(fixedKernel.NamedParameters());
        var learnable = new GaussianKernelScore(0.5f, learnable: true);
        Assert.Equal(["w"], learnable.NamedParameters().Select(p => p.Name));
        Assert.Equal(0.5f, learnable.W);
    }

    [Theory]
    [InlineData("dot")]
    [InlineData("scaled")]
    [InlineData("gaussian")]
    public void MismatchedWidthsThrow(string kind)
    {
        var score = Create(kind, 3, 3);
        var ex = Assert.Throws<ArgumentException>(() => score.Score(Tensor.Zeros(1, 2, 3), Tensor.Zeros(1, 2, 4)));
        Assert.Contains("(1, 2, 4)", ex.Message);
    }

    [Fact]
    public void ParametricScoresCheckTheirWidthsAndRanks()
    {
        var general = new GeneralScore(3, 4, new Generator(1));
        Assert.Throws<ArgumentException>(() => general.Score(Tensor.Zeros(1, 2, 4), Tensor.Zeros(1, 2, 4)));
        var additive = new AdditiveScore(3, 4, 2, new Generator(1));
        Assert.Throws<ArgumentException>(() => additive.Score(Tensor.Zeros(1, 2, 3), Tensor.Zeros(1, 2, 3)));
        Assert.Throws<ArgumentException>(() => additive.Score(Tensor.Zeros(2, 3), Tensor.Zeros(2, 4)));
        Assert.Throws<ArgumentException>(() => additive.Score(Tensor.Zeros(1, 2, 3), Tensor.Zeros(2, 2, 4)));
    }
}
