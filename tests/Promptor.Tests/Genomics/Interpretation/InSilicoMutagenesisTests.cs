using Promptor.Genomics.Interpretation;
using Promptor.Genomics.Models;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Interpretation;

public class InSilicoMutagenesisTests
{
    private static void AssertSame(IsmResult expected, IsmResult actual, float tolerance)
    {
        Assert.Equal(expected.ReferenceBases, actual.ReferenceBases);
        Assert.Equal(expected.Reference.Length, actual.Reference.Length);
        for (int t = 0; t < expected.Reference.Length; t++)
        {
            Assert.Equal(expected.Reference[t], actual.Reference[t], tolerance);
        }
        for (int i = 0; i < expected.Deltas.Length; i++)
        {
            Assert.True(Math.Abs(expected.Deltas[i] - actual.Deltas[i]) <= tolerance,
                $"delta {i}: expected {expected.Deltas[i]}, got {actual.Deltas[i]}");
        }
    }

    [Fact]
    public void BatchedMutantsEqualTheOneAtATimeLoop()
    {
        var model = AttributionFixture.TinyModel();
        var x = AttributionFixture.RandomSequence(53, 2);
        var naive = InSilicoMutagenesis.Reference(model.Forward, x);
        var batched = InSilicoMutagenesis.Run(model.Forward, x, batchSize: 7);
        AssertSame(naive, batched, 1e-6f);
        Assert.Contains(naive.Deltas, d => Math.Abs(d) > 1e-3f);
    }

    [Theory]
    [InlineData(53, 1, 16)]   // length not a multiple of the stride 6: the tail positions are pooled away
    [InlineData(48, 0, 5)]    // no self-attention
    [InlineData(48, 2, 400)]  // one batch
    public void WindowedConvolutionEqualsTheNaiveLoop(int length, int blocks, int batchSize)
    {
        var model = AttributionFixture.TinyModel(3, AttributionFixture.TinyOptions(length, blocks));
        var x = AttributionFixture.RandomSequence(length, 4);
        var naive = InSilicoMutagenesis.Reference(model.Forward, x);
        var fast = InSilicoMutagenesis.Run(model, x, batchSize);
        AssertSame(naive, fast, 1e-5f);
    }

    [Fact]
    public void BatchesSideBySideEqualBatchesOneAfterAnother()
    {
        var model = AttributionFixture.TinyModel(7, AttributionFixture.TinyOptions(53, 2));
        var x = AttributionFixture.RandomSequence(53, 8);
        var sequential = InSilicoMutagenesis.Run(model, x, batchSize: 5, parallelBatches: 1);
        var parallel = InSilicoMutagenesis.Run(model, x, batchSize: 7, parallelBatches: 3);
        AssertSame(sequential, parallel, 1e-6f);
        Assert.Throws<ArgumentOutOfRangeException>(() => InSilicoMutagenesis.Run(model, x, 4, parallelBatches: -1));
    }

    [Fact]
    public void NoGradDeltasEqualTheRecordedForwardOfEachMutant()
    {
        // The no-grad path runs the fused inference kernels; the recorded forward runs the
        // differentiable ops that the PyTorch golden tests pin.
        var model = AttributionFixture.TinyModel(9, AttributionFixture.TinyOptions(48, 2));
        var x = AttributionFixture.RandomSequence(48, 10);
        var ism = InSilicoMutagenesis.Run(model, x, batchSize: 16);
        float[] Recorded(Tensor sequence) => model.Forward(new Tensor(new Shape(1, 48, 4), (float[])sequence.Data.Clone())).Data;
        var reference = Recorded(x);
        foreach (int position in new[] { 0, 17, 30, 47 })
        {
            int basis = (ism.ReferenceBases[position] + 1) % 4;
            var mutant = new Tensor(x.Shape, (float[])x.Data.Clone());
            for (int b = 0; b < 4; b++)
            {
                mutant.Data[position * 4 + b] = b == basis ? 1f : 0f;
            }
            var y = Recorded(mutant);
            for (int t = 0; t < reference.Length; t++)
            {
                Assert.Equal(y[t] - reference[t], ism.Deltas[((t * 48) + position) * 4 + basis], 1e-5f);
            }
        }
    }

    [Fact]
    public void EveryPositionIsMutatedToTheThreeOtherBasesAndTheReferenceBaseIsZero()
    {
        var model = AttributionFixture.TinyModel(5);
        var x = AttributionFixture.RandomSequence(53, 6);
        var ism = InSilicoMutagenesis.Run(model, x);
        Assert.Equal(3, ism.TreatmentCount);
        Assert.Equal(53, ism.Length);
        for (int i = 0; i < 53; i++)
        {
            int reference = ism.ReferenceBases[i];
            Assert.Equal(1f, x[i, reference]);
            for (int t = 0; t < 3; t++)
            {
                Assert.Equal(0f, ism.Delta(t, i, reference));
            }
        }
    }

    [Fact]
    public void SummariesAreTheMaximumAbsoluteAndMeanAlternativeChange()
    {
        var bases = new[] { 0, 2 };
        var deltas = new float[]
        {
            0f, 1f, -3f, 2f,   0.5f, 0.5f, 0f, -1f,  // treatment 0, positions 0 and 1
            0f, 0f, 0f, 0f,    1f, 2f, 0f, 3f,       // treatment 1
        };
        var ism = new IsmResult([0f, 0f], deltas, bases);
        Assert.Equal(new[] { 3f, 1f, 0f, 3f }, ism.MaxAbsolute());
        Assert.Equal(new[] { 0f, 0f, 0f, 2f }, ism.MeanAlternative());
        Assert.Equal(new[] { 0f, 3f }, IsmResult.Row(ism.MaxAbsolute(), 2, 1));
    }

    [Fact]
    public void AnAmbiguousPositionIsMutatedToAllFourBases()
    {
        var model = AttributionFixture.TinyModel(7);
        var x = AttributionFixture.RandomSequence(53, 8);
        for (int b = 0; b < 4; b++)
        {
            x.Data[10 * 4 + b] = 0.25f;
        }
        var ism = InSilicoMutagenesis.Run(model, x);
        Assert.Equal(-1, ism.ReferenceBases[10]);
        var naive = InSilicoMutagenesis.Reference(model.Forward, x);
        AssertSame(naive, ism, 1e-5f);
        Assert.All(Enumerable.Range(0, 4), b => Assert.NotEqual(0f, ism.Delta(0, 10, b)));
    }

    [Fact]
    public void TheModelModeIsRestoredAndItsLengthChecked()
    {
        var model = new CondPromoter(AttributionFixture.TinyOptions(), new Generator(9));
        Assert.True(model.IsTraining);
        InSilicoMutagenesis.Run(model, AttributionFixture.RandomSequence(53, 1));
        Assert.True(model.IsTraining);
        Assert.Throws<ArgumentException>(() => InSilicoMutagenesis.Run(model, AttributionFixture.RandomSequence(40, 1)));
    }
}
