using System.Text.Json;
using Promptor.Genomics.Dna;
using Promptor.Genomics.Interpretation;
using Promptor.Genomics.Models;
using Promptor.Genomics.Training;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;
using Promptor.Tests.Genomics.Training;
using Promptor.Tests.Tensors;

namespace Promptor.Tests.Genomics.Interpretation;

public class AttentionEntropyTests
{
    [Fact]
    public void UniformRowsHaveLogTAndOneHotRowsZero()
    {
        var uniform = Tensor.Full(0.25f, 2, 3, 4);
        var oneHot = Tensor.FromArray([1f, 0f, 0f, 0f, 0f, 1f], 2, 3);

        Assert.Equal(Math.Log(4), AttentionEntropy.MeanRowEntropy(uniform).Item(), 1e-6);
        Assert.Equal(0f, AttentionEntropy.MeanRowEntropy(oneHot).Item(), 1e-6f);
        // Mean over rows: one uniform row of 2 (ln 2) and one one-hot row (0).
        Assert.Equal(Math.Log(2) / 2, AttentionEntropy.MeanRowEntropy(Tensor.FromArray([0.5f, 0.5f, 1f, 0f], 2, 2)).Item(), 1e-6);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        var logits = Tensor.RandomNormal(new Generator(3), new Shape(2, 2, 3, 7));
        GradCheck.Check(x => AttentionEntropy.MeanRowEntropy(x.Softmax(-1)), logits, name: "attention entropy");
    }

    [Fact]
    public void PenaltyIsOffByDefaultAndLeftOutOfRunJson()
    {
        var options = new TrainerOptions();
        Assert.Equal(0f, options.AttentionEntropyPenalty);
        string json = JsonSerializer.Serialize(options, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
        Assert.DoesNotContain("entropy", json);
        Assert.Contains("attention_entropy_penalty", JsonSerializer.Serialize(options with { AttentionEntropyPenalty = 0.5f },
            new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
        Assert.Throws<ArgumentException>(() => (options with { AttentionEntropyPenalty = -1 }).Validate());
    }

    [Fact]
    public void TrainerAddsLambdaTimesTheEntropyToTheLoss()
    {
        // Same seed, same first batch and dropout masks: the first step's losses differ by λ · H, where H
        // is the entropy of the untrained model's attention rows (near ln 15 for 15 positions).
        double FirstLoss(float penalty)
        {
            var model = new CondPromoter(TrainingFixture.TinyModel(), new Generator(2));
            var progress = new FirstStep();
            new Trainer(new TrainerOptions { Epochs = 1, BatchSize = 32, MaxBatchesPerEpoch = 1, Seed = 3, AttentionEntropyPenalty = penalty }, progress)
                .Fit(model, TrainingFixture.Dataset, TrainingFixture.Split);
            return progress.Loss!.Value;
        }

        double plain = FirstLoss(0f), penalized = FirstLoss(2f);
        double entropy = (penalized - plain) / 2;

        Assert.InRange(entropy, 2.3, Math.Log(15) + 1e-4);
    }

    private sealed class FirstStep : ITrainingProgress
    {
        public double? Loss { get; private set; }

        public void Step(StepProgress step) => Loss ??= step.Loss;
    }
}
