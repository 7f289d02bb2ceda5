using Promptor.Tensors;

namespace Promptor.Nn.Attention;

/// <summary>
/// The output of an attention layer and, when requested, its weights: per head
/// <c>(B, H, Tq, Tk)</c> or averaged over heads <c>(B, Tq, Tk)</c>.
/// </summary>
public sealed record AttentionResult(Tensor Output, Tensor? Weights);
