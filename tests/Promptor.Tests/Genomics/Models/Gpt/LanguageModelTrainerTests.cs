using Promptor.Genomics.Models.Gpt;
using Promptor.Nn.Serialization;
using Promptor.Tensors;
using GptModel = Promptor.Genomics.Models.Gpt.Gpt;

namespace Promptor.Tests.Genomics.Models.Gpt;

public class LanguageModelTrainerTests
{
    private const int Begin = 5, Pad = 6;

    /// <summary>Begin token, then the cycle 0 1 2 3 4 0 … from a random phase, 8–12 tokens.</summary>
    private static List<int[]> Cycles(int count, ulong seed)
    {
        var g = new Generator(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            int phase = g.NextInt(5), length = 8 + g.NextInt(5);
            return new[] { Begin }.Concat(Enumerable.Range(0, length - 1).Select(i => (phase + i) % 5)).ToArray();
        }).ToList();
    }

    private static GptOptions Small() => new()
    {
        VocabSize = 7,
        ContextLength = 16,
        ModelDim = 32,
        Heads = 2,
        Blocks = 2,
        Dropout = 0f,
    };

    [Fact]
    public void ATinyModelLearnsARepeatingPatternAndGreedySamplingReproducesIt()
    {
        var model = new GptModel(Small(), new Generator(1));
        var train = Cycles(96, 2);
        var validation = Cycles(24, 3);
        var before = LanguageModelLoss.Evaluate(model, validation, Pad);
        var epochs = new List<LanguageModelEpoch>();
        var trainer = new LanguageModelTrainer(new LanguageModelTrainerOptions
        {
            PadId = Pad,
            Epochs = 12,
            BatchSize = 16,
            LearningRate = 3e-3,
            WarmupSteps = 10,
            WeightDecay = 0.01,
        })
        { EpochCompleted = epochs.Add };
        var result = trainer.Train(model, train, validation);
        Assert.Equal(epochs, result.History);
        var after = LanguageModelLoss.Evaluate(model, validation, Pad);
        // Only the first token after the begin token is random (ln 5 / ~9 tokens ≈ 0.16 nats).
        Assert.True(before.NatsPerToken > 1.5, $"before {before.NatsPerToken}");
        Assert.True(after.NatsPerToken < 0.3, $"after {after.NatsPerToken}");
        Assert.True(after.Accuracy > 0.85, $"accuracy {after.Accuracy}");
        Assert.Equal(after.NatsPerToken, result.BestValidation!.Value.NatsPerToken, 1e-6);

        var sampler = new GptSampler(model, new SamplingOptions { Temperature = 0f, MaxNewTokens = 12 });
        var samples = sampler.Generate([[Begin, 2], [Begin, 4, 0]], new Generator(4));
        Assert.Equal(new[] { Begin, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4 }, samples[0]);
        Assert.Equal(new[] { Begin, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2 }, samples[1]);
    }

    [Fact]
    public void MetricsIgnorePaddingAndReportBits()
    {
        var model = new GptModel(Small(), new Generator(5));
        var sequences = Cycles(5, 6);
        var together = LanguageModelLoss.Evaluate(model, sequences, Pad, batchSize: 5);
        double nats = 0, correct = 0;
        long tokens = 0;
        foreach (var s in sequences)
        {
            var one = LanguageModelLoss.Evaluate(model, [s], Pad);
            Assert.Equal(s.Length - 1, one.Tokens);
            nats += one.NatsPerToken * one.Tokens;
            correct += one.Accuracy * one.Tokens;
            tokens += one.Tokens;
        }
        Assert.Equal(tokens, together.Tokens);
        Assert.Equal(nats / tokens, together.NatsPerToken, 1e-5);
        Assert.Equal(correct / tokens, together.Accuracy, 1e-9);
        Assert.Equal(together.NatsPerToken / Math.Log(2), together.BitsPerToken, 1e-12);
    }

    [Fact]
    public void BatchesShiftTargetsPadAndCrop()
    {
        var batch = LanguageModelBatch.Create([[1, 2, 3], [4, 5, 6, 7, 8, 9]], Pad, contextLength: 4, labels: [0, 1]);
        Assert.Equal(4, batch.Length);
        Assert.Equal(new[] { 1, 2, Pad, Pad, 4, 5, 6, 7 }, batch.Inputs);
        Assert.Equal(new[] { 2, 3, Pad, Pad, 5, 6, 7, 8 }, batch.Targets);
        Assert.Equal(new[] { 0, 1 }, batch.Labels);
        Assert.Throws<ArgumentException>(() => LanguageModelBatch.Create([[1]], Pad, 4));
    }

    [Fact]
    public void StopsEarlyRestoresTheBestAndCheckpointsWithMetadata()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "lm.safetensors");
        var options = Small() with { ClassCount = 2, Conditioning = LabelConditioning.Prefix, LabelDropout = 0.2f };
        var model = new GptModel(options, new Generator(7));
        var train = Cycles(32, 8);
        var labels = train.Select(s => s[1] % 2).ToArray();
        var trainer = new LanguageModelTrainer(new LanguageModelTrainerOptions
        {
            PadId = Pad,
            Epochs = 10,
            BatchSize = 8,
            LearningRate = 0,                                   // nothing improves after epoch 1
            Patience = 2,
            CheckpointPath = path,
        });
        var result = trainer.Train(model, train, train, labels, labels, new Dictionary<string, string> { ["vocabulary"] = "0 1 2 3 4 <s> <pad>" });
        Assert.True(result.StoppedEarly);
        Assert.Equal(3, result.History.Count);
        Assert.Equal(1, result.BestEpoch);
        var loaded = new GptModel(options, new Generator(99));
        var metadata = ModuleCheckpoint.Load(path, loaded);
        Assert.Equal("0 1 2 3 4 <s> <pad>", metadata["vocabulary"]);
        Assert.Equal(options, GptOptions.FromJson(metadata["gpt.options"]));
        Assert.Equal("1", metadata["training.epoch"]);
        Assert.Equal(model.TokenEmbedding.Weight.Data, loaded.TokenEmbedding.Weight.Data);
    }

    [Fact]
    public void AnEpochSourceIsAskedForEpochsInTurnAndAConstantOneMatchesTheFixedList()
    {
        var train = Cycles(24, 3);
        var validation = Cycles(8, 4);
        var options = new LanguageModelTrainerOptions { PadId = Pad, Epochs = 3, BatchSize = 8, LearningRate = 3e-3, WarmupSteps = 2, Seed = 5 };

        var fixedModel = new GptModel(Small(), new Generator(1));
        var fixedResult = new LanguageModelTrainer(options).Train(fixedModel, train, validation);

        var asked = new List<int>();
        var sourceModel = new GptModel(Small(), new Generator(1));
        var sourceResult = new LanguageModelTrainer(options).Train(sourceModel, epoch =>
        {
            asked.Add(epoch);
            return new LanguageModelEpochData(train);
        }, validation);

        Assert.Equal([1, 2, 3], asked);
        Assert.Equal(fixedResult.History.Select(e => e.TrainNatsPerToken), sourceResult.History.Select(e => e.TrainNatsPerToken));
        Assert.Equal(fixedModel.TokenEmbedding.Weight.Data, sourceModel.TokenEmbedding.Weight.Data);
    }

    [Fact]
    public void EachEpochTrainsOnItsOwnSequences()
    {
        // Epoch 2 holds sequences of one phase only, so its loss differs from a run that repeats epoch 1.
        var first = Cycles(16, 3);
        var second = first.Select(s => new[] { Begin }.Concat(Enumerable.Range(0, s.Length - 1).Select(i => i % 5)).ToArray()).ToList();
        var options = new LanguageModelTrainerOptions { PadId = Pad, Epochs = 2, BatchSize = 8, LearningRate = 3e-3, WarmupSteps = 2 };
        var changing = new LanguageModelTrainer(options).Train(new GptModel(Small(), new Generator(1)),
            epoch => new LanguageModelEpochData(epoch == 1 ? first : second));
        var repeating = new LanguageModelTrainer(options).Train(new GptModel(Small(), new Generator(1)), first);
        Assert.Equal(repeating.History[0].TrainNatsPerToken, changing.History[0].TrainNatsPerToken);
        Assert.NotEqual(repeating.History[1].TrainNatsPerToken, changing.History[1].TrainNatsPerToken);
        Assert.Throws<ArgumentException>(() => new LanguageModelTrainer(options).Train(new GptModel(Small(), new Generator(1)),
            epoch => new LanguageModelEpochData(first, [0, 1])));
    }
}
