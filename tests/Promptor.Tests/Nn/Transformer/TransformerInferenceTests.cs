using Promptor.Nn.Transformer;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;
using Promptor.Tests.Tensors;

namespace Promptor.Tests.Nn.Transformer;

/// <summary>The no-grad encoder layer (fused kernels) against the recorded path, which the PyTorch golden tests pin.</summary>
public class TransformerInferenceTests
{
    [Theory]
    [InlineData(false, FeedForwardActivation.Relu, false)]
    [InlineData(true, FeedForwardActivation.Relu, false)]
    [InlineData(false, FeedForwardActivation.Gelu, true)]
    [InlineData(true, FeedForwardActivation.Gelu, true)]
    public void NoGradEncoderLayerEqualsTheRecordedLayer(bool normFirst, FeedForwardActivation activation, bool gates)
    {
        var options = new TransformerLayerOptions { ModelDim = 32, Heads = 4, FeedForwardDim = 48, Dropout = 0.1f, NormFirst = normFirst, Activation = activation };
        var layer = new TransformerEncoderLayer(options, new Generator(3));
        layer.Eval();
        if (gates)
        {
            layer.SelfAttention.HeadGates.Data[1] = 0f;
            layer.SelfAttention.HeadGates.Data[2] = 0.5f;
        }
        var x = GradCheck.Random(4, 3, 11, 32);
        var recorded = layer.Forward(new Tensor(x.Shape, x.Data, requiresGrad: true));
        Assert.True(recorded.RequiresGrad);
        Tensor inference;
        using (Tape.NoGrad())
        {
            inference = layer.Forward(x);
        }
        Assert.False(inference.RequiresGrad);
        for (int i = 0; i < x.Size; i++)
        {
            Assert.True(Math.Abs(recorded.Data[i] - inference.Data[i]) <= 2e-5 * (1 + Math.Abs(recorded.Data[i])),
                $"[{i}]: recorded {recorded.Data[i]}, inference {inference.Data[i]}");
        }
    }

    [Fact]
    public void TrainingModeKeepsDropoutUnderNoGrad()
    {
        var layer = new TransformerEncoderLayer(new TransformerLayerOptions { ModelDim = 16, Heads = 2, FeedForwardDim = 32, Dropout = 0.5f }, new Generator(5));
        var x = GradCheck.Random(6, 2, 9, 16);
        using (Tape.NoGrad())
        {
            layer.Eval();
            var a = layer.Forward(x);
            Assert.Equal(a.Data, layer.Forward(x).Data);
            layer.Train();
            Assert.NotEqual(a.Data, layer.Forward(x).Data);
        }
    }
}
