using Promptor.Tensors;

namespace Promptor.Nn.Optim;

/// <summary>
/// A snapshot of an optimizer for checkpoints (<see cref="Optimizer.GetState"/> /
/// <see cref="Optimizer.LoadState"/>). Parameters are numbered across groups in order, as in
/// PyTorch. Tensors: <c>"state.{i}.{buffer}"</c> (e.g. <c>state.3.exp_avg</c>), each the shape of
/// parameter i. Scalars: <c>"state.{i}.step"</c>, <c>"group.{g}.lr"</c>,
/// <c>"group.{g}.weight_decay"</c> and <c>"step_count"</c>.
/// </summary>
/// <param name="Tensors">Per-parameter buffers by name (copies, owned by the snapshot).</param>
/// <param name="Scalars">Step counts and group hyperparameters by name.</param>
public sealed record OptimizerState(Dictionary<string, Tensor> Tensors, Dictionary<string, double> Scalars);
