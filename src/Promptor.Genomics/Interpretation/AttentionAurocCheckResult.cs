namespace Promptor.Genomics.Interpretation;

/// <summary>The outcome of <see cref="AttentionAurocCheck.Run"/>.</summary>
/// <param name="Auroc">Per-treatment attention AUROC on the test genes.</param>
/// <param name="TestMeanPearson">Mean test Pearson r of the predictions (is the model any good?).</param>
/// <param name="BestEpoch">The epoch whose weights were kept.</param>
/// <param name="TestGenes">Genes mapped and scored.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record AttentionAurocCheckResult(AttentionAurocResult Auroc, double TestMeanPearson, int BestEpoch, int TestGenes, TimeSpan Elapsed);
