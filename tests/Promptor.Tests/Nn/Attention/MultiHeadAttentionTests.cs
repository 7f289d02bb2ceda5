using Promptor.Nn.Attention;
using Promptor.Tensors;
using Promptor.Tests.Golden;
using Promptor.Tests.Tensors;

namespace Promptor.Tests.Nn.Attention;

public class MultiHeadAttentionTests
{
    public static TheoryData<string, bool> GoldenCases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var c in GoldenFixture.Load("mha").Cases)
        {
            data.Add(c.Name, true);
            data.Add(c.Name, false);
        }
        return data;
    }

    /// <summary>Builds the layer of a golden case and loads the fixture's PyTorch state dict by name.</summary>
    internal static MultiHeadAttention FromCase(GoldenCase c)
    {
        var mha = new MultiHeadAttention(new MultiHeadAttentionOptions
        {
            EmbedDim = c.Int("embed_dim"),
            Heads = c.Int("num_heads"),
            KeyDim = c.Int("kdim"),
            ValueDim = c.Int("vdim"),
            Bias = c.Bool("bias"),
        }, new Generator(1));
        var state = mha.StateDict().Keys.ToDictionary(n => n, n => new Tensor(new Shape(c.Shape(n)), c.Data(n)));
        mha.LoadStateDict(state);
        return mha;
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void MatchesPyTorch(string name, bool withWeights)
    {
        var c = GoldenFixture.Case("mha", name);
        var mha = FromCase(c);
        Tensor Input(string n) => new(new Shape(c.Shape(n)), c.Data(n), requiresGrad: true);
        var query = Input("query");
        bool self = c.Bool("self_attention");
        var key = self ? query : Input("key");
        var value = self ? query : Input("value");

        Tensor? bias = c.HasParam("attn_mask")
            ? AttentionMask.FromBoolean(new Tensor(new Shape(c.Ints("attn_mask_shape")), c.Ints("attn_mask").Select(i => (float)i).ToArray()))
            : null;
        Tensor? padding = c.Bool("has_key_padding_mask")
            ? new Tensor(new Shape(c.Ints("key_padding_mask_shape")), c.Ints("key_padding_mask").Select(i => (float)i).ToArray())
            : null;
        var mask = new AttentionMask { Bias = bias, KeyPadding = padding };

        var result = mha.Forward(query, key, value, mask, needWeights: withWeights, averageWeights: c.Bool("average_attn_weights"));
        GoldenAssert.Close(c.Data("out"), result.Output.Data, 1e-5, 1e-4, $"{c}: out");
        if (withWeights)
        {
            Assert.Equal(new Shape(c.Shape("weights")), result.Weights!.Shape);
            GoldenAssert.Close(c.Data("weights"), result.Weights.Data, 1e-5, 1e-4, $"{c}: weights");
        }
        result.Output.Backward(new Tensor(result.Output.Shape, c.Data("grad_out")));
        GoldenAssert.Close(c.Data("grad_query"), query.Grad!.Data, 1e-5, 1e-4, $"{c}: grad_query");
        if (!self)
        {
            GoldenAssert.Close(c.Data("grad_key"), key.Grad!.Data, 1e-5, 1e-4, $"{c}: grad_key");
            GoldenAssert.Close(c.Data("grad_value"), value.Grad!.Data, 1e-5, 1e-4, $"{c}: grad_value");
        }
        foreach (var (paramName, p) in mha.NamedParameters())
        {
            GoldenAssert.Close(c.Data("grad_" + paramName), p.Grad!.Data, 1e-5, 1e-4, $"{c}: grad_{paramName}");
        }
    }

    private static MultiHeadAttention Small(int heads = 2, float dropout = 0f)
        => new(new MultiHeadAttentionOptions { EmbedDim = 8, Heads = heads, Dropout = dropout }, new Generator(3));

    [Fact]
    public void ParameterNamesFollowPyTorch()
    {
        Assert.Equal(["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"], Small().NamedParameters().Select(p => p.Name));
        var separate = new MultiHeadAttention(new MultiHeadAttentionOptions { EmbedDim = 4, KeyDim = 3, ValueDim = 5 }, new Generator(1));
        Assert.Equal(["q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"],
            separate.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void CrossAttentionWithDifferentLengthsAndSingleHead()
    {
        var mha = Small(heads: 1);
        var q = GradCheck.Random(1, 2, 3, 8);
        var kv = GradCheck.Random(2, 2, 11, 8);
        var r = mha.Forward(q, kv, kv, needWeights: true, averageWeights: false);
        Assert.Equal(new Shape(2, 3, 8), r.Output.Shape);
        Assert.Equal(new Shape(2, 1, 3, 11), r.Weights!.Shape);
        GradCheck.Check(xs => mha.Forward(xs[0], xs[1], xs[1]).Output, [q, kv], name: "mha cross");
    }

    [Fact]
    public void OutputsDoNotDependOnBatchSize()
    {
        var mha = Small();
        var x = GradCheck.Random(4, 5, 7, 8);
        var full = mha.Forward(x);
        for (int b = 0; b < 5; b++)
        {
            var one = mha.Forward(x.Slice(0, b, 1));
            for (int i = 0; i < one.Size; i++)
            {
                Assert.Equal(full.Data[b * one.Size + i], one.Data[i], 1e-5f);
            }
        }
    }

    [Fact]
    public void ZeroGateRemovesAHeadAndGateGradientMeasuresImportance()
    {
        var mha = Small(heads: 2);
        var x = GradCheck.Random(5, 2, 4, 8);
        var before = mha.Forward(x);
        mha.HeadGates.RequiresGrad = true;
        var loss = mha.Forward(x).Square().Sum();
        loss.Backward();
        Assert.True(mha.HeadGates.Grad!.Data.All(g => g != 0f));
        mha.HeadGates.RequiresGrad = false;
        mha.HeadGates.Data[1] = 0f;
        var pruned = mha.Forward(x);
        Assert.NotEqual(before.Data, pruned.Data);
        // With head 1 gated off, its value projection cannot influence the output.
        var w = mha.InProjWeight!;
        for (int i = 2 * 8 + 4; i < 3 * 8; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                w.Data[i * 8 + j] += 1f;
            }
        }
        Assert.Equal(pruned.Data, mha.Forward(x).Data);
    }

    [Fact]
    public void DropoutOnlyInTrainingAndSeeded()
    {
        var x = GradCheck.Random(6, 2, 5, 8);
        var a = Small(dropout: 0.5f);
        var b = Small(dropout: 0.5f);
        Assert.Equal(a.Forward(x).Data, b.Forward(x).Data);
        var trained = a.Forward(x).Data;
        a.Eval();
        var evaluated = a.Forward(x).Data;
        Assert.NotEqual(trained, evaluated);
        Assert.Equal(evaluated, a.Forward(x).Data);
    }

    [Fact]
    public void WrongInputShapeNamesTheExpectation()
    {
        var ex = Assert.Throws<ArgumentException>(() => Small().Forward(Tensor.Zeros(2, 3, 7)));
        Assert.Contains("(2, 3, 7)", ex.Message);
    }
}
