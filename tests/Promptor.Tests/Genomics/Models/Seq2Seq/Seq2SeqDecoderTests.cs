using Promptor.Genomics.Models.Seq2Seq;
using Promptor.Genomics.Tokenization;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Models.Seq2Seq;

public class Seq2SeqDecoderTests
{
    /// <summary>An untrained tiny model: its output distributions are far from one-hot, which makes search matter.</summary>
    private static Seq2SeqTransformer Tiny(int targetVocab = 7, int maxTarget = 6, ulong seed = 3)
    {
        var model = new Seq2SeqTransformer(new Seq2SeqOptions
        {
            SourceVocabSize = 7,
            TargetVocabSize = targetVocab,
            MaxSourceLength = 12,
            MaxTargetLength = maxTarget,
            ModelDim = 8,
            Heads = 2,
            EncoderLayers = 1,
            DecoderLayers = 1,
            Dropout = 0,
        }, new Generator(seed));
        // Larger output weights sharpen the distributions so different hypotheses have clearly different scores.
        using (Promptor.Tensors.Autograd.Tape.NoGrad())
        {
            for (int i = 0; i < model.Head.Weight.Size; i++)
            {
                model.Head.Weight.Data[i] *= 6;
            }
        }
        return model;
    }

    private static int[] Source(int seed, int length)
    {
        var g = new Generator((ulong)seed);
        return Enumerable.Range(0, length).Select(_ => 3 + (int)(g.NextDouble() * 4)).ToArray();
    }

    [Fact]
    public void BeamOfOneIsGreedy()
    {
        var model = Tiny();
        for (int s = 0; s < 8; s++)
        {
            var source = Source(s, 4 + s % 5);
            var greedy = Seq2SeqDecoder.Greedy(model, source);
            var beam = Seq2SeqDecoder.BeamSearch(model, source, beamWidth: 1)[0];
            Assert.Equal(greedy.Tokens, beam.Tokens);
            Assert.Equal(greedy.LogProbability, beam.LogProbability, 9);
        }
    }

    [Fact]
    public void GreedyLogProbabilityIsTheTeacherForcedOne()
    {
        var model = Tiny();
        var source = Source(1, 6);
        var greedy = Seq2SeqDecoder.Greedy(model, source);
        Assert.DoesNotContain(SpecialTokens.PadId, greedy.Tokens);
        Assert.DoesNotContain(SpecialTokens.BeginId, greedy.Tokens);
        Assert.Equal(Seq2SeqDecoder.LogProbability(model, source, greedy.Tokens), greedy.LogProbability, 4);
    }

    [Fact]
    public void BatchedGreedyEqualsOneByOne()
    {
        var model = Tiny();
        var sources = Enumerable.Range(0, 5).Select(s => Source(s + 10, 3 + 2 * s)).ToArray();   // different lengths: padded batch
        var batched = Seq2SeqDecoder.GreedyBatch(model, sources);
        for (int i = 0; i < sources.Length; i++)
        {
            var single = Seq2SeqDecoder.Greedy(model, sources[i]);
            Assert.Equal(single.Tokens, batched[i].Tokens);
            Assert.Equal(single.LogProbability, batched[i].LogProbability, 4);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void BeamNeverScoresBelowGreedy(double lengthPenalty)
    {
        var model = Tiny();
        int better = 0;
        for (int s = 0; s < 12; s++)
        {
            var source = Source(s + 100, 5);
            double greedy = Seq2SeqDecoder.Greedy(model, source).Score(lengthPenalty);
            double beam = Seq2SeqDecoder.BeamSearch(model, source, beamWidth: 4, lengthPenalty)[0].Score(lengthPenalty);
            Assert.True(beam >= greedy - 1e-9, $"source {s}: beam {beam} < greedy {greedy}");
            better += beam > greedy + 1e-9 ? 1 : 0;
        }
        Assert.True(better > 0, "the search never found anything better than greedy: the test model is too easy");
    }

    [Fact]
    public void WideBeamFindsTheExhaustiveOptimum()
    {
        // Allowed tokens: <eos> and two symbols; at most 3 output tokens. Width 16 never prunes
        // (at most 4 live prefixes × 3 extensions per step), so the search is exhaustive.
        var model = Tiny(targetVocab: 5, maxTarget: 3);
        var source = Source(7, 4);
        var all = new List<int[]> { new[] { 2 } };
        foreach (int a in new[] { 3, 4 })
        {
            all.Add([a, 2]);
            foreach (int b in new[] { 3, 4 })
            {
                all.Add([a, b, 2]);
                all.AddRange(new[] { 3, 4 }.Select(c => new[] { a, b, c }));   // unterminated at the limit
            }
        }
        foreach (double alpha in new[] { 0.0, 1.0 })
        {
            var best = all.MaxBy(o => Seq2SeqDecoder.Normalise(Seq2SeqDecoder.LogProbability(model, source, o), o.Length, alpha))!;
            var found = Seq2SeqDecoder.BeamSearch(model, source, beamWidth: 16, alpha);
            Assert.Equal(best, found[0].Tokens);
            Assert.Equal(all.Count, found.Count);
        }
    }
}
