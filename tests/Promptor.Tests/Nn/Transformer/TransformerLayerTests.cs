using Promptor.Nn;
using Promptor.Nn.Attention;
using Promptor.Nn.Transformer;
using Promptor.Tensors;
using Promptor.Tests.Golden;
using Promptor.Tests.Tensors;

namespace Promptor.Tests.Nn.Transformer;

public class TransformerLayerTests
{
    public static TheoryData<string> GoldenCases() => new(GoldenFixture.Load("transformer").Cases.Select(c => c.Name));

    private static TransformerLayerOptions OptionsOf(GoldenCase c) => new()
    {
        ModelDim = c.Int("d_model"),
        Heads = c.Int("nhead"),
        FeedForwardDim = c.Int("dim_feedforward"),
        Dropout = 0f,
        Activation = c.String("activation") == "gelu" ? FeedForwardActivation.Gelu : FeedForwardActivation.Relu,
        NormFirst = c.Bool("norm_first"),
        LayerNormEps = (float)c.Number("layer_norm_eps"),
    };

    private static Tensor? Mask(GoldenCase c, string name) => c.HasParam(name)
        ? new Tensor(new Shape(c.Ints(name + "_shape")), c.Ints(name).Select(i => (float)i).ToArray())
        : null;

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void MatchesPyTorch(string name)
    {
        var c = GoldenFixture.Case("transformer", name);
        var options = OptionsOf(c);
        var generator = new Generator(1);
        Tensor Input(string n) => new(new Shape(c.Shape(n)), c.Data(n), requiresGrad: true);
        Module module;
        Tensor output;
        var inputs = new List<(string Name, Tensor Tensor)>();
        switch (c.String("kind"))
        {
            case "encoder_layer":
            case "encoder_stack":
            {
                var src = Input("src");
                inputs.Add(("src", src));
                var srcMask = Mask(c, "src_mask");
                var mask = new AttentionMask
                {
                    Bias = srcMask is null ? null : AttentionMask.FromBoolean(srcMask),
                    KeyPadding = Mask(c, "src_key_padding_mask"),
                };
                if (c.String("kind") == "encoder_layer")
                {
                    var layer = new TransformerEncoderLayer(options, generator);
                    module = layer;
                    Load(module, c);
                    output = layer.Forward(src, mask).Output;
                }
                else
                {
                    var stack = new TransformerEncoder(options, c.Int("num_layers"), generator);
                    module = stack;
                    Load(module, c);
                    output = stack.Forward(src, mask).Output;
                }
                break;
            }
            default:
            {
                var tgt = Input("tgt");
                var memory = Input("memory");
                inputs.Add(("tgt", tgt));
                inputs.Add(("memory", memory));
                var tgtMask = Mask(c, "tgt_mask");
                var layer = new TransformerDecoderLayer(options, generator);
                module = layer;
                Load(module, c);
                output = layer.Forward(tgt, memory,
                    tgtMask is null ? null : new AttentionMask { Bias = AttentionMask.FromBoolean(tgtMask) },
                    new AttentionMask { KeyPadding = Mask(c, "memory_key_padding_mask") }).Output;
                break;
            }
        }
        GoldenAssert.Close(c.Data("out"), output.Data, 1e-5, 1e-4, $"{c}: out");
        output.Backward(new Tensor(output.Shape, c.Data("grad_out")));
        foreach (var (inputName, tensor) in inputs)
        {
            GoldenAssert.Close(c.Data("grad_" + inputName), tensor.Grad!.Data, 1e-5, 1e-4, $"{c}: grad_{inputName}");
        }
        foreach (var (paramName, p) in module.NamedParameters())
        {
            GoldenAssert.Close(c.Data("grad_" + paramName), p.Grad!.Data, 2e-5, 1e-4, $"{c}: grad_{paramName}");
        }
    }

    private static void Load(Module module, GoldenCase c)
        => module.LoadStateDict(module.StateDict().Keys.ToDictionary(n => n, n => new Tensor(new Shape(c.Shape(n)), c.Data(n))));

    private static TransformerLayerOptions Tiny(bool normFirst) => new() { ModelDim = 8, Heads = 2, FeedForwardDim = 16, Dropout = 0f, NormFirst = normFirst };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CausalDecoderNeverLetsLaterTokensChangeEarlierOutputs(bool normFirst)
    {
        var decoder = new TransformerDecoder(Tiny(normFirst), 2, new Generator(2), finalNorm: normFirst);
        var tgt = GradCheck.Random(1, 2, 6, 8);
        var memory = GradCheck.Random(2, 2, 4, 8);
        var before = decoder.Forward(tgt, memory, AttentionMask.CausalMask, null).Output;
        for (int b = 0; b < 2; b++)
        {
            for (int c = 0; c < 8; c++)
            {
                tgt.Data[(b * 6 + 5) * 8 + c] += 3f;
            }
        }
        var after = decoder.Forward(tgt, memory, AttentionMask.CausalMask, null).Output;
        for (int b = 0; b < 2; b++)
        {
            for (int t = 0; t < 5; t++)
            {
                for (int c = 0; c < 8; c++)
                {
                    int i = (b * 6 + t) * 8 + c;
                    Assert.Equal(before.Data[i], after.Data[i], 1e-6f);
                }
            }
        }
    }

    [Fact]
    public void EncoderDecoderHasPyTorchNamesAndTrainsGradientsEverywhere()
    {
        var model = new EncoderDecoderTransformer(Tiny(false), 1, 1, new Generator(3));
        var names = model.NamedParameters().Select(p => p.Name).ToList();
        Assert.Contains("encoder.layers.0.self_attn.in_proj_weight", names);
        Assert.Contains("decoder.layers.0.multihead_attn.out_proj.bias", names);
        Assert.Contains("decoder.norm.weight", names);
        var y = model.Forward(GradCheck.Random(4, 2, 5, 8), GradCheck.Random(5, 2, 3, 8), sourcePadding: Tensor.FromArray([0f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 0f, 0f], 2, 5));
        y.Square().Mean().Backward();
        Assert.All(model.NamedParameters(), p => Assert.True(p.Parameter.Grad!.Data.Any(g => g != 0f), p.Name));
    }

    [Fact]
    public void DropoutMakesTrainingStochasticButEvaluationDeterministic()
    {
        var layer = new TransformerEncoderLayer(new TransformerLayerOptions { ModelDim = 8, Heads = 2, Dropout = 0.3f }, new Generator(4));
        var x = GradCheck.Random(6, 2, 5, 8);
        Assert.NotEqual(layer.Forward(x).Data, layer.Forward(x).Data);
        layer.Eval();
        Assert.Equal(layer.Forward(x).Data, layer.Forward(x).Data);
    }
}
