namespace Promptor.Genomics.Chemistry;

/// <summary>Counts behind <see cref="MoleculeMetrics"/> and the fractions made from them.</summary>
/// <param name="Count">Generated strings.</param>
/// <param name="Valid">Valid strings.</param>
/// <param name="Unique">Distinct molecules among the valid strings.</param>
/// <param name="Novel">Distinct valid molecules absent from the training set.</param>
/// <param name="HasTraining">True when a training set was given (otherwise <paramref name="Novel"/> is 0).</param>
public sealed record MoleculeMetricsResult(int Count, int Valid, int Unique, int Novel, bool HasTraining)
{
    /// <summary>Valid / Count (0 when nothing was generated).</summary>
    public double ValidFraction => Count == 0 ? 0 : (double)Valid / Count;

    /// <summary>Unique / Valid (0 when nothing is valid).</summary>
    public double UniqueFraction => Valid == 0 ? 0 : (double)Unique / Valid;

    /// <summary>Novel / Unique (0 when nothing is valid or no training set was given).</summary>
    public double NovelFraction => Unique == 0 ? 0 : (double)Novel / Unique;
}
