namespace Promptor.Genomics.Training;

/// <summary>Genes in the dataset and in each part of the split.</summary>
/// <param name="Total">All genes.</param>
/// <param name="Train">Training genes.</param>
/// <param name="Validation">Validation genes.</param>
/// <param name="Test">Test genes.</param>
public sealed record GeneCounts(int Total, int Train, int Validation, int Test);
