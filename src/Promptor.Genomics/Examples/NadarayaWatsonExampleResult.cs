namespace Promptor.Genomics.Examples;

/// <summary>
/// Data, fitted curves, weights and validation errors of one <see cref="NadarayaWatsonExample"/> run.
/// Curves are on <see cref="ValidationX"/>; errors are mean squared errors against the noise-free
/// function at the validation points.
/// </summary>
public sealed record NadarayaWatsonExampleResult
{
    /// <summary>Training inputs (n), sorted.</summary>
    public required double[] TrainingX { get; init; }

    /// <summary>Noisy training targets (n).</summary>
    public required double[] TrainingY { get; init; }

    /// <summary>Validation inputs 0, 0.1, …, 4.9 (50).</summary>
    public required double[] ValidationX { get; init; }

    /// <summary>The true function <c>2 sin(x) + x^0.8</c> at <see cref="ValidationX"/>.</summary>
    public required double[] ValidationTruth { get; init; }

    /// <summary>Average pooling: the mean training target, at every validation point.</summary>
    public required double[] AveragePrediction { get; init; }

    /// <summary>Non-parametric Nadaraya–Watson (w = 1).</summary>
    public required double[] NonParametricPrediction { get; init; }

    /// <summary>Nadaraya–Watson with the trained w.</summary>
    public required double[] ParametricPrediction { get; init; }

    /// <summary>Validation weights of the non-parametric model (validation × training).</summary>
    public required double[,] NonParametricWeights { get; init; }

    /// <summary>Validation weights of the parametric model (validation × training).</summary>
    public required double[,] ParametricWeights { get; init; }

    /// <summary>Initial w, drawn from U(0, 1) as PyTorch's <c>torch.rand</c> in d2l.</summary>
    public required double InitialW { get; init; }

    /// <summary>w after training.</summary>
    public required double LearnedW { get; init; }

    /// <summary>Leave-one-out training loss (sum of squared errors) before each epoch's step.</summary>
    public required double[] TrainingLoss { get; init; }

    /// <summary>Validation MSE of average pooling.</summary>
    public required double AverageMse { get; init; }

    /// <summary>Validation MSE of non-parametric Nadaraya–Watson.</summary>
    public required double NonParametricMse { get; init; }

    /// <summary>Validation MSE of parametric Nadaraya–Watson.</summary>
    public required double ParametricMse { get; init; }
}
