using Promptor.Genomics.Models.Gpt;
using Promptor.Nn.Positional;
using Promptor.Tensors;
using GptModel = Promptor.Genomics.Models.Gpt.Gpt;

namespace Promptor.Tests.Genomics.Models.Gpt;

public class GptSamplerTests
{
    private static float[] Logits(int v, ulong seed)
    {
        var g = new Generator(seed);
        return Enumerable.Range(0, v).Select(_ => 3f * (float)g.NextNormal()).ToArray();
    }

    [Fact]
    public void TopKKeepsExactlyTheKMostLikelyTokens()
    {
        var logits = Logits(20, 1);
        var p = GptSampler.Distribution(logits, 1.3f, topK: 5);
        var expected = Enumerable.Range(0, 20).OrderByDescending(i => logits[i]).Take(5).Order().ToArray();
        Assert.Equal(expected, Enumerable.Range(0, 20).Where(i => p[i] > 0).ToArray());
        Assert.Equal(1.0, p.Sum(x => (double)x), 1e-6);
        // Within the kept set the ratios are those of the tempered softmax.
        Assert.Equal(Math.Exp((logits[expected[0]] - logits[expected[1]]) / 1.3), p[expected[0]] / p[expected[1]], 1e-4);
    }

    [Fact]
    public void TopPKeepsTheSmallestNucleus()
    {
        var logits = Logits(30, 2);
        var full = GptSampler.Distribution(logits);
        var order = Enumerable.Range(0, 30).OrderByDescending(i => full[i]).ToArray();
        foreach (float topP in new[] { 0.1f, 0.5f, 0.9f, 0.99f })
        {
            var p = GptSampler.Distribution(logits, topP: topP);
            int kept = p.Count(x => x > 0);
            var keptSet = order.Take(kept).ToArray();
            Assert.All(keptSet, i => Assert.True(p[i] > 0));                       // the most likely tokens
            double mass = keptSet.Sum(i => (double)full[i]);
            double withoutLast = mass - full[keptSet[^1]];
            Assert.True(mass >= topP - 1e-6, $"top-p {topP}: nucleus mass {mass}");
            Assert.True(withoutLast < topP, $"top-p {topP}: a smaller set ({withoutLast}) already reaches p");
            Assert.Equal(1.0, p.Sum(x => (double)x), 1e-6);
            Assert.Equal(full[keptSet[0]] / mass, p[keptSet[0]], 1e-5);
        }
        Assert.Equal(1, GptSampler.Distribution(logits, topP: 1e-6f).Count(x => x > 0));
    }

    [Fact]
    public void TemperatureTowardsZeroIsArgmax()
    {
        var logits = Logits(15, 3);
        int argmax = Array.IndexOf(logits, logits.Max());
        var greedy = GptSampler.Distribution(logits, 0f);
        Assert.Equal(1f, greedy[argmax]);
        Assert.Equal(1f, greedy.Sum());
        var cold = GptSampler.Distribution(logits, 1e-3f);
        Assert.True(cold[argmax] > 0.999f);
        var g = new Generator(4);
        var cool = new SamplingOptions { Temperature = 1e-3f };
        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal(argmax, GptSampler.SampleToken(logits, cool, g)));
    }

    [Fact]
    public void GreedyGenerationFollowsTheArgmaxOfTheFullForward()
    {
        var options = GptTests.Tiny();
        var model = new GptModel(options, new Generator(5));
        var sampler = new GptSampler(model, new SamplingOptions { Temperature = 0f, MaxNewTokens = 6 });
        var sequences = sampler.Generate([[1], [2, 3]], new Generator(6));
        Assert.True(model.IsTraining);                                             // mode restored
        model.Eval();
        foreach (var s in sequences)
        {
            Assert.Equal(6, s.Length - (s[0] == 1 ? 1 : 2));
            for (int t = s[0] == 1 ? 1 : 2; t < s.Length; t++)
            {
                var logits = model.Forward(s[..t], 1);
                var last = logits.Data.AsSpan((t - 1) * options.VocabSize, options.VocabSize).ToArray();
                Assert.Equal(Array.IndexOf(last, last.Max()), s[t]);
            }
        }
    }

    [Theory]
    [InlineData(PositionalEncodingKind.Learned)]
    [InlineData(PositionalEncodingKind.Relative)]
    public void SeededSamplingReproducesWithAndWithoutTheCache(PositionalEncodingKind positions)
    {
        var options = GptTests.Tiny(positions);
        var model = new GptModel(options, new Generator(7));
        int[][] prompts = [[0], [1, 2, 3], [4, 5]];
        var sampling = new SamplingOptions { MaxNewTokens = 15, TopK = 5, TopP = 0.95f, Temperature = 1.5f };  // 17 > context 12: crops
        var a = new GptSampler(model, sampling).Generate(prompts, new Generator(8));
        var b = new GptSampler(model, sampling).Generate(prompts, new Generator(8));
        var uncached = new GptSampler(model, sampling with { UseKvCache = false }).Generate(prompts, new Generator(8));
        var other = new GptSampler(model, sampling).Generate(prompts, new Generator(9));
        Assert.Equal(a, b);
        Assert.Equal(a, uncached);
        Assert.NotEqual(a, other);
        for (int i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(prompts[i], a[i][..prompts[i].Length]);
            Assert.Equal(prompts[i].Length + 15, a[i].Length);
            Assert.All(a[i], t => Assert.InRange(t, 0, options.VocabSize - 1));
        }
    }

    [Fact]
    public void SequencesStopAtTheEndToken()
    {
        var model = new GptModel(GptTests.Tiny(), new Generator(10));
        var sampler = new GptSampler(model, new SamplingOptions { MaxNewTokens = 40, EndToken = 6, Temperature = 2f });
        var sequences = sampler.Generate(Enumerable.Repeat(new[] { 0 }, 8).ToList(), new Generator(11));
        Assert.Contains(sequences, s => s.Length < 41);
        foreach (var s in sequences)
        {
            int end = Array.IndexOf(s, 6, 1);
            Assert.True(end < 0 ? s.Length == 41 : end == s.Length - 1, string.Join(",", s));
        }
    }

    [Fact]
    public void GuidanceWeightZeroIsUnconditionalAndOneIsConditional()
    {
        var options = GptTests.Tiny(conditioning: LabelConditioning.PrefixAndCrossAttention);
        var model = new GptModel(options, new Generator(12));
        model.Eval();
        var ids = GptTests.RandomIds(3 * 6, options.VocabSize, 13);
        int[] labels = [0, 1, 2];
        var conditional = model.Forward(ids, 3, labels);
        var unconditional = model.Forward(ids, 3);
        var w0 = GptSampler.GuidedLogits(model, ids, 3, labels, 0f);
        var w1 = GptSampler.GuidedLogits(model, ids, 3, labels, 1f);
        var w3 = GptSampler.GuidedLogits(model, ids, 3, labels, 3f);
        for (int i = 0; i < conditional.Size; i++)
        {
            Assert.Equal(unconditional.Data[i], w0.Data[i], 1e-5f);
            Assert.Equal(conditional.Data[i], w1.Data[i], 1e-5f);
            Assert.Equal(unconditional.Data[i] + 3 * (conditional.Data[i] - unconditional.Data[i]), w3.Data[i], 1e-4f);
        }
        Assert.NotEqual(conditional.Data, unconditional.Data);
    }

    [Fact]
    public void GuidedSamplingReproducesWithAndWithoutTheCache()
    {
        var options = GptTests.Tiny(conditioning: LabelConditioning.Prefix);
        var model = new GptModel(options, new Generator(14));
        var sampling = new SamplingOptions { MaxNewTokens = 8, GuidanceScale = 2f };
        int[][] prompts = [[0], [0]];
        var cached = new GptSampler(model, sampling).Generate(prompts, new Generator(15), [0, 2]);
        var uncached = new GptSampler(model, sampling with { UseKvCache = false }).Generate(prompts, new Generator(15), [0, 2]);
        Assert.Equal(cached, uncached);
        Assert.Throws<ArgumentException>(() => new GptSampler(model, sampling).Generate(prompts, new Generator(15)));
    }

    [Fact]
    public void SuppressedTokensAreNeverSampledEvenWhenGreedyOrGuidedWouldPickThem()
    {
        var options = GptTests.Tiny(conditioning: LabelConditioning.Prefix);
        var model = new GptModel(options, new Generator(16));
        int[][] prompts = [[0], [1], [2]];
        var greedy = new SamplingOptions { Temperature = 0f, MaxNewTokens = 10 };
        var unrestricted = new GptSampler(model, greedy).Generate(prompts, new Generator(17));
        // The tokens greedy decoding used become forbidden: every one of them must disappear, and
        // each step takes the best token that is still allowed.
        int[] forbidden = unrestricted.SelectMany(s => s.Skip(1)).Distinct().ToArray();
        Assert.NotEmpty(forbidden);
        var restricted = new GptSampler(model, greedy with { SuppressedTokens = forbidden }).Generate(prompts, new Generator(17));
        model.Eval();
        foreach (var s in restricted)
        {
            Assert.DoesNotContain(s.Skip(1), t => forbidden.Contains(t));
            for (int t = 1; t < s.Length; t++)
            {
                var logits = model.Forward(s[..t], 1).Data.AsSpan((t - 1) * options.VocabSize, options.VocabSize).ToArray();
                int best = Enumerable.Range(0, options.VocabSize).Where(i => !forbidden.Contains(i)).MaxBy(i => logits[i]);
                Assert.Equal(best, s[t]);
            }
        }

        // Guided sampling at a large weight, hot temperature: still never a suppressed token.
        var guided = new SamplingOptions { MaxNewTokens = 10, GuidanceScale = 6f, Temperature = 2f, SuppressedTokens = [3, 4] };
        var samples = new GptSampler(model, guided).Generate(Enumerable.Repeat(new[] { 0 }, 12).ToList(), new Generator(18), Enumerable.Repeat(1, 12).ToArray());
        Assert.All(samples, s => Assert.DoesNotContain(s.Skip(1), t => t is 3 or 4));
    }

    [Fact]
    public void SuppressedTokensAreValidated()
    {
        var model = new GptModel(GptTests.Tiny(), new Generator(19));
        int v = model.Options.VocabSize;
        Assert.Throws<ArgumentException>(() => new GptSampler(model, new SamplingOptions { SuppressedTokens = [v] }));
        Assert.Throws<ArgumentException>(() => new GptSampler(model, new SamplingOptions { SuppressedTokens = Enumerable.Range(0, v).ToArray() }));
        Assert.Throws<ArgumentException>(() => new GptSampler(model, new SamplingOptions { EndToken = 2, SuppressedTokens = [1, 2] }));
    }
}
