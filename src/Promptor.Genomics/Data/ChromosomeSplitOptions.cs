namespace Promptor.Genomics.Data;

/// <summary>The chromosome split of <see cref="Splits.ByChromosome"/>; the defaults are those of DESIGN.md.</summary>
public sealed record ChromosomeSplitOptions
{
    /// <summary>Chromosomes (1..16) whose genes form the test set; default IV (systematic names <c>YD…</c>).</summary>
    public IReadOnlyList<int> TestChromosomes { get; init; } = [4];

    /// <summary>Chromosomes whose genes form the validation set; default XV (<c>YO…</c>).</summary>
    public IReadOnlyList<int> ValidationChromosomes { get; init; } = [15];

    /// <summary>Put genes without a systematic name in the training set instead of rejecting them; default false.</summary>
    public bool UnrecognisedToTrain { get; init; }
}
