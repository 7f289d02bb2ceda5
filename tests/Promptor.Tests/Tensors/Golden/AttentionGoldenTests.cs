using Promptor.Tensors;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Tensors.Golden;

/// <summary>Scaled dot-product attention (fused and materialised) against the PyTorch-derived sdpa fixtures.</summary>
public class AttentionGoldenTests
{
    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var c in GoldenFixture.Load("sdpa").Cases)
        {
            data.Add(c.Name, true);
            data.Add(c.Name, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ScaledDotProductAttention(string name, bool fused)
    {
        var c = GoldenFixture.Case("sdpa", name);
        Tensor Input(string n) => new(new Shape(c.Shape(n)), c.Data(n), requiresGrad: true);
        var q = Input("q");
        var k = Input("k");
        var v = Input("v");
        Tensor? bias = c.Bool("has_bias") ? Input("bias") : null;
        Tensor? padding = c.Bool("has_key_padding")
            ? new Tensor(new Shape(c.Ints("key_padding_shape")), c.Ints("key_padding").Select(i => (float)i).ToArray())
            : null;
        var mask = new AttentionMask { Causal = c.Bool("causal"), KeyPadding = padding, Bias = bias };
        float scale = (float)c.Number("effective_scale");

        Tensor output;
        if (fused)
        {
            output = Promptor.Tensors.Ops.ScaledDotProductAttention(q, k, v, mask, scale);
        }
        else
        {
            (output, var weights) = Promptor.Tensors.Ops.ScaledDotProductAttentionWithWeights(q, k, v, mask, scale);
            GoldenAssert.Close(c.Data("weights"), weights.Data, 1e-5, 1e-4, $"{c}: weights");
        }
        GoldenAssert.Close(c.Data("out"), output.Data, 1e-5, 1e-4, $"{c}: out");
        output.Backward(new Tensor(output.Shape, c.Data("grad_out")));
        GoldenAssert.Close(c.Data("grad_q"), q.Grad!.Data, 1e-5, 1e-4, $"{c}: grad_q");
        GoldenAssert.Close(c.Data("grad_k"), k.Grad!.Data, 1e-5, 1e-4, $"{c}: grad_k");
        GoldenAssert.Close(c.Data("grad_v"), v.Grad!.Data, 1e-5, 1e-4, $"{c}: grad_v");
        if (bias is not null)
        {
            GoldenAssert.Close(c.Data("grad_bias"), bias.Grad!.Data, 1e-5, 1e-4, $"{c}: grad_bias");
        }
    }
}
