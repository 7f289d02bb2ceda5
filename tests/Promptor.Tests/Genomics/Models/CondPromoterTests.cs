using Promptor.Genomics.Dna;
using Promptor.Genomics.Models;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Tests.Genomics.Models;

public class CondPromoterTests
{
    private static CondPromoterOptions Tiny(ConditioningMethod conditioning, int queries = 1, int outputs = 1) => new()
    {
        TreatmentCount = 3,
        SequenceLength = 40,
        Convolutions = [new(8, 5, 1, 2), new(8, 3, 1, 2)],
        ModelDim = 8,
        SelfAttentionBlocks = 1,
        SelfAttentionHeads = 2,
        CrossAttentionHeads = 2,
        CrossAttentionBlocks = 1,
        QueriesPerTreatment = queries,
        HeadHidden = 6,
        Dropout = 0f,
        Conditioning = conditioning,
        OutputsPerTreatment = outputs,
    };

    private static Tensor Sequences(int batch, int length, ulong seed)
    {
        var g = new Generator(seed);
        var seqs = Enumerable.Range(0, batch).Select(_ => new string(Enumerable.Range(0, length).Select(_ => "ACGT"[g.NextInt(4)]).ToArray())).ToList();
        return OneHot.EncodeBatch(seqs);
    }

    [Theory]
    [InlineData(ConditioningMethod.MultiTask)]
    [InlineData(ConditioningMethod.ConcatMlp)]
    [InlineData(ConditioningMethod.Film)]
    [InlineData(ConditioningMethod.CrossAttention)]
    [InlineData(ConditioningMethod.CrossAttentionEveryBlock)]
    public void EveryRungPredictsAllTreatmentsAndTrainsEveryParameter(ConditioningMethod conditioning)
    {
        var model = new CondPromoter(Tiny(conditioning), new Generator(1));
        var y = model.Forward(Sequences(4, 40, 2));
        Assert.Equal(new Shape(4, 3), y.Shape);
        y.Square().Mean().Backward();
        Assert.All(model.NamedParameters(), p => Assert.True(p.Parameter.HasGrad && p.Parameter.Grad!.Data.Any(g => g != 0f), p.Name));
    }

    [Fact]
    public void CrossAttentionReturnsPerTreatmentWeightsOverPositions()
    {
        var model = new CondPromoter(Tiny(ConditioningMethod.CrossAttention, queries: 2), new Generator(3));
        model.Eval();
        var (predictions, attention) = model.ForwardWithAttention(Sequences(2, 40, 4));
        Assert.Equal(new Shape(2, 3), predictions.Shape);
        Assert.Equal(new Shape(2, 2, 3, 10), attention!.Shape); // (B, H, n_treat, T' = 40/2/2)
        for (int row = 0; row < 2 * 2 * 3; row++)
        {
            Assert.Equal(1f, attention.Data.AsSpan(row * 10, 10).ToArray().Sum(), 1e-5f);
        }
    }

    [Fact]
    public void ClassificationGivesLogitsPerClass()
    {
        var model = new CondPromoter(Tiny(ConditioningMethod.CrossAttention, outputs: 3), new Generator(5));
        Assert.Equal(new Shape(2, 3, 3), model.Forward(Sequences(2, 40, 6)).Shape);
    }

    [Fact]
    public void PredictionsDoNotDependOnBatchCompositionInEvaluation()
    {
        var model = new CondPromoter(Tiny(ConditioningMethod.CrossAttention) with { BatchNorm = true }, new Generator(7));
        model.Eval();
        var x = Sequences(5, 40, 8);
        var all = model.Forward(x);
        var one = model.Forward(x.Slice(0, 3, 1));
        for (int t = 0; t < 3; t++)
        {
            Assert.Equal(all[3, t], one[0, t], 1e-5f);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void InferenceFoldsBatchNormAndPoolsInOnePassWithTheSameResult(bool batchNorm)
    {
        // Without a gradient, each layer's batch norm is folded into its convolution and convolution,
        // pooling and ReLU run as one op; with recording the layers run one by one.
        var model = new CondPromoter(Tiny(ConditioningMethod.CrossAttention) with { BatchNorm = batchNorm }, new Generator(12));
        var g = new Generator(13);
        foreach (var (name, parameter) in model.NamedParameters().Where(p => p.Name.StartsWith("bn", StringComparison.Ordinal)))
        {
            g.FillNormal(parameter.Data);               // γ and β away from 1 and 0, some γ negative
        }
        foreach (var (name, buffer) in model.NamedBuffers().Where(b => b.Name.Contains("running", StringComparison.Ordinal)))
        {
            for (int i = 0; i < buffer.Size; i++)
            {
                buffer.Data[i] = name.EndsWith("var", StringComparison.Ordinal) ? 0.5f + g.NextSingle() : g.NextSingle() - 0.5f;
            }
        }
        model.Eval();
        var x = Sequences(4, 40, 14);
        var recorded = model.Convolve(x);
        Assert.True(recorded.RequiresGrad);
        var recordedPredictions = model.Forward(x);
        Tensor folded, foldedPredictions;
        using (Tape.NoGrad())
        {
            folded = model.Convolve(x);
            foldedPredictions = model.Forward(x);
        }
        Assert.Equal(recorded.Shape, folded.Shape);
        for (int i = 0; i < recorded.Size; i++)
        {
            Assert.True(Math.Abs(recorded.Data[i] - folded.Data[i]) <= 1e-5f * (1 + Math.Abs(recorded.Data[i])), $"[{i}]: {recorded.Data[i]} vs {folded.Data[i]}");
        }
        for (int i = 0; i < recordedPredictions.Size; i++)
        {
            Assert.Equal(recordedPredictions.Data[i], foldedPredictions.Data[i], 1e-4f);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RecycledInferenceTemporariesNeverTouchEarlierResults(bool batchNorm)
    {
        // Shapes above the tensor pool's minimum: no-grad forwards hand their spent convolution and
        // encoder temporaries back and later forwards reuse them. An earlier result must stay as it
        // was, and each must equal the recorded forward.
        var options = Tiny(ConditioningMethod.CrossAttention) with
        {
            SequenceLength = 400,
            Convolutions = [new(40, 5, 1, 2), new(40, 3, 1, 2)],
            ModelDim = 40,
            SelfAttentionBlocks = 2,
            BatchNorm = batchNorm,
        };
        var model = new CondPromoter(options, new Generator(21));
        model.Eval();
        var first = Sequences(16, 400, 22);
        var second = Sequences(16, 400, 23);
        Tensor a, b;
        using (Tape.NoGrad())
        {
            a = model.Forward(first);
            var kept = a.ToArray();
            b = model.Forward(second);
            model.Forward(first);
            Assert.Equal(kept, a.Data);
        }
        Assert.True(Promptor.Tensors.TensorStoragePool.Shared.CountOf(16 * 200 * 40) > 0);   // the first layer's output came back
        foreach (var (x, result) in new[] { (first, a), (second, b) })
        {
            var recorded = model.Forward(x);
            for (int i = 0; i < recorded.Size; i++)
            {
                Assert.Equal(recorded.Data[i], result.Data[i], 1e-4f);
            }
        }
    }

    [Fact]
    public void WrongSequenceShapeIsRejected()
    {
        var model = new CondPromoter(Tiny(ConditioningMethod.CrossAttention), new Generator(9));
        var ex = Assert.Throws<ArgumentException>(() => model.Forward(Tensor.Zeros(2, 41, 4)));
        Assert.Contains("(2, 41, 4)", ex.Message);
        Assert.Throws<ArgumentException>(() => new CondPromoter(Tiny(ConditioningMethod.Film, queries: 2), new Generator(1)));
    }

    [Fact]
    public void AttendedBatchNormStandardisesTheAttendedVectorsAcrossTheBatchAndTrains()
    {
        var options = Tiny(ConditioningMethod.CrossAttention) with { AttendedBatchNorm = true };
        var model = new CondPromoter(options, new Generator(11));
        Assert.NotNull(model.AttendedNorm);
        Assert.Null(new CondPromoter(Tiny(ConditioningMethod.CrossAttention), new Generator(11)).AttendedNorm);

        var y = model.Forward(Sequences(6, 40, 12));
        y.Square().Mean().Backward();
        Assert.All(model.NamedParameters(), p => Assert.True(p.Parameter.HasGrad && p.Parameter.Grad!.Data.Any(g => g != 0f), p.Name));
        // One training forward updated the running statistics; evaluation then uses them, so a gene's
        // prediction no longer depends on the rest of the batch.
        Assert.Contains(model.AttendedNorm!.RunningMean.Data, m => m != 0f);
        model.Eval();
        var x = Sequences(5, 40, 13);
        Assert.Equal(model.Forward(x)[2, 1], model.Forward(x.Slice(0, 2, 1))[0, 1], 1e-5f);
    }

    [Fact]
    public void TreatmentEmbeddingsStartWithTheRequestedSpread()
    {
        var wide = new CondPromoter(Tiny(ConditioningMethod.CrossAttention) with { TreatmentCount = 64, ModelDim = 16 }, new Generator(14));
        var narrow = new CondPromoter(Tiny(ConditioningMethod.CrossAttention) with { TreatmentCount = 64, ModelDim = 16, TreatmentEmbeddingStd = 0.3f }, new Generator(14));

        static double Std(float[] values) => Math.Sqrt(values.Average(v => (double)v * v));
        Assert.InRange(Std(wide.TreatmentEmbedding!.Weight.Data), 0.9, 1.1);
        Assert.Equal(0.3 * Std(wide.TreatmentEmbedding.Weight.Data), Std(narrow.TreatmentEmbedding!.Weight.Data), 5);
        Assert.Throws<ArgumentException>(() => new CondPromoter(Tiny(ConditioningMethod.CrossAttention) with { TreatmentEmbeddingStd = 0f }, new Generator(1)));
    }
}
