using System.Globalization;
using Promptor.Tensors;

namespace Promptor.Nn.Layers;

/// <summary>
/// Batch normalisation over <c>(B, C)</c> or <c>(B, C, L)</c>: batch statistics in training
/// (updating <c>running_mean</c>/<c>running_var</c> with <c>momentum</c>, unbiased variance),
/// running statistics in evaluation. Parameters <c>weight</c> (ones) and <c>bias</c> (zeros);
/// buffers <c>running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c> as in PyTorch.
/// </summary>
public sealed class BatchNorm1d : Module, IModule
{
    /// <summary>Creates the layer (PyTorch defaults: eps 1e-5, momentum 0.1).</summary>
    public BatchNorm1d(int features, float eps = 1e-5f, float momentum = 0.1f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        Features = features;
        Eps = eps;
        Momentum = momentum;
        Weight = RegisterParameter("weight", new Parameter(Tensor.Ones(features)));
        Bias = RegisterParameter("bias", new Parameter(new Shape(features)));
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros(features));
        RunningVar = RegisterBuffer("running_var", Tensor.Ones(features));
        BatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Scalar(0f));
    }

    /// <summary>Channels C.</summary>
    public int Features { get; }

    /// <summary>Added to the variance.</summary>
    public float Eps { get; }

    /// <summary>Weight of the newest batch in the running statistics.</summary>
    public float Momentum { get; }

    /// <summary>Scale <c>(C)</c>.</summary>
    public Parameter Weight { get; }

    /// <summary>Shift <c>(C)</c>.</summary>
    public Parameter Bias { get; }

    /// <summary>Running mean <c>(C)</c>.</summary>
    public Tensor RunningMean { get; }

    /// <summary>Running (unbiased) variance <c>(C)</c>.</summary>
    public Tensor RunningVar { get; }

    /// <summary>Number of training batches seen (a scalar, kept for checkpoint compatibility).</summary>
    public Tensor BatchesTracked { get; }

    /// <inheritdoc/>
    public Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank is not (2 or 3) || input.Shape[1] != Features)
        {
            throw new ArgumentException($"BatchNorm1d({Features}) needs input (B, {Features}) or (B, {Features}, L), got {input.Shape}.", nameof(input));
        }
        if (IsTraining)
        {
            BatchesTracked.Data[0] += 1f;
        }
        return input.BatchNorm(Weight, Bias, RunningMean, RunningVar, IsTraining, Momentum, Eps);
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture, $"{Features}, eps={Eps}, momentum={Momentum}");
}
