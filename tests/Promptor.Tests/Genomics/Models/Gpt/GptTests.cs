using Promptor.Genomics.Models.Gpt;
using Promptor.Nn.Positional;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;
using GptModel = Promptor.Genomics.Models.Gpt.Gpt;

namespace Promptor.Tests.Genomics.Models.Gpt;

public class GptTests
{
    internal static GptOptions Tiny(PositionalEncodingKind positions = PositionalEncodingKind.Learned, bool normFirst = true,
        LabelConditioning conditioning = LabelConditioning.None, bool tie = false) => new()
    {
        VocabSize = 7,
        ContextLength = 12,
        ModelDim = 16,
        Heads = 2,
        Blocks = 2,
        Dropout = 0f,
        Positions = positions,
        NormFirst = normFirst,
        TieWeights = tie,
        ClassCount = conditioning == LabelConditioning.None ? 0 : 3,
        Conditioning = conditioning,
        LabelContextTokens = 2,
    };

    internal static int[] RandomIds(int count, int vocab, ulong seed)
    {
        var g = new Generator(seed);
        return Enumerable.Range(0, count).Select(_ => g.NextInt(vocab)).ToArray();
    }

    /// <summary>Row-major (B, T) ids restricted to the first <paramref name="length"/> columns.</summary>
    internal static int[] Prefix(int[] ids, int batch, int width, int start, int length)
    {
        var result = new int[batch * length];
        for (int b = 0; b < batch; b++)
        {
            Array.Copy(ids, b * width + start, result, b * length, length);
        }
        return result;
    }

    private static void AssertClose(Tensor expected, Tensor actual, float tolerance, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        for (int i = 0; i < expected.Size; i++)
        {
            Assert.True(Math.Abs(expected.Data[i] - actual.Data[i]) <= tolerance,
                $"{what}: index {i}: expected {expected.Data[i]}, got {actual.Data[i]}");
        }
    }

    public static TheoryData<PositionalEncodingKind, bool, LabelConditioning, bool> Variants => new()
    {
        { PositionalEncodingKind.Learned, true, LabelConditioning.None, false },
        { PositionalEncodingKind.Sinusoidal, true, LabelConditioning.None, true },
        { PositionalEncodingKind.Relative, true, LabelConditioning.None, false },
        { PositionalEncodingKind.Learned, false, LabelConditioning.None, false },
        { PositionalEncodingKind.Relative, false, LabelConditioning.Prefix, false },
        { PositionalEncodingKind.Learned, true, LabelConditioning.CrossAttention, false },
        { PositionalEncodingKind.Sinusoidal, true, LabelConditioning.PrefixAndCrossAttention, true },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void IncrementalLogitsEqualTheFullForwardAtEveryStep(PositionalEncodingKind positions, bool normFirst, LabelConditioning conditioning, bool tie)
        => CheckIncrementalLogits(Tiny(positions, normFirst, conditioning, tie), conditioning);

    [Theory]
    [InlineData(64, 2, PositionalEncodingKind.Learned)]     // heads of 32: two vectors each
    [InlineData(64, 4, PositionalEncodingKind.Relative)]    // heads of 16: one vector each
    [InlineData(48, 1, PositionalEncodingKind.Sinusoidal)]  // one head of 48: three vectors
    public void IncrementalLogitsEqualTheFullForwardForHeadsOfWholeVectors(int modelDim, int heads, PositionalEncodingKind positions)
        => CheckIncrementalLogits(Tiny(positions) with { ModelDim = modelDim, Heads = heads }, LabelConditioning.None);

    private static void CheckIncrementalLogits(GptOptions options, LabelConditioning conditioning)
    {
        var model = new GptModel(options, new Generator(3));
        model.Eval();
        const int batch = 3, length = 12;
        var ids = RandomIds(batch * length, options.VocabSize, 4);
        int[]? labels = conditioning == LabelConditioning.None ? null : [0, 2, 3];
        var full = model.Forward(ids, batch, labels);                          // (B, T, V)
        var cache = model.CreateCache(batch, labels);
        // A prefill of 3 tokens, then one token per step, then a block of 2, then single steps.
        int[] steps = [3, 1, 1, 2, 1, 1, 1, 1, 1];
        int t = 0;
        foreach (int n in steps)
        {
            var logits = model.ForwardIncremental(Prefix(ids, batch, length, t, n), cache);
            Assert.Equal(new Shape(batch, n, options.VocabSize), logits.Shape);
            AssertClose(full.Slice(1, t, n), logits, 1e-5f, $"positions {t}..{t + n - 1}");
            t += n;
            Assert.Equal(t, cache.Length);
        }
        Assert.Equal(length, t);
        Assert.Throws<ArgumentException>(() => model.ForwardIncremental(new int[batch], cache));
    }

    [Fact]
    public void CacheHoldsKeysAtTheirPositionsWithoutCopyingThePast()
    {
        var options = Tiny();
        var model = new GptModel(options, new Generator(5));
        model.Eval();
        var ids = RandomIds(2 * 6, options.VocabSize, 6);
        var cache = model.CreateCache(2);
        model.ForwardIncremental(Prefix(ids, 2, 6, 0, 4), cache);
        var before = cache.CachedKeys(1);
        model.ForwardIncremental(Prefix(ids, 2, 6, 4, 2), cache);
        var after = cache.CachedKeys(1);
        Assert.Equal(new Shape(2, options.Heads, 6, options.HeadDim), after.Shape);
        for (int bh = 0; bh < 2 * options.Heads; bh++)
        {
            // The first 4 positions are untouched by later steps.
            Assert.Equal(before.Data.AsSpan(bh * 4 * options.HeadDim, 4 * options.HeadDim).ToArray(),
                after.Data.AsSpan(bh * 6 * options.HeadDim, 4 * options.HeadDim).ToArray());
        }
        cache.Reset();
        Assert.Equal(0, cache.Length);
    }

    [Theory]
    [InlineData(PositionalEncodingKind.Learned, true)]
    [InlineData(PositionalEncodingKind.Relative, false)]
    public void ChangingTokenTNeverChangesEarlierLogits(PositionalEncodingKind positions, bool normFirst)
    {
        var options = Tiny(positions, normFirst);
        var model = new GptModel(options, new Generator(7));
        model.Eval();
        const int length = 10;
        var ids = RandomIds(length, options.VocabSize, 8);
        var baseline = model.Forward(ids, 1);
        for (int t = 0; t < length; t++)
        {
            var changed = (int[])ids.Clone();
            changed[t] = (changed[t] + 1) % options.VocabSize;
            var logits = model.Forward(changed, 1);
            for (int s = 0; s < length; s++)
            {
                var a = baseline.Data.AsSpan(s * options.VocabSize, options.VocabSize).ToArray();
                var b = logits.Data.AsSpan(s * options.VocabSize, options.VocabSize).ToArray();
                if (s < t)
                {
                    Assert.Equal(a, b);
                }
                else if (s == t)
                {
                    Assert.NotEqual(a, b);
                }
            }
        }
    }

    [Fact]
    public void RowsOfABatchAreIndependent()
    {
        var options = Tiny(PositionalEncodingKind.Relative);
        var model = new GptModel(options, new Generator(9));
        model.Eval();
        var ids = RandomIds(3 * 8, options.VocabSize, 10);
        var batched = model.Forward(ids, 3);
        for (int b = 0; b < 3; b++)
        {
            var single = model.Forward(ids.AsSpan(b * 8, 8).ToArray(), 1);
            AssertClose(batched.Slice(0, b, 1), single, 1e-5f, $"row {b}");
        }
    }

    [Fact]
    public void AttentionWeightsAreCausalDistributions()
    {
        var model = new GptModel(Tiny(), new Generator(11));
        model.Eval();
        var (logits, attention) = model.ForwardWithAttention(RandomIds(2 * 5, 7, 12), 2);
        AssertClose(model.Forward(RandomIds(2 * 5, 7, 12), 2), logits, 1e-5f, "logits");
        Assert.Equal(2, attention.Count);
        var w = attention[1];
        Assert.Equal(new Shape(2, 2, 5, 5), w.Shape);
        for (int row = 0; row < 2 * 2 * 5; row++)
        {
            int i = row % 5;
            var r = w.Data.AsSpan(row * 5, 5);
            Assert.Equal(1f, r.ToArray().Sum(), 1e-5f);
            for (int j = i + 1; j < 5; j++)
            {
                Assert.Equal(0f, r[j]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryParameterGetsAGradient(PositionalEncodingKind positions, bool normFirst, LabelConditioning conditioning, bool tie)
    {
        var options = Tiny(positions, normFirst, conditioning, tie) with { Dropout = 0.1f, LabelDropout = 0.5f };
        var model = new GptModel(options, new Generator(13));
        int[]? labels = conditioning == LabelConditioning.None ? null : [0, 1, 2, 3];
        var ids = RandomIds(4 * 6, options.VocabSize, 14);
        var logits = model.Forward(ids, 4, labels);
        logits.Reshape(-1, options.VocabSize).CrossEntropy(RandomIds(4 * 6, options.VocabSize, 15)).Backward();
        Assert.All(model.NamedParameters(), p => Assert.True(p.Parameter.HasGrad && p.Parameter.Grad!.Data.Any(g => g != 0f), p.Name));
        if (tie)
        {
            Assert.Same(model.TokenEmbedding.Weight, model.StateDict()["head.weight"]);
            Assert.DoesNotContain(model.NamedParameters(), p => p.Name == "head.weight");
        }
    }

    [Fact]
    public void LabelsChangeTheLogitsAndAreChecked()
    {
        var options = Tiny(conditioning: LabelConditioning.PrefixAndCrossAttention);
        var model = new GptModel(options, new Generator(17));
        model.Eval();
        var ids = RandomIds(5, options.VocabSize, 18);
        var a = model.Forward(ids, 1, [0]);
        var b = model.Forward(ids, 1, [1]);
        var none = model.Forward(ids, 1);
        var nullLabel = model.Forward(ids, 1, [options.NullLabel]);
        Assert.NotEqual(a.Data, b.Data);
        Assert.Equal(none.Data, nullLabel.Data);
        Assert.Throws<ArgumentException>(() => model.Forward(ids, 1, [4]));
        var unconditional = new GptModel(Tiny(), new Generator(19));
        Assert.Throws<ArgumentException>(() => unconditional.Forward(ids, 1, [0]));
    }

    [Fact]
    public void LabelDropoutReplacesLabelsByTheNullLabelInTrainingOnly()
    {
        var options = Tiny(conditioning: LabelConditioning.PrefixAndCrossAttention);
        var ids = RandomIds(4 * 5, options.VocabSize, 20);
        int[] labels = [0, 1, 2, 1];
        var always = new GptModel(options with { LabelDropout = 1f }, new Generator(21));
        var dropped = always.Forward(ids, 4, labels);                          // training mode, dropout 0 elsewhere
        always.Eval();
        Assert.Equal(always.Forward(ids, 4).Data, dropped.Data);
        Assert.NotEqual(always.Forward(ids, 4, labels).Data, dropped.Data);      // no label dropout in evaluation

        var half = new GptModel(options with { LabelDropout = 0.5f }, new Generator(21));
        var many = Enumerable.Repeat(ids[..5], 200).SelectMany(r => r).ToArray();
        var trained = half.Forward(many, 200, Enumerable.Repeat(2, 200).ToArray());
        half.Eval();
        var nullRow = half.Forward(ids[..5], 1).Data;
        int nulls = Enumerable.Range(0, 200).Count(b => trained.Data.AsSpan(b * nullRow.Length, nullRow.Length).SequenceEqual(nullRow));
        Assert.InRange(nulls, 70, 130);
    }

    [Fact]
    public void OptionsRoundTripThroughJsonAndAreValidated()
    {
        var options = Tiny(PositionalEncodingKind.Relative, conditioning: LabelConditioning.CrossAttention) with { AttentionDropout = 0f };
        Assert.Equal(options, GptOptions.FromJson(options.ToJson()));
        Assert.Throws<ArgumentException>(() => new GptModel(options with { ClassCount = 0 }, new Generator(1)));
        Assert.Throws<ArgumentException>(() => new GptModel(options with { Heads = 3 }, new Generator(1)));
        Assert.Throws<ArgumentException>(() => new GptModel(Tiny(), new Generator(1)).Forward(new int[13], 1));
    }

    /// <summary>
    /// Both modes run the causal attention on the packed projection (heads read in place); without
    /// dropout training mode gives the same logits as eval mode and, through the fused kernel, the
    /// same gradients as the split-head composition checked elsewhere.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TrainingModeWithoutDropoutEqualsEvalMode(bool normFirst)
    {
        var model = new GptModel(Tiny(normFirst: normFirst), new Generator(4));
        var ids = RandomIds(3 * 12, 7, seed: 5);
        model.Eval();
        var eval = model.Forward(ids, 3);
        model.Train();
        var train = model.Forward(ids, 3);
        Assert.Equal(eval.Shape, train.Shape);
        for (int i = 0; i < eval.Size; i++)
        {
            Assert.Equal(eval.Data[i], train.Data[i], 4);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void InferenceWithoutGradientEqualsTheRecordedForward(bool normFirst)
    {
        // Without a gradient the MLP's bias, GELU and residual fold into the products and the heads
        // are read in place by the whole-row kernel; with recording the composed ops run.
        var model = new GptModel(Tiny(normFirst: normFirst), new Generator(6));
        var ids = RandomIds(3 * 12, 7, seed: 8);
        model.Eval();
        var recorded = model.Forward(ids, 3);
        Assert.True(recorded.RequiresGrad);
        Tensor folded;
        using (Tape.NoGrad())
        {
            folded = model.Forward(ids, 3);
        }
        Assert.False(folded.RequiresGrad);
        Assert.Equal(recorded.Shape, folded.Shape);
        for (int i = 0; i < recorded.Size; i++)
        {
            Assert.True(Math.Abs(recorded.Data[i] - folded.Data[i]) <= 1e-5f * (1 + Math.Abs(recorded.Data[i])), $"[{i}]: {recorded.Data[i]} vs {folded.Data[i]}");
        }
    }

    [Theory]
    [InlineData(true, PositionalEncodingKind.Learned)]
    [InlineData(true, PositionalEncodingKind.Relative)]
    [InlineData(false, PositionalEncodingKind.Learned)]
    public void RecycledInferenceTemporariesNeverTouchEarlierResults(bool normFirst, PositionalEncodingKind positions)
    {
        // Shapes above the tensor pool's minimum, so that no-grad forwards hand their temporaries
        // back and later forwards reuse them: an earlier result must stay as it was, and each result
        // must equal the recorded forward.
        var options = Tiny(positions, normFirst) with { VocabSize = 20, ContextLength = 64, ModelDim = 40 };
        var model = new GptModel(options, new Generator(9));
        model.Eval();
        const int batch = 16;
        var first = RandomIds(batch * 64, 20, seed: 10);
        var second = RandomIds(batch * 64, 20, seed: 11);
        Tensor a, b;
        using (Tape.NoGrad())
        {
            a = model.Forward(first, batch);
            var kept = a.ToArray();
            b = model.Forward(second, batch);
            Assert.Equal(kept, a.Data);
            model.Forward(first, batch);
            Assert.Equal(kept, a.Data);
        }
        Assert.True(Promptor.Tensors.TensorStoragePool.Shared.CountOf(batch * 64 * 40) > 0);   // (B, T, d) arrays came back
        foreach (var (ids, result) in new[] { (first, a), (second, b) })
        {
            var recorded = model.Forward(ids, batch);
            for (int i = 0; i < recorded.Size; i++)
            {
                Assert.True(Math.Abs(recorded.Data[i] - result.Data[i]) <= 1e-4f * (1 + Math.Abs(recorded.Data[i])), $"[{i}]: {recorded.Data[i]} vs {result.Data[i]}");
            }
        }
    }
}
