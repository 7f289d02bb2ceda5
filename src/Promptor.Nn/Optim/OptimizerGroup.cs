using Promptor.Tensors;

namespace Promptor.Nn.Optim;

/// <summary>
/// A parameter group as an optimizer holds it: the parameters, the resolved hyperparameters and
/// the current learning rate, which a schedule sets as <c>BaseLearningRate × multiplier</c>.
/// </summary>
public sealed class OptimizerGroup
{
    private double learningRate;
    private double weightDecay;

    internal OptimizerGroup(string name, IReadOnlyList<Tensor> parameters, int firstIndex,
        double learningRate, double weightDecay, OptimizerOptions options)
    {
        Name = name;
        Parameters = parameters;
        FirstIndex = firstIndex;
        BaseLearningRate = CheckRate(learningRate, "learning rate");
        LearningRate = learningRate;
        WeightDecay = weightDecay;
        Options = options;
    }

    /// <summary>The group's label (<see cref="ParamGroup.Name"/>, or its index).</summary>
    public string Name { get; }

    /// <summary>The parameters, in the order given.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Index of the first parameter in the optimizer's flat numbering (used in state names).</summary>
    internal int FirstIndex { get; }

    /// <summary>The learning rate the group was created with; schedules scale this.</summary>
    public double BaseLearningRate { get; }

    /// <summary>The learning rate of the next step (finite, ≥ 0).</summary>
    public double LearningRate
    {
        get => learningRate;
        set => learningRate = CheckRate(value, "learning rate");
    }

    /// <summary>Weight decay coefficient (finite, ≥ 0); its meaning depends on the optimizer.</summary>
    public double WeightDecay
    {
        get => weightDecay;
        set => weightDecay = CheckRate(value, "weight decay");
    }

    /// <summary>Optimizer-specific settings (the optimizer's options type).</summary>
    public OptimizerOptions Options { get; }

    private static double CheckRate(double value, string what) => value >= 0 && double.IsFinite(value)
        ? value
        : throw new ArgumentOutOfRangeException(nameof(value), value, $"The {what} must be finite and ≥ 0.");
}
