using Promptor.Genomics.Models.Gpt;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Models.Gpt;

public class LengthBucketingTests
{
    private static int[] RandomLengths(int count, ulong seed)
    {
        var rng = new Generator(seed);
        return Enumerable.Range(0, count).Select(_ => 2 + rng.NextInt(120)).ToArray();
    }

    [Fact]
    public void EveryIndexAppearsExactlyOnceInBatchesOfTheRequestedSize()
    {
        var lengths = RandomLengths(1003, 1);
        var plan = LengthBucketing.PlanEpoch(lengths, batchSize: 32, poolBatches: 10, new Generator(7));

        Assert.Equal(Enumerable.Range(0, lengths.Length), plan.SelectMany(b => b).Order());
        Assert.All(plan, b => Assert.InRange(b.Length, 1, 32));
        // 1003 = 3 full pools of 320 (10 full batches each) + one of 43 (32 + 11): one short batch.
        Assert.Single(plan, b => b.Length < 32);
    }

    [Fact]
    public void BucketingCutsPaddingAgainstPlainShuffledBatches()
    {
        var lengths = RandomLengths(2000, 2);
        long plain = LengthBucketing.PaddingTokens(lengths, LengthBucketing.PlanEpoch(lengths, 64, 1, new Generator(3)));
        long bucketed = LengthBucketing.PaddingTokens(lengths, LengthBucketing.PlanEpoch(lengths, 64, 50, new Generator(3)));

        Assert.True(bucketed * 10 < plain, $"bucketed padding {bucketed} vs plain {plain}");
    }

    [Fact]
    public void PlansAreSeededAndDifferBetweenEpochs()
    {
        var lengths = RandomLengths(500, 4);
        var rngA = new Generator(11);
        var rngB = new Generator(11);
        var firstA = LengthBucketing.PlanEpoch(lengths, 16, 8, rngA);
        var firstB = LengthBucketing.PlanEpoch(lengths, 16, 8, rngB);
        var secondA = LengthBucketing.PlanEpoch(lengths, 16, 8, rngA);

        Assert.Equal(firstA.SelectMany(b => b), firstB.SelectMany(b => b));
        Assert.NotEqual(firstA.SelectMany(b => b), secondA.SelectMany(b => b));
    }

    [Fact]
    public void InvalidSizesAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LengthBucketing.PlanEpoch([3, 4], 0, 1, new Generator(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => LengthBucketing.PlanEpoch([3, 4], 2, 0, new Generator(1)));
    }
}
