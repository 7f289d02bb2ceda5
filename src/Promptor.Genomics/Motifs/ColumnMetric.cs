namespace Promptor.Genomics.Motifs;

/// <summary>How two motif columns (probability vectors over A, C, G, T) are scored against each other.</summary>
public enum ColumnMetric
{
    /// <summary>Pearson correlation of the two columns' four probabilities, in [-1, 1]; 0 when either column is uniform.</summary>
    Pearson,

    /// <summary>Negative Euclidean distance <c>-‖p − q‖₂</c>, in [-√2, 0].</summary>
    Euclidean,

    /// <summary>Sandelin–Wasserman similarity <c>2 − Σ_b (p_b − q_b)²</c>, in [0, 2].</summary>
    SandelinWasserman,
}
