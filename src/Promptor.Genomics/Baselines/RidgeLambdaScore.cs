namespace Promptor.Genomics.Baselines;

/// <summary>One point of the λ (and output rank) search of <see cref="KmerRidge.Fit"/>.</summary>
/// <param name="Lambda">The ridge penalty.</param>
/// <param name="MeanValidationPearson">Validation Pearson r averaged over the treatments that have one (NaN without a validation set).</param>
/// <param name="ValidationPearson">Validation Pearson r per treatment (NaN where <see cref="Training.Metrics.Pearson"/> is undefined: fewer than three observed genes or no variance).</param>
/// <param name="Rank">The output rank (<see cref="KmerRidgeOptions.Ranks"/>); null = full rank, the plain ridge.</param>
public sealed record RidgeLambdaScore(double Lambda, double MeanValidationPearson, IReadOnlyList<double> ValidationPearson, int? Rank = null);
