using Promptor.Genomics.Interpretation;
using Promptor.Genomics.Models;
using Promptor.Nn.Positional;
using Promptor.Nn.Transformer;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Tests.Genomics.Interpretation;

/// <summary>
/// The ISM engine computes only what a mutation changes (convolution outputs, the first block's
/// Q/K/V rows) on reused buffers. Whatever the model's layout, its deltas must equal the recorded
/// (gradient) forward of each mutant and the naive one-mutant-per-pass loop.
/// </summary>
public class IsmEngineTests
{
    /// <summary>Model variants the engine takes: norm placement, projection, convolution bias, positions, gates.</summary>
    public static TheoryData<string> Variants => new() { "post-ln", "pre-ln", "projection", "conv-bias", "learned-positions", "gates", "no-blocks" };

    private static CondPromoter Model(string variant, ulong seed)
    {
        var options = AttributionFixture.TinyOptions(50, 2);
        options = variant switch
        {
            "pre-ln" => options with { NormFirst = true },
            "projection" => options with { Convolutions = [new(6, 5, 2, 2), new(5, 4, 1, 3)] },
            "conv-bias" => options with { BatchNorm = false },
            "learned-positions" => options with { Positions = PositionalEncodingKind.Learned },
            "no-blocks" => options with { SelfAttentionBlocks = 0 },
            _ => options,
        };
        var model = AttributionFixture.TinyModel(seed, options);
        if (variant == "no-blocks")
        {
            // Without blocks a random model's changes are small; larger filters make them visible.
            foreach (var (name, parameter) in model.NamedParameters().Where(p => p.Name.StartsWith("conv", StringComparison.Ordinal)))
            {
                for (int i = 0; i < parameter.Size; i++)
                {
                    parameter.Data[i] *= 4f;
                }
            }
        }
        if (variant == "gates")
        {
            var g = new Generator(seed + 7);
            foreach (var attention in model.Encoder!.Layers.Items.Select(l => l.SelfAttention).Append(model.CrossAttention!))
            {
                for (int h = 0; h < attention.HeadGates.Size; h++)
                {
                    attention.HeadGates.Data[h] = 0.25f + g.NextSingle();
                }
            }
        }
        return model;
    }

    /// <summary>The recorded forward (gradient recording on, the differentiable ops) of one sequence <c>(L, 4)</c>.</summary>
    private static float[] Recorded(CondPromoter model, float[] sequence, int length)
    {
        Assert.True(Tape.IsGradEnabled);
        var y = model.Forward(new Tensor(new Shape(1, length, 4), (float[])sequence.Clone()));
        return y.Data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void EngineDeltasEqualTheRecordedForwardOfEachMutant(string variant)
    {
        var model = Model(variant, 21);
        Assert.NotNull(IsmEngine.TryCreate(model));
        int length = model.Options.SequenceLength;
        var x = AttributionFixture.RandomSequence(length, 22);
        var ism = InSilicoMutagenesis.Run(model, x, batchSize: 9);
        var reference = Recorded(model, x.Data, length);
        for (int t = 0; t < reference.Length; t++)
        {
            Assert.Equal(reference[t], ism.Reference[t], 1e-5f);
        }
        // The ends (pooled-away tail included), the middle, and a position next to a pool border.
        foreach (int position in new[] { 0, 1, 11, 24, 25, 47, 49 })
        {
            for (int basis = 0; basis < 4; basis++)
            {
                if (basis == ism.ReferenceBases[position])
                {
                    continue;
                }
                var mutant = (float[])x.Data.Clone();
                mutant.AsSpan(position * 4, 4).Clear();
                mutant[position * 4 + basis] = 1f;
                var y = Recorded(model, mutant, length);
                for (int t = 0; t < reference.Length; t++)
                {
                    Assert.True(Math.Abs(y[t] - reference[t] - ism.Delta(t, position, basis)) <= 2e-5f,
                        $"{variant}: treatment {t}, position {position}, base {basis}: recorded {y[t] - reference[t]}, engine {ism.Delta(t, position, basis)}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void EngineEqualsTheNaiveLoopForEveryBatchSizeAndBatchesInFlight(string variant)
    {
        var model = Model(variant, 31);
        var x = AttributionFixture.RandomSequence(model.Options.SequenceLength, 32);
        var naive = InSilicoMutagenesis.Reference(model.Forward, x);
        foreach (var (batch, inFlight) in new[] { (1, 1), (13, 1), (500, 1), (8, 2) })
        {
            var fast = InSilicoMutagenesis.Run(model, x, batch, inFlight);
            for (int i = 0; i < naive.Deltas.Length; i++)
            {
                Assert.True(Math.Abs(naive.Deltas[i] - fast.Deltas[i]) <= 2e-5f,
                    $"{variant}, batch {batch}, {inFlight} in flight: delta {i}: naive {naive.Deltas[i]}, engine {fast.Deltas[i]}");
            }
        }
        float largest = naive.Deltas.Max(Math.Abs);
        Assert.True(largest > 1e-3f, $"{variant}: the largest change is only {largest}");
    }

    [Fact]
    public void ModelsOutsideTheEnginesLayoutTakeTheGeneralWindowedPath()
    {
        var options = AttributionFixture.TinyOptions(50, 1);
        Assert.NotNull(IsmEngine.TryCreate(new CondPromoter(options, new Generator(1))));
        foreach (var other in new[]
        {
            options with { Conditioning = ConditioningMethod.Film },
            options with { Conditioning = ConditioningMethod.ConcatMlp },
            options with { QueriesPerTreatment = 2 },
            options with { AttendedBatchNorm = true },
        })
        {
            var model = AttributionFixture.TinyModel(41, other);
            Assert.Null(IsmEngine.TryCreate(model));
            var x = AttributionFixture.RandomSequence(50, 42);
            var naive = InSilicoMutagenesis.Reference(model.Forward, x);
            var fast = InSilicoMutagenesis.Run(model, x, batchSize: 16);
            for (int i = 0; i < naive.Deltas.Length; i++)
            {
                Assert.True(Math.Abs(naive.Deltas[i] - fast.Deltas[i]) <= 2e-5f, $"{other.Conditioning}: delta {i}");
            }
        }
    }

    [Fact]
    public void AnAmbiguousReferencePositionThroughTheEngineEqualsTheNaiveLoop()
    {
        var model = Model("post-ln", 51);
        var x = AttributionFixture.RandomSequence(50, 52);
        foreach (int position in new[] { 0, 23 })
        {
            for (int b = 0; b < 4; b++)
            {
                x.Data[position * 4 + b] = 0.25f;
            }
        }
        var fast = InSilicoMutagenesis.Run(model, x, batchSize: 10);
        var naive = InSilicoMutagenesis.Reference(model.Forward, x);
        for (int i = 0; i < naive.Deltas.Length; i++)
        {
            Assert.True(Math.Abs(naive.Deltas[i] - fast.Deltas[i]) <= 2e-5f, $"delta {i}: naive {naive.Deltas[i]}, engine {fast.Deltas[i]}");
        }
        Assert.All(Enumerable.Range(0, 4), b => Assert.NotEqual(0f, fast.Delta(0, 23, b)));
    }

    [Fact]
    public void GeluFeedForwardsAreLeftToTheGeneralPath()
    {
        // The engine folds ReLU into its products; a GELU block must not be taken.
        var layer = new TransformerEncoderLayer(new TransformerLayerOptions { ModelDim = 8, Heads = 2, Activation = FeedForwardActivation.Gelu }, new Generator(3));
        Assert.Equal(FeedForwardActivation.Gelu, layer.Options.Activation);
        Assert.False(IsmEngine.Supports(layer));
        Assert.True(IsmEngine.Supports(new TransformerEncoderLayer(new TransformerLayerOptions { ModelDim = 8, Heads = 2 }, new Generator(3))));
    }
}
