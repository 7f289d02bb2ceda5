namespace Promptor.Genomics.Training;

/// <summary>What the model is trained to predict.</summary>
public enum TaskKind
{
    /// <summary>The continuous response per treatment, with masked mean squared error (the default).</summary>
    Regression,

    /// <summary>Down / unchanged / up per treatment, from thresholds on the response, with cross-entropy.</summary>
    Classification,
}
