namespace Promptor.Genomics.Baselines;

/// <summary>The outcome of <see cref="KmerRidgeBaseline.RunYeast(string, KmerRidgeOptions?)"/>.</summary>
/// <param name="Treatments">The T treatment names.</param>
/// <param name="TestPearson">Test Pearson r per treatment (same order).</param>
/// <param name="MeanTestPearson">The task's metric: test Pearson r averaged over treatments.</param>
/// <param name="Lambda">The λ chosen on the validation genes.</param>
/// <param name="MeanValidationPearson">Validation Pearson r of that λ, averaged over treatments.</param>
/// <param name="FeatureCount">Number of k-mer features.</param>
/// <param name="TrainCount">Training genes.</param>
/// <param name="ValidationCount">Validation genes.</param>
/// <param name="TestCount">Test genes.</param>
/// <param name="FitTime">Wall time of counting, the λ search and the final fit (loading excluded).</param>
/// <param name="Model">The fitted model.</param>
/// <param name="TestMetrics">Test Pearson, Spearman and R² per treatment (<see cref="Training.Metrics.PerTreatment(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, IReadOnlyList{string})"/>), the same numbers as <paramref name="TestPearson"/>.</param>
public sealed record KmerRidgeBaselineResult(
    IReadOnlyList<string> Treatments,
    IReadOnlyList<double> TestPearson,
    double MeanTestPearson,
    double Lambda,
    double MeanValidationPearson,
    int FeatureCount,
    int TrainCount,
    int ValidationCount,
    int TestCount,
    TimeSpan FitTime,
    KmerRidge Model,
    Training.TreatmentMetrics TestMetrics);
