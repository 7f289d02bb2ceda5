using Promptor.Nn.Positional;
using Promptor.Tensors;
using Promptor.Tests.Tensors;
using TensorOps = Promptor.Tensors.Ops;

namespace Promptor.Tests.Nn.Positional;

/// <summary>
/// Self-attention without positions commutes with permutations of the tokens; any positional
/// encoding (absolute or relative) breaks that.
/// </summary>
public class PermutationEquivarianceTests
{
    private const int B = 2, T = 7, C = 8, H = 2, D = C / H;
    private static readonly int[] s_permutation = [3, 0, 6, 1, 5, 2, 4];

    /// <summary>Multi-head self-attention with position-wise projections, positions chosen by <paramref name="kind"/>.</summary>
    private static Func<Tensor, Tensor> Attention(PositionalEncodingKind kind)
    {
        var rng = new Generator(100);
        var wq = Tensor.RandomNormal(rng, new Shape(C, C), 0, 0.5f);
        var wk = Tensor.RandomNormal(rng, new Shape(C, C), 0, 0.5f);
        var wv = Tensor.RandomNormal(rng, new Shape(C, C), 0, 0.5f);
        var encoding = kind == PositionalEncodingKind.Learned
            ? new LearnedPositionalEmbedding(T, C, new Generator(101), std: 1)
            : PositionalEncoding.Create(kind, C, T);
        var relative = kind == PositionalEncodingKind.Relative ? new RelativePositionBias(D, 3, new Generator(102), std: 1) : null;

        Tensor Heads(Tensor x) => x.Reshape(B, T, H, D).Permute(0, 2, 1, 3);             // (B, H, T, D)
        return x =>
        {
            var e = encoding.Forward(x);                                                   // (B, T, C)
            var q = Heads(e.MatMul(wq));
            var k = Heads(e.MatMul(wk));
            var v = Heads(e.MatMul(wv));
            var mask = relative?.Mask(q);
            var o = TensorOps.ScaledDotProductAttention(q, k, v, mask);                   // (B, H, T, D)
            return o.Permute(0, 2, 1, 3).Reshape(B, T, C);
        };
    }

    private static double PermutationError(Func<Tensor, Tensor> f)
    {
        var x = GradCheck.Random(103, B, T, C);
        var permutedOutput = f(x).IndexSelect(1, s_permutation);
        var outputOfPermuted = f(x.IndexSelect(1, s_permutation));
        double max = 0;
        for (int i = 0; i < permutedOutput.Size; i++)
        {
            max = Math.Max(max, Math.Abs(permutedOutput.Data[i] - outputOfPermuted.Data[i]));
        }
        return max;
    }

    [Fact]
    public void WithoutPositionsPermutingTheInputPermutesTheOutput()
    {
        Assert.True(PermutationError(Attention(PositionalEncodingKind.None)) < 1e-5);
    }

    [Fact]
    public void PlainScaledDotProductAttentionOnTheInputItselfIsEquivariant()
    {
        static Tensor SelfAttention(Tensor x) => TensorOps.ScaledDotProductAttention(x, x, x);
        Assert.True(PermutationError(SelfAttention) < 1e-5);
    }

    [Theory]
    [InlineData(PositionalEncodingKind.Sinusoidal)]
    [InlineData(PositionalEncodingKind.Learned)]
    [InlineData(PositionalEncodingKind.Relative)]
    public void WithPositionsItIsNot(PositionalEncodingKind kind)
    {
        double error = PermutationError(Attention(kind));
        Assert.True(error > 1e-2, $"{kind}: permuting the input changed the output by only {error:G3}");
    }
}
