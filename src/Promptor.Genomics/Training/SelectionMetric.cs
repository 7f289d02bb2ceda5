namespace Promptor.Genomics.Training;

/// <summary>The validation metric that chooses the best checkpoint and drives early stopping.</summary>
public enum SelectionMetric
{
    /// <summary>Mean over treatments of the validation Pearson r (higher is better; the default).</summary>
    MeanPearson,

    /// <summary>Mean over treatments of the validation Spearman ρ (higher is better).</summary>
    MeanSpearman,

    /// <summary>Validation loss (lower is better).</summary>
    Loss,

    /// <summary>Mean validation AUROC (classification; higher is better).</summary>
    MeanAuroc,

    /// <summary>Mean validation average precision (classification; higher is better).</summary>
    MeanAupr,
}
