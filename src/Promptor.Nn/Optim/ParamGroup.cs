using Promptor.Tensors;

namespace Promptor.Nn.Optim;

/// <summary>
/// A set of parameters with its own hyperparameters, given to an optimizer's constructor.
/// Unset values (null) take the optimizer's defaults. See <see cref="ParameterGroups.WithWeightDecay(Module, double)"/>
/// for the usual decay / no-decay split.
/// </summary>
/// <param name="Parameters">The tensors to optimise (leaves; each in one group only).</param>
public sealed record ParamGroup(IReadOnlyList<Tensor> Parameters)
{
    /// <summary>A label for logs and state names (default: the group's index).</summary>
    public string? Name { get; init; }

    /// <summary>Base learning rate of this group, or null for the optimizer's.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Weight decay of this group, or null for the optimizer's.</summary>
    public double? WeightDecay { get; init; }

    /// <summary>Optimizer-specific settings of this group (must be the optimizer's options type), or null for the optimizer's.</summary>
    public OptimizerOptions? Options { get; init; }
}
