using Promptor.Genomics.Generative;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Generative;

public class KmerMarkovModelTests
{
    [Fact]
    public void OrderZeroIsSmoothedBaseFrequency()
    {
        var chain = KmerMarkovModel.Fit(["AAAC"], order: 0, pseudocount: 1);
        // counts A 3, C 1, G 0, T 0 → (3+1)/(4+4), (1+1)/8, 1/8, 1/8
        Assert.Equal(0.5, chain.Probability(0, 0, 0), 12);
        Assert.Equal(0.25, chain.Probability(0, 0, 1), 12);
        Assert.Equal(0.125, chain.Probability(0, 0, 3), 12);
        Assert.Equal(-(3 * Math.Log2(0.5) + Math.Log2(0.25)) / 4, chain.BitsPerBase(["AAAC"]), 12);
    }

    [Fact]
    public void UniformChainCostsTwoBitsPerBase()
    {
        var chain = KmerMarkovModel.Fit(["ACGT"], order: 0, pseudocount: 1e9);
        Assert.Equal(2.0, chain.BitsPerBase(["GATTACA", "CCGG"]), 6);
    }

    [Fact]
    public void HigherOrderLearnsAnAlternation()
    {
        string train = string.Concat(Enumerable.Repeat("AC", 200));
        var order0 = KmerMarkovModel.Fit([train], 0, pseudocount: 0.01);
        var order1 = KmerMarkovModel.Fit([train], 1, pseudocount: 0.01);
        Assert.Equal(1.0, order0.BitsPerBase(["ACACACACAC"]), 2);      // A and C equally likely
        Assert.True(order1.BitsPerBase(["ACACACACAC"]) < 0.25);       // only the first base is uncertain
        // The first base is scored by the order-0 table: 1 bit, then near-certain steps.
        Assert.Equal(1.0, order1.Score("A").Bits, 2);
    }

    [Fact]
    public void OtherLettersAreSkippedAndBreakTheContext()
    {
        var chain = KmerMarkovModel.Fit(["ACNAC"], order: 1);
        Assert.Equal(4, chain.Score("ACNAC").Bases);
        var counted = KmerMarkovModel.Fit(["ACAC"], order: 1);
        Assert.Equal(counted.Probability(1, 0, 1), chain.Probability(1, 0, 1), 12);   // A→C seen twice either way
    }

    [Fact]
    public void SamplingIsSeededAndFollowsTheChain()
    {
        var chain = KmerMarkovModel.Fit([string.Concat(Enumerable.Repeat("AC", 200))], 1, pseudocount: 1e-6);
        string a = chain.Sample(50, new Generator(3));
        Assert.Equal(a, chain.Sample(50, new Generator(3)));
        Assert.Matches("^(AC)+A?$|^(CA)+C?$", a);
    }
}
