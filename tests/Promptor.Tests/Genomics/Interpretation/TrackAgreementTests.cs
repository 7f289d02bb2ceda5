using Promptor.Genomics.Interpretation;

namespace Promptor.Tests.Genomics.Interpretation;

public class TrackAgreementTests
{
    [Fact]
    public void SpearmanIsOneForAnyIncreasingTransformAndMinusOneReversed()
    {
        float[] attention = [0.1f, 0.5f, 0.2f, 0.9f, 0.05f];
        float[] ism = attention.Select(v => MathF.Exp(3 * v)).ToArray();
        Assert.Equal(1.0, TrackAgreement.Spearman(attention, ism), 12);
        Assert.Equal(-1.0, TrackAgreement.Spearman(attention, ism.Select(v => -v).ToArray()), 12);
    }

    [Fact]
    public void TiesGetTheirAverageRank()
    {
        // Ranks [1, 2.5, 2.5, 4] against [1, 2, 3, 4]: ρ = 4.5 / sqrt(4.5 · 5) = 0.9487.
        Assert.Equal(3 / Math.Sqrt(10), TrackAgreement.Spearman([1f, 2f, 2f, 3f], [10f, 20f, 30f, 40f]), 12);
    }

    [Fact]
    public void AConstantTrackHasNoCorrelation()
    {
        Assert.True(double.IsNaN(TrackAgreement.Spearman([1f, 1f, 1f], [1f, 2f, 3f])));
    }

    [Fact]
    public void TopOverlapCountsSharedTopPositions()
    {
        float[] a = [5f, 4f, 3f, 2f, 1f];
        float[] b = [5f, 0f, 3f, 4f, 1f];
        Assert.Equal(0.5, TrackAgreement.TopOverlap(a, b, 2));   // {0, 1} vs {0, 3}
        Assert.Equal(1.0, TrackAgreement.TopOverlap(a, b, 5));
    }

    [Fact]
    public void MismatchedOrNonFiniteTracksAreRejected()
    {
        Assert.Throws<ArgumentException>(() => TrackAgreement.Spearman([1f, 2f], [1f, 2f, 3f]));
        Assert.Throws<ArgumentException>(() => TrackAgreement.Spearman([1f, float.NaN], [1f, 2f]));
        Assert.Throws<ArgumentException>(() => TrackAgreement.Spearman([1f], [1f]));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrackAgreement.TopOverlap([1f, 2f], [1f, 2f], 3));
    }
}
