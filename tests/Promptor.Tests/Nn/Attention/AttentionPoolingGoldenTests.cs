using Promptor.Nn.Attention;
using Promptor.Tensors;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Nn.Attention;

/// <summary>
/// Additive (Bahdanau) and Luong general attention pooling with d2l valid-length masking, against
/// the PyTorch fixtures in additive.json: outputs, weights, input and parameter gradients.
/// </summary>
public class AttentionPoolingGoldenTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in GoldenFixture.Load("additive").Cases)
        {
            data.Add(c.Name);
        }
        return data;
    }

    [Fact]
    public void FixtureHasTheExpectedCases()
    {
        Assert.Equal(
            ["additive_no_mask", "additive_valid_lens", "additive_valid_len_zero", "luong_general", "luong_general_valid_lens"],
            GoldenFixture.Load("additive").Cases.Select(c => c.Name));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        var c = GoldenFixture.Case("additive", name);
        Assert.Equal(AttentionPooling.MaskValue, (float)c.Number("mask_value"));
        Tensor Input(string n)
        {
            var t = NnTestUtil.Golden(c, n);
            t.RequiresGrad = true;
            return t;
        }
        var q = Input("q");
        var k = Input("k");
        var v = Input("v");
        var g = new Generator(5);
        IAttentionScore score;
        string[] parameterNames;
        if (c.String("score") == "additive")
        {
            score = new AdditiveScore(q.Shape[2], k.Shape[2], c.Int("num_hiddens"), g);
            parameterNames = ["W_k.weight", "W_q.weight", "w_v.weight"];
        }
        else
        {
            Assert.Equal("luong_general", c.String("score"));
            score = new GeneralScore(q.Shape[2], k.Shape[2], g);
            parameterNames = ["W.weight"];
        }
        var pooling = new AttentionPooling(score);
        // The pooling exposes the score's parameters under "score."; a strict load proves the names and shapes.
        Assert.Equal(parameterNames.Select(n => "score." + n), pooling.NamedParameters().Select(p => p.Name));
        pooling.LoadStateDict(parameterNames.ToDictionary(n => "score." + n, n => NnTestUtil.Golden(c, n)));

        int[]? validLengths = c.Bool("has_valid_lens") ? c.Ints("valid_lens") : null;
        var (output, weights) = pooling.Forward(q, k, v, validLengths);
        output.Backward(NnTestUtil.Golden(c, "grad_out"));

        const double Atol = 1e-6, Rtol = 1e-4;
        GoldenAssert.Close(c.Data("out"), output.Data, Atol, Rtol, name + " out");
        GoldenAssert.Close(c.Data("weights"), weights.Data, Atol, Rtol, name + " weights");
        GoldenAssert.Close(c.Data("grad_q"), q.Grad!.Data, Atol, Rtol, name + " grad_q");
        GoldenAssert.Close(c.Data("grad_k"), k.Grad!.Data, Atol, Rtol, name + " grad_k");
        GoldenAssert.Close(c.Data("grad_v"), v.Grad!.Data, Atol, Rtol, name + " grad_v");
        foreach (var (parameterName, p) in pooling.NamedParameters())
        {
            string plain = parameterName["score.".Length..];
            GoldenAssert.Close(c.Data("grad_" + plain), p.Grad!.Data, Atol, Rtol, name + " grad_" + plain);
        }
    }

    [Fact]
    public void ValidLengthZeroGivesUniformWeightsOverAllKeys()
    {
        var c = GoldenFixture.Case("additive", "additive_valid_len_zero");
        Assert.Equal(0, c.Ints("valid_lens")[0]);
        var score = new AdditiveScore(4, 5, 6, new Generator(1));
        var (_, weights) = new AttentionPooling(score).Forward(
            NnTestUtil.Golden(c, "q"), NnTestUtil.Golden(c, "k"), NnTestUtil.Golden(c, "v"), c.Ints("valid_lens"));
        int tq = weights.Shape[1], tk = weights.Shape[2];
        for (int i = 0; i < tq * tk; i++)
        {
            Assert.Equal(1f / tk, weights.Data[i], 6);
        }
    }
}
