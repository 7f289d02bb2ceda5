using Promptor.Tensors;

namespace Promptor.Nn.Attention;

/// <summary>
/// What an attention-pooling module (scores, Nadaraya–Watson, pools) returns: the pooled <see cref="Output"/> and the
/// <see cref="Weights"/> that produced it, from the same pass. Both stay in the autograd graph; the
/// shapes are documented by the module that returns them.
/// </summary>
/// <param name="Output">The weighted sum of the values.</param>
/// <param name="Weights">The post-softmax attention weights (they sum to 1 over the attended axis).</param>
public sealed record PooledAttention(Tensor Output, Tensor Weights);
