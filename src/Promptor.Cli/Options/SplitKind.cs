namespace Promptor.Cli.Options;

/// <summary>How <see cref="DataFlags"/> splits genes into train, validation and test.</summary>
public enum SplitKind
{
    /// <summary>By chromosome, from yeast systematic names (the default of DESIGN.md: test IV, validation XV).</summary>
    Chromosome,

    /// <summary>At random with a seed.</summary>
    Random,

    /// <summary>From a split column (train / validation / test) in the expression table or a split file.</summary>
    Column,
}
