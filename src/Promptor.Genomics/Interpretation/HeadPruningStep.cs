namespace Promptor.Genomics.Interpretation;

/// <summary>One point of a pruning curve.</summary>
/// <param name="Removed">Heads removed so far.</param>
/// <param name="Fraction">Removed over all heads.</param>
/// <param name="Metric">The evaluation metric with those heads gated off (mean Pearson r over treatments).</param>
/// <param name="Heads">The heads removed in this step (empty for the unpruned model), as (layer name, head).</param>
public sealed record HeadPruningStep(int Removed, double Fraction, double Metric, IReadOnlyList<(string Layer, int Head)> Heads);
