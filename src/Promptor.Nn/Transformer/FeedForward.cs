using Promptor.Nn.Layers;
using Promptor.Tensors;

namespace Promptor.Nn.Transformer;

/// <summary>
/// The position-wise feed-forward sublayer <c>linear2(dropout(act(linear1(x))))</c> shared by
/// encoder and decoder layers. It registers its modules on the owning layer so parameter names
/// stay PyTorch's (<c>linear1.*</c>, <c>linear2.*</c>).
/// </summary>
internal sealed class FeedForward(Linear linear1, Dropout dropout, Linear linear2, FeedForwardActivation activation)
{
    public Tensor Forward(Tensor x)
    {
        var h = linear1.Forward(x);
        h = activation == FeedForwardActivation.Gelu ? dropout.Forward(h.Gelu()) : dropout.ForwardRelu(h);
        return linear2.Forward(h);
    }

    /// <summary>
    /// <c>residual + linear2(act(linear1(x)))</c> without gradient or dropout, with bias, activation and
    /// residual folded into the two products (<see cref="Ops.LinearInference"/>).
    /// </summary>
    public Tensor ForwardInference(Tensor x, Tensor residual)
    {
        var h = Ops.LinearInference(x, linear1.Weight, linear1.Bias,
            activation: activation == FeedForwardActivation.Relu ? LinearActivation.Relu : LinearActivation.Gelu);
        var output = Ops.LinearInference(h, linear2.Weight, linear2.Bias, residual);
        Ops.Recycle(h);                                                                 // a local temporary
        return output;
    }
}
